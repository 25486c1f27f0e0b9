// The media stack of one suite: started before its tests, closed after them together with every
// raw participant socket its tests opened. Hooks the suite registers earlier run first.
import { after, before } from 'node:test';
import type { MediaServerOptions } from '../../../server/src/media/media-server.js';
import type { AppDeps } from '../../../server/src/app.js';
import type { TestBackend } from '../../support/databases.js';
import { startMediaStack, type MediaStack } from './media-stack.js';
import { connectRaw, type RawParticipant } from './raw-participant.js';

export interface SuiteStack extends Omit<MediaStack, 'close'> {
  /** A raw participant connected to the stack's media server with `token`, closed after the suite. */
  connect(token: string): Promise<RawParticipant>;
}

export function suiteMediaStack(backend: TestBackend, env: Record<string, string> = {}, mediaOptions: Partial<MediaServerOptions> = {}, appOverrides: Partial<AppDeps> = {}): SuiteStack {
  let running: MediaStack | undefined;
  const sockets: RawParticipant[] = [];
  before(async () => {
    running = await startMediaStack(backend, env, mediaOptions, appOverrides);
  });
  after(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await running?.close();
  });
  const stack = (): MediaStack => {
    if (!running) throw new Error("the media stack did not start (see the suite's before hook)");
    return running;
  };
  return {
    get app() {
      return stack().app;
    },
    get media() {
      return stack().media;
    },
    user: (name, email) => stack().user(name, email),
    meeting: (policy) => stack().meeting(policy),
    join: (meetingId, token, body) => stack().join(meetingId, token, body),
    restartApp: (whileDown) => stack().restartApp(whileDown),
    async connect(token) {
      const socket = await connectRaw(stack().media.url, token);
      sockets.push(socket);
      return socket;
    },
  };
}
