import { expect } from '@open-wc/testing';
import { MeetingApiClient } from '../../src/core/api/meeting-api-client.js';
import { MeetingError } from '../../src/core/api/meeting-error.js';
import { supabaseAuth } from '../../src/core/supabase.js';
import { signIn, startStack, stopStack, type Stack } from '../support/meeting-stack.js';

describe('MeetingApiClient against the token server', function () {
  this.timeout(20000);
  let stack: Stack;

  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stopStack();
  });

  it('maps error bodies to typed MeetingErrors with code and status', async () => {
    const api = await signIn(stack, 'Ira');
    const missing = await api.getMeeting('00000000-0000-4000-8000-000000000000').catch((e: unknown) => e);
    expect(missing).to.be.instanceOf(MeetingError);
    expect((missing as MeetingError).code).to.equal('MEETING_NOT_FOUND');
    expect((missing as MeetingError).status).to.equal(404);
    const invalid = await api.createMeeting({ title: '' }).catch((e: unknown) => e);
    expect((invalid as MeetingError).code).to.equal('VALIDATION_FAILED');
    expect((invalid as MeetingError).status).to.equal(400);
    const anonymous = new MeetingApiClient({ baseUrl: stack.apiUrl });
    const unauthenticated = await anonymous.createMeeting({ title: 'x' }).catch((e: unknown) => e);
    expect((unauthenticated as MeetingError).code).to.equal('AUTH_REQUIRED');
  });

  it('creates, reads and ends a meeting', async () => {
    const api = await signIn(stack, 'Jo');
    const meeting = await api.createMeeting({ title: 'Plan', policy: { waitingRoom: true } });
    expect(meeting.policy.waitingRoom).to.equal(true);
    expect((await api.getMeeting(meeting.id)).title).to.equal('Plan');
    expect((await api.status(meeting.id)).waitingCount).to.equal(0);
  });

  it('reports recording as unavailable when the media server has no egress', async () => {
    const api = await signIn(stack, 'Ro');
    const meeting = await api.createMeeting({ title: 'Rec' });
    await api.startMeeting(meeting.id);
    const error = await api.startRecording(meeting.id).catch((e: unknown) => e);
    expect((error as MeetingError).code).to.equal('MEDIA_SERVER_UNAVAILABLE');
    expect((error as MeetingError).status).to.equal(503);
    expect((await api.recordings(meeting.id)).map((r) => r.status)).to.deep.equal(['failed']);
  });

  it('cancels a waiting-room long poll cleanly', async () => {
    const host = await signIn(stack, 'Kai');
    const meeting = await host.createMeeting({ title: 'Wait', policy: { waitingRoom: true } });
    await host.startMeeting(meeting.id);
    const guest = await signIn(stack, 'Lu');
    const joined = await guest.join(meeting.id, { displayName: 'Lu' });
    expect(joined.status).to.equal('waiting');
    const controller = new AbortController();
    const waiting = guest.waitForAdmission(meeting.id, joined.status === 'waiting' ? joined.waitingId : '', controller.signal).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 200);
    const error = await waiting;
    expect((error as MeetingError).code).to.equal('ABORTED');
  });

  it('reports an unreachable server as NETWORK_ERROR after retrying idempotent calls', async () => {
    let calls = 0;
    const api = new MeetingApiClient({
      baseUrl: 'http://127.0.0.1:9',
      retries: 2,
      fetch: (input, init) => {
        calls++;
        return fetch(input, init);
      },
    });
    const error = await api.getMeeting('m').catch((e: unknown) => e);
    expect((error as MeetingError).code).to.equal('NETWORK_ERROR');
    expect(calls).to.equal(3);
    calls = 0;
    await api.createMeeting({ title: 'x' }).catch(() => undefined);
    expect(calls, 'a POST that creates is not retried').to.equal(1);
  });

  it('refuses a base URL that is not http(s)', () => {
    expect(() => new MeetingApiClient({ baseUrl: 'ftp://x' })).to.throw(MeetingError);
  });
});

describe('supabaseAuth', () => {
  // A stand-in with the shape and behaviour of supabase-js's auth client: sessions carry
  // `expires_at` in seconds, and refreshSession returns a new session.
  function fakeSupabase(expiresInS: number | null) {
    const calls = { get: 0, refresh: 0 };
    const session = (token: string, inS: number) => ({ access_token: token, expires_at: Math.floor(Date.now() / 1000) + inS });
    return {
      calls,
      client: {
        auth: {
          getSession: () => {
            calls.get++;
            return Promise.resolve({ data: { session: expiresInS === null ? null : session('current', expiresInS) } });
          },
          refreshSession: () => {
            calls.refresh++;
            return Promise.resolve({ data: { session: session('refreshed', 3600) } });
          },
        },
      },
    };
  }

  it('hands out the current token while it has time left', async () => {
    const { client, calls } = fakeSupabase(3600);
    expect(await supabaseAuth(client)()).to.equal('current');
    expect(calls.refresh).to.equal(0);
  });

  it('refreshes a token about to expire', async () => {
    const { client, calls } = fakeSupabase(10);
    expect(await supabaseAuth(client)()).to.equal('refreshed');
    expect(calls.refresh).to.equal(1);
  });

  it('is anonymous without a session', async () => {
    expect(await supabaseAuth(fakeSupabase(null).client)()).to.equal(null);
  });
});
