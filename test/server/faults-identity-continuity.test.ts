// Fault: a rejoin under the same identity (a reload, a network change) while LiveKit's reports of
// the old and the new session arrive in any order. Today the old session's late participant_left
// frees the seat the new session holds, and participant_joined only updates rows not yet marked
// left: the person is in the call without a seat.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { ParticipantInfo, Room } from '@livekit/protocol';
import { WebhookSender } from '../../server/src/media/webhooks.js';
import { api } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';
import { MEDIA_KEY, MEDIA_SECRET, startMediaStack, type MediaStack } from './helpers/media-stack.js';

after(async () => {
  await stopOwnCluster();
});

describeEachDatabase('fault: reports of a replaced session arriving late', (backend) => {
  let stack: MediaStack;
  let clock = Date.now();

  before(async () => {
    stack = await startMediaStack(backend);
  });
  after(async () => {
    await stack.close();
  });

  /** A signed LiveKit webhook about one session, delivered and handled before this resolves. */
  const report = async (event: 'participant_joined' | 'participant_left', roomName: string, identity: string, sid: string, startedMs: number) => {
    const sender = new WebhookSender(`${stack.app.url}/api/v1/livekit/webhook`, MEDIA_KEY, MEDIA_SECRET, () => undefined);
    sender.send(event, { room: new Room({ name: roomName }), participant: new ParticipantInfo({ identity, sid, joinedAtMs: BigInt(startedMs) }) });
    await sender.flush();
  };
  // A session starts after the token it connects with was granted, and after the sessions before it.
  const session = () => (clock = Math.max(clock + 1, Date.now()));
  const present = async (meetingId: string, host: string) =>
    (await api<Array<{ identity: string }>>(stack.app.url, 'GET', `/meetings/${meetingId}/participants`, { token: host })).body.map((p) => p.identity).sort();

  it('a reload keeps one present row and its seat, whichever report comes first', async () => {
    for (const order of ['old leave last', 'old leave first'] as const) {
      const { meeting, host, hostJoin } = await stack.meeting();
      await report('participant_joined', meeting.roomName, hostJoin.identity, 'PA_host', session());
      const ann = await stack.user('Ann');
      const first = await stack.join(meeting.id, ann);
      await report('participant_joined', meeting.roomName, first.body.identity, 'PA_old', session());
      // Reload: a new token, a new session.
      assert.equal((await stack.join(meeting.id, ann)).status, 200);
      const started = session();
      if (order === 'old leave last') {
        await report('participant_joined', meeting.roomName, first.body.identity, 'PA_new', started);
        await report('participant_left', meeting.roomName, first.body.identity, 'PA_old', started - 1000);
      } else {
        await report('participant_left', meeting.roomName, first.body.identity, 'PA_old', started - 1000);
        await report('participant_joined', meeting.roomName, first.body.identity, 'PA_new', started);
      }
      assert.deepEqual(await present(meeting.id, host), [first.body.identity, hostJoin.identity].sort(), order);
      const rows = await stack.app.deps.db.query('SELECT 1 FROM meeting_participants WHERE meeting_id = $1 AND identity = $2 AND left_at IS NULL', [meeting.id, first.body.identity]);
      assert.equal(rows.rowCount, 1, `${order}: one present row`);
      // The seat is still held: chat works for Ann.
      assert.equal((await api(stack.app.url, 'POST', `/meetings/${meeting.id}/chat`, { token: ann, body: { text: 'still here' } })).status, 201, order);
      // The new session's own leave does free it.
      await report('participant_left', meeting.roomName, first.body.identity, 'PA_new', started);
      assert.deepEqual(await present(meeting.id, host), [hostJoin.identity], `${order}: the real leave frees the seat`);
    }
  });

  it('a join that arrives after a late leave (a reconnect with the same token) restores the seat', async () => {
    const { meeting, host, hostJoin } = await stack.meeting();
    await report('participant_joined', meeting.roomName, hostJoin.identity, 'PB_host', session());
    const bo = await stack.join(meeting.id, await stack.user('Bo'));
    const old = session();
    await report('participant_joined', meeting.roomName, bo.body.identity, 'PB_old', old);
    const reconnected = session();
    await report('participant_left', meeting.roomName, bo.body.identity, 'PB_old', old);
    await report('participant_joined', meeting.roomName, bo.body.identity, 'PB_new', reconnected);
    assert.deepEqual(await present(meeting.id, host), [bo.body.identity, hostJoin.identity].sort());
    // A stale report of the old session changes nothing now.
    await report('participant_joined', meeting.roomName, bo.body.identity, 'PB_old', old);
    await report('participant_left', meeting.roomName, bo.body.identity, 'PB_old', old);
    assert.deepEqual(await present(meeting.id, host), [bo.body.identity, hostJoin.identity].sort());
  });
});
