// Moderation routes over real HTTP, with the embedded media server as LiveKit.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startMediaServer, type MediaServer } from '../../server/src/media/media-server.js';
import type { MeetingView } from '../../server/src/store/meetings.js';
import { api, startApp, type TestApp } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';

type ErrorBody = { error: { code: string; details?: unknown } };

after(async () => {
  await stopOwnCluster();
});

describeEachDatabase('moderation', (backend) => {
  let handle: Awaited<ReturnType<typeof backend.create>>;
  let media: MediaServer;
  let app: TestApp;
  let host: string;

  const user = (name: string) => app.deps.verifier.signUser({ userId: randomUUID(), email: `${randomUUID().slice(0, 6)}@example.com`, name });
  const expectError = (res: { status: number; body: unknown }, status: number, code: string) => {
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.equal((res.body as ErrorBody).error.code, code);
  };
  /** A started meeting with the host and one attendee in it. */
  const meetingWithAttendee = async () => {
    const meeting = (await api<MeetingView>(app.url, 'POST', '/meetings', { token: host, body: { title: 'Mod' } })).body;
    await api(app.url, 'POST', `/meetings/${meeting.id}/join`, { token: host });
    const attendee = await user('Ava');
    const joined = await api<{ identity: string }>(app.url, 'POST', `/meetings/${meeting.id}/join`, { token: attendee });
    return { meeting, attendee, attendeeId: joined.body.identity };
  };

  before(async () => {
    handle = await backend.create();
    const db = await handle.open();
    media = await startMediaServer({ apiKey: 'modkey', apiSecret: 'mod-secret-long-enough-for-hs256-signing', port: 0 });
    app = await startApp({ LIVEKIT_URL: media.url, LIVEKIT_API_KEY: 'modkey', LIVEKIT_API_SECRET: 'mod-secret-long-enough-for-hs256-signing' }, db);
    host = await user('Hosta');
  });
  after(async () => {
    await app.close();
    await media.close();
    await handle.dispose();
  });

  it('validates the body and the identity before anything else', async () => {
    const { meeting, attendeeId } = await meetingWithAttendee();
    expectError(await api(app.url, 'POST', `/meetings/${meeting.id}/participants/${attendeeId}/mute`, { token: host, body: { source: 'speaker' } }), 400, 'VALIDATION_FAILED');
    expectError(await api(app.url, 'POST', `/meetings/${meeting.id}/participants/${attendeeId}/mute`, { token: host, body: {} }), 400, 'VALIDATION_FAILED');
    expectError(await api(app.url, 'PUT', `/meetings/${meeting.id}/participants/${attendeeId}/role`, { token: host, body: { role: 'host' } }), 400, 'VALIDATION_FAILED');
    expectError(await api(app.url, 'POST', `/meetings/${meeting.id}/participants/${'x'.repeat(200)}/remove`, { token: host }), 400, 'VALIDATION_FAILED');
    expectError(await api(app.url, 'POST', `/meetings/${meeting.id}/participants/u_nobody/remove`, { token: host }), 404, 'PARTICIPANT_NOT_FOUND');
    expectError(await api(app.url, 'POST', `/meetings/${randomUUID()}/participants/${attendeeId}/remove`, { token: host }), 404, 'MEETING_NOT_FOUND');
  });

  it('lets only hosts and co-hosts moderate, and only the host change roles', async () => {
    const { meeting, attendee, attendeeId } = await meetingWithAttendee();
    const hostId = (await api<Array<{ identity: string; role: string }>>(app.url, 'GET', `/meetings/${meeting.id}/participants`, { token: host })).body.find((p) => p.role === 'host')!.identity;
    expectError(await api(app.url, 'POST', `/meetings/${meeting.id}/participants/${hostId}/mute`, { token: attendee, body: { source: 'microphone' } }), 403, 'INSUFFICIENT_PERMISSION');
    expectError(await api(app.url, 'POST', `/meetings/${meeting.id}/participants/${hostId}/remove`), 401, 'AUTH_REQUIRED');

    const promoted = await api<{ identity: string; role: string }>(app.url, 'PUT', `/meetings/${meeting.id}/participants/${attendeeId}/role`, { token: host, body: { role: 'co-host' } });
    assert.equal(promoted.status, 200, JSON.stringify(promoted.body));
    assert.equal(promoted.body.role, 'co-host');
    // A co-host moderates, but cannot change roles or remove the host.
    assert.equal((await api(app.url, 'POST', `/meetings/${meeting.id}/participants/${hostId}/mute`, { token: attendee, body: { source: 'microphone' } })).status, 200);
    expectError(await api(app.url, 'PUT', `/meetings/${meeting.id}/participants/${hostId}/role`, { token: attendee, body: { role: 'attendee' } }), 403, 'INSUFFICIENT_PERMISSION');
    expectError(await api(app.url, 'POST', `/meetings/${meeting.id}/participants/${hostId}/remove`, { token: attendee }), 403, 'INSUFFICIENT_PERMISSION');

    const demoted = await api<{ role: string }>(app.url, 'PUT', `/meetings/${meeting.id}/participants/${attendeeId}/role`, { token: host, body: { role: 'attendee' } });
    assert.equal(demoted.body.role, 'attendee');
    expectError(await api(app.url, 'POST', `/meetings/${meeting.id}/participants/${hostId}/mute`, { token: attendee, body: { source: 'camera' } }), 403, 'INSUFFICIENT_PERMISSION');
  });

  it('removal frees the slot at once', async () => {
    const { meeting, attendeeId } = await meetingWithAttendee();
    assert.equal((await api<{ participantCount: number }>(app.url, 'GET', `/meetings/${meeting.id}/status`, { token: host })).body.participantCount, 2);
    const removed = await api(app.url, 'POST', `/meetings/${meeting.id}/participants/${attendeeId}/remove`, { token: host });
    assert.equal(removed.status, 200);
    assert.equal((await api<{ participantCount: number }>(app.url, 'GET', `/meetings/${meeting.id}/status`, { token: host })).body.participantCount, 1);
    expectError(await api(app.url, 'POST', `/meetings/${meeting.id}/participants/${attendeeId}/remove`, { token: host }), 404, 'PARTICIPANT_NOT_FOUND');
  });

  it('answers MEDIA_SERVER_UNAVAILABLE when LiveKit cannot be reached, never a 500', async () => {
    const { meeting, attendeeId } = await meetingWithAttendee();
    const offline = await startApp({ LIVEKIT_URL: 'ws://127.0.0.1:9', LIVEKIT_API_KEY: 'modkey', LIVEKIT_API_SECRET: 'mod-secret-long-enough-for-hs256-signing' }, await handle.open());
    try {
      expectError(await api(offline.url, 'POST', `/meetings/${meeting.id}/participants/${attendeeId}/mute`, { token: host, body: { source: 'microphone' } }), 503, 'MEDIA_SERVER_UNAVAILABLE');
    } finally {
      await offline.close();
    }
  });
});
