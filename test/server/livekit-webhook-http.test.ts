// POST /livekit/webhook: signed by LiveKit (here the embedded media server's sender), frees slots.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ParticipantInfo, Room } from '@livekit/protocol';
import { startMediaServer, type MediaServer } from '../../server/src/media/media-server.js';
import { WebhookSender } from '../../server/src/media/webhooks.js';
import type { MeetingView } from '../../server/src/store/meetings.js';
import { api, startApp, type TestApp } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';

const KEY = 'hookkey';
const SECRET = 'hook-secret-long-enough-for-hs256-signing';

after(async () => {
  await stopOwnCluster();
});

describeEachDatabase('LiveKit webhook', (backend) => {
  let handle: Awaited<ReturnType<typeof backend.create>>;
  let media: MediaServer;
  let app: TestApp;

  const send = async (event: 'participant_joined' | 'participant_left' | 'room_finished', roomName: string, identity?: string, secret = SECRET) => {
    const sender = new WebhookSender(`${app.url}/api/v1/livekit/webhook`, KEY, secret, () => undefined);
    sender.send(event, { room: new Room({ name: roomName }), ...(identity ? { participant: new ParticipantInfo({ identity }) } : {}) });
    await sender.flush();
  };
  const count = async (meetingId: string, token: string) =>
    (await api<{ participantCount: number }>(app.url, 'GET', `/meetings/${meetingId}/status`, { token })).body.participantCount;

  before(async () => {
    handle = await backend.create();
    const db = await handle.open();
    media = await startMediaServer({ apiKey: KEY, apiSecret: SECRET, port: 0 });
    app = await startApp({ LIVEKIT_URL: media.url, LIVEKIT_API_KEY: KEY, LIVEKIT_API_SECRET: SECRET }, db);
  });
  after(async () => {
    await app.close();
    await media.close();
    await handle.dispose();
  });

  it('frees the slot of a participant LiveKit saw leave, and only on a verified signature', async () => {
    const host = await app.deps.verifier.signUser({ userId: randomUUID(), email: 'h@example.com', name: 'H' });
    const meeting = (await api<MeetingView>(app.url, 'POST', '/meetings', { token: host, body: { title: 'Hooks' } })).body;
    const joined = await api<{ identity: string }>(app.url, 'POST', `/meetings/${meeting.id}/join`, { token: host });
    assert.equal(await count(meeting.id, host), 1);

    await send('participant_joined', meeting.roomName, joined.body.identity);
    // A forged webhook changes nothing.
    await send('participant_left', meeting.roomName, joined.body.identity, 'not-the-secret-but-long-enough-to-sign');
    assert.equal(await count(meeting.id, host), 1);

    await send('participant_left', meeting.roomName, joined.body.identity);
    assert.equal(await count(meeting.id, host), 0);
  });

  it('refuses an unsigned or malformed call with INVALID_TOKEN, and ignores unknown rooms', async () => {
    const unsigned = await fetch(`${app.url}/api/v1/livekit/webhook`, { method: 'POST', headers: { 'content-type': 'application/webhook+json' }, body: '{"event":"room_finished"}' });
    assert.equal(unsigned.status, 401);
    assert.equal(((await unsigned.json()) as { error: { code: string } }).error.code, 'INVALID_TOKEN');
    const garbage = await fetch(`${app.url}/api/v1/livekit/webhook`, { method: 'POST', headers: { 'content-type': 'application/webhook+json', authorization: 'x' }, body: 'not json' });
    assert.equal(garbage.status, 401);
    await send('room_finished', 'mtg_not-a-meeting');
  });
});
