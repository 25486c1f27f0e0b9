// Browser-side helpers for suites that run the widget's core against the real token server and the
// embedded media server (started in Node by the web-test-runner plugin).
import { executeServerCommand } from '@web/test-runner-commands';
import { MeetingApiClient } from '../../src/core/api/meeting-api-client.js';
import { MeetingController } from '../../src/core/controller/meeting-controller.js';
import type { MeetingState } from '../../src/core/controller/state.js';
import type { Policy } from '../../src/core/api/types.js';

export interface Stack {
  apiUrl: string;
  livekitUrl: string;
}

/**
 * The token server and the media server, as `npm start` runs them, on free ports. Started in the
 * background and waited for in 1 s steps: opening the database can outlast one runner command (20 s) on
 * a loaded machine.
 */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  await executeServerCommand<boolean, Record<string, string>>('stack-begin', env);
  for (let step = 0; step < 120; step++) {
    const answer = await executeServerCommand<{ done: boolean; stack?: Stack; error?: string }, undefined>('stack-wait');
    if (!answer.done) continue;
    if (answer.error !== undefined || !answer.stack) throw new Error(`the stack did not start: ${answer.error ?? 'no answer'}`);
    return answer.stack;
  }
  throw new Error('the stack did not start within two minutes');
}

export interface RestartOptions {
  /** How long the process stays down (default 500 ms). */
  downMs?: number;
  /** How long open long polls and event streams get before they are cut (default 1 s). */
  graceMs?: number;
}

/** The token server shuts down and comes back on the same port, over the same database. */
export function restartTokenServer(options: RestartOptions = {}): Promise<{ apiUrl: string; downMs: number }> {
  return executeServerCommand('stack-restart-token-server', options);
}

/** The whole stack (media server and token server) goes away and comes back on the same ports. */
export function restartWholeStack(options: RestartOptions = {}): Promise<{ apiUrl: string; livekitUrl: string; downMs: number }> {
  return executeServerCommand('stack-restart-all', options);
}

/** The media server goes away and comes back on the same address (a LiveKit node restart). */
export async function restartMediaServer(): Promise<void> {
  await executeServerCommand('media-restart');
}

export async function stopStack(): Promise<void> {
  await executeServerCommand('stack-stop');
}

/** A signed-in user (the server's dev sign-in) and an API client acting as them. */
export async function signIn(stack: Stack, name: string): Promise<MeetingApiClient> {
  const res = await fetch(`${stack.apiUrl}/api/v1/dev/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, email: `${name.toLowerCase()}@example.com` }),
  });
  const { token } = (await res.json()) as { token: string };
  return new MeetingApiClient({ baseUrl: stack.apiUrl, auth: () => Promise.resolve(token) });
}

export function guestClient(stack: Stack): MeetingApiClient {
  return new MeetingApiClient({ baseUrl: stack.apiUrl });
}

export async function createMeeting(api: MeetingApiClient, policy: Partial<Policy> = {}): Promise<string> {
  const meeting = await api.createMeeting({ title: 'Weekly sync', policy });
  return meeting.id;
}

/** Resolves with the first state that satisfies `predicate`; rejects after `ms` with what was seen. */
export function stateWhere(controller: MeetingController, predicate: (state: MeetingState) => boolean, what: string, ms = 10000): Promise<MeetingState> {
  return new Promise((resolve, reject) => {
    let last: MeetingState | undefined;
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      unsubscribe();
      reject(new Error(`timed out waiting for ${what}; last phase ${last?.phase ?? '?'}, error ${last?.lastError?.code ?? 'none'}`));
    }, ms);
    const unsubscribe = controller.subscribe((state) => {
      last = state;
      if (done || !predicate(state)) return;
      done = true;
      clearTimeout(timer);
      // The first call happens inside subscribe(), before `unsubscribe` exists: defer it.
      queueMicrotask(() => {
        unsubscribe();
      });
      resolve(state);
    });
  });
}

export interface QuietAndBusy {
  host: MeetingController;
  /** Ada: joined, publishing nothing, so nothing of hers changes unless the test changes it. */
  quiet: MeetingController;
  /** Ben: joined with a microphone, for the test to toggle. */
  busy: MeetingController;
  quietId: string;
  busyId: string;
}

/**
 * A real call of three as seen by its host, settled: Ben's microphone published and Ada's first
 * connection-quality report in (the media server sends it a moment after the join, and it is a
 * change of hers). For tests of who is told about whose changes. The controllers go into
 * `controllers` for the suite to dispose.
 */
export async function quietAndBusyCall(stack: Stack, controllers: MeetingController[]): Promise<QuietAndBusy> {
  const hostApi = await signIn(stack, 'Hope');
  const meetingId = await createMeeting(hostApi);
  const host = new MeetingController({ api: hostApi, meetingId });
  const quiet = new MeetingController({ api: await signIn(stack, 'Ada'), meetingId });
  const busy = new MeetingController({ api: await signIn(stack, 'Ben'), meetingId });
  controllers.push(host, quiet, busy);
  await host.join({ displayName: 'Hope' });
  await quiet.join({ displayName: 'Ada' });
  await busy.preview({ audio: true, video: false });
  await busy.join({ displayName: 'Ben' });
  const quietId = quiet.state.localIdentity ?? '';
  const busyId = busy.state.localIdentity ?? '';
  await stateWhere(host, (s) => s.participants.length === 3 && s.participants.find((p) => p.identity === busyId)?.microphone.trackSid !== undefined, "three people, Ben's microphone published");
  await stateWhere(host, (s) => s.participants.find((p) => p.identity === quietId)?.connectionQuality !== 'unknown', "Ada's connection quality at the host");
  return { host, quiet, busy, quietId, busyId };
}
