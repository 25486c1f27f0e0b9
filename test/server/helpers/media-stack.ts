// A token server on one of the test databases, with a real embedded media server as its LiveKit.
import { randomUUID } from 'node:crypto';
import { startMediaServer, type MediaServer, type MediaServerOptions } from '../../../server/src/media/media-server.js';
import type { MeetingView } from '../../../server/src/store/meetings.js';
import type { AppDeps } from '../../../server/src/app.js';
import { api, startApp, type TestApp } from '../../support/app.js';
import type { TestBackend } from '../../support/databases.js';

export const MEDIA_KEY = 'attackkey';
export const MEDIA_SECRET = 'attack-secret-long-enough-for-hs256-signing';

export interface MediaStack {
  app: TestApp;
  media: MediaServer;
  /** A signed-in user's bearer token. */
  user(name: string, email?: string): Promise<string>;
  /** A started meeting with its host joined; the host's join answer included. */
  meeting(policy?: Record<string, unknown>): Promise<{ meeting: MeetingView; host: string; hostJoin: JoinAnswer }>;
  join(meetingId: string, token?: string, body?: Record<string, unknown>): Promise<{ status: number; body: JoinAnswer }>;
  /**
   * The token server stops (its open requests answered or cut) and a new one starts over the same
   * database, on another port; the media server's webhooks go to the new one. `whileDown` runs
   * while no token server is running.
   */
  restartApp(whileDown?: () => Promise<void>): Promise<TestApp>;
  close(): Promise<void>;
}

export interface JoinAnswer {
  token: string;
  identity: string;
  role: string;
  livekitUrl: string;
  guestToken?: string;
  waitingId?: string;
  status?: string;
  error?: { code: string; message: string };
}

export async function startMediaStack(
  backend: TestBackend,
  env: Record<string, string> = {},
  mediaOptions: Partial<MediaServerOptions> = {},
  appOverrides: Partial<AppDeps> = {},
): Promise<MediaStack & { handle: Awaited<ReturnType<TestBackend['create']>> }> {
  const handle = await backend.create();
  const db = await handle.open();
  const media = await startMediaServer({ apiKey: MEDIA_KEY, apiSecret: MEDIA_SECRET, port: 0, ...mediaOptions });
  const appEnv = { LIVEKIT_URL: media.url, LIVEKIT_API_KEY: MEDIA_KEY, LIVEKIT_API_SECRET: MEDIA_SECRET, ...env };
  let app = await startApp(appEnv, db, appOverrides);
  media.webhooks.url = `${app.url}/api/v1/livekit/webhook`;
  const user = (name: string, email = `${randomUUID().slice(0, 8)}@example.com`) => app.deps.verifier.signUser({ userId: randomUUID(), email, name });
  const join = async (meetingId: string, token?: string, body?: Record<string, unknown>) =>
    api<JoinAnswer>(app.url, 'POST', `/meetings/${meetingId}/join`, { ...(token === undefined ? {} : { token }), ...(body === undefined ? {} : { body }) });
  return {
    handle,
    get app() {
      return app;
    },
    media,
    async restartApp(whileDown) {
      await app.close();
      await whileDown?.();
      app = await startApp(appEnv, db, appOverrides);
      media.webhooks.url = `${app.url}/api/v1/livekit/webhook`;
      return app;
    },
    user,
    join,
    async meeting(policy = {}) {
      const host = await user('Host');
      const created = await api<MeetingView>(app.url, 'POST', '/meetings', { token: host, body: { title: 'Attack', policy } });
      if (created.status !== 201) throw new Error(`meeting not created: ${JSON.stringify(created.body)}`);
      const hostJoin = await join(created.body.id, host);
      if (hostJoin.status !== 200) throw new Error(`host could not join: ${JSON.stringify(hostJoin.body)}`);
      return { meeting: created.body, host, hostJoin: hostJoin.body };
    },
    async close() {
      await app.close();
      await media.close();
      await handle.dispose();
    },
  };
}

/** The claims of a LiveKit token, read without verifying (the test made it). */
export function claimsOf(token: string): { video?: Record<string, unknown>; attributes?: Record<string, string>; exp?: number; nbf?: number } {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as ReturnType<typeof claimsOf>;
}
