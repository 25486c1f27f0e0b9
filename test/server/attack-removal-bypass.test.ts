// Attack: come back after being removed, or after the meeting was locked or ended. Today a removed
// user's join is admitted again at once, re-polling an old waitingId mints a fresh token after
// removal or lock, a participant_joined for someone without a seat is ignored, and DELETE leaves
// the room running.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { api } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';
import { connectRaw, upgradeStatus, within, type RawParticipant } from './helpers/raw-participant.js';
import { startMediaStack, type MediaStack } from './helpers/media-stack.js';

after(async () => {
  await stopOwnCluster();
});

type Poll = { status: string; token?: string; error?: { code: string } };

describeEachDatabase('attack: walking around removal, lock and end', (backend) => {
  let stack: MediaStack;
  const sockets: RawParticipant[] = [];
  const raw = async (token: string) => {
    const socket = await connectRaw(stack.media.url, token);
    sockets.push(socket);
    return socket;
  };
  const inRoom = (roomName: string, identity: string) => stack.media.registry.get(roomName)?.participant(identity) !== undefined;
  const poll = (meetingId: string, waitingId: string, token: string) => api<Poll>(stack.app.url, 'GET', `/meetings/${meetingId}/waiting/${waitingId}`, { token });

  before(async () => {
    // The media server as LiveKit should run (room.auto_create: false): the token server creates rooms.
    stack = await startMediaStack(backend, { LIVEKIT_CREATE_ROOMS: '1' }, { autoCreateRooms: false });
  });
  after(async () => {
    for (const socket of sockets) socket.close();
    await stack.close();
  });

  it('a removed user is refused until a host lifts the removal, in and out of the waiting room', async () => {
    const { meeting, host, hostJoin } = await stack.meeting();
    await raw(hostJoin.token);
    const mallory = await stack.user('Mallory');
    const joined = await stack.join(meeting.id, mallory);
    const socket = await raw(joined.body.token);
    const removed = await api(stack.app.url, 'POST', `/meetings/${meeting.id}/participants/${joined.body.identity}/remove`, { token: host });
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    await within(socket.closed, 10_000, 'the removed session closes');

    const again = await stack.join(meeting.id, mallory);
    assert.equal(again.status, 403, JSON.stringify(again.body));
    assert.equal(again.body.error?.code, 'ADMISSION_DENIED');
    // Nor through the waiting room.
    await api(stack.app.url, 'PATCH', `/meetings/${meeting.id}`, { token: host, body: { policy: { waitingRoom: true } } });
    const knock = await stack.join(meeting.id, mallory);
    assert.equal(knock.status, 403);
    assert.equal(knock.body.error?.code, 'ADMISSION_DENIED');

    const list = await api<Array<{ identity: string }>>(stack.app.url, 'GET', `/meetings/${meeting.id}/removals`, { token: host });
    assert.deepEqual(list.body.map((r) => r.identity), [joined.body.identity]);
    assert.equal((await api(stack.app.url, 'GET', `/meetings/${meeting.id}/removals`, { token: mallory })).status, 403);
    const lifted = await api(stack.app.url, 'DELETE', `/meetings/${meeting.id}/removals/${joined.body.identity}`, { token: host });
    assert.deepEqual(lifted.body, { identity: joined.body.identity, removed: false });
    assert.equal((await stack.join(meeting.id, mallory)).status, 202, 'after the lift, Mallory may knock again');
  });

  it('a removed guest token is refused too', async () => {
    const { meeting, host } = await stack.meeting({ allowAnonymous: true });
    const guest = await stack.join(meeting.id, undefined, { displayName: 'Gus' });
    assert.equal(guest.status, 200, JSON.stringify(guest.body));
    const guestToken = guest.body.guestToken ?? '';
    assert.equal((await api(stack.app.url, 'POST', `/meetings/${meeting.id}/participants/${guest.body.identity}/remove`, { token: host })).status, 200);
    const again = await stack.join(meeting.id, guestToken);
    assert.equal(again.status, 403);
    assert.equal(again.body.error?.code, 'ADMISSION_DENIED');
  });

  it('an admitted waitingId gives one token, and none after removal or lock', async () => {
    const { meeting, host } = await stack.meeting({ waitingRoom: true });
    const admit = async (name: string) => {
      const token = await stack.user(name);
      const knock = await stack.join(meeting.id, token);
      assert.equal(knock.status, 202, JSON.stringify(knock.body));
      const waitingId = knock.body.waitingId ?? '';
      assert.equal((await api(stack.app.url, 'POST', `/meetings/${meeting.id}/waiting/${waitingId}/admit`, { token: host })).status, 200);
      return { token, waitingId };
    };

    const ann = await admit('Ann');
    const first = await poll(meeting.id, ann.waitingId, ann.token);
    assert.equal(first.body.status, 'admitted');
    assert.ok(first.body.token);
    const replay = await poll(meeting.id, ann.waitingId, ann.token);
    assert.equal(replay.status, 404, JSON.stringify(replay.body));
    assert.equal(replay.body.token, undefined);

    // Admitted, then removed before coming for the token.
    const bob = await admit('Bob');
    const bobIdentity = (await api<Array<{ identity: string; displayName: string }>>(stack.app.url, 'GET', `/meetings/${meeting.id}/participants`, { token: host })).body.find((p) => p.displayName === 'Bob')?.identity;
    assert.ok(bobIdentity);
    assert.equal((await api(stack.app.url, 'POST', `/meetings/${meeting.id}/participants/${bobIdentity}/remove`, { token: host })).status, 200);
    const afterRemoval = await poll(meeting.id, bob.waitingId, bob.token);
    assert.equal(afterRemoval.status, 403, JSON.stringify(afterRemoval.body));
    assert.equal(afterRemoval.body.error?.code, 'ADMISSION_DENIED');

    // Admitted, then the meeting is locked before the token is fetched.
    const cy = await admit('Cy');
    await api(stack.app.url, 'POST', `/meetings/${meeting.id}/lock`, { token: host });
    const afterLock = await poll(meeting.id, cy.waitingId, cy.token);
    assert.equal(afterLock.status, 403, JSON.stringify(afterLock.body));
    assert.equal(afterLock.body.error?.code, 'MEETING_LOCKED');
  });

  it('someone in the room without a seat is taken out of it', async () => {
    const { meeting, host, hostJoin } = await stack.meeting();
    await raw(hostJoin.token);
    const eve = await stack.join(meeting.id, await stack.user('Eve'));
    const first = await raw(eve.body.token);
    assert.equal((await api(stack.app.url, 'POST', `/meetings/${meeting.id}/participants/${eve.body.identity}/remove`, { token: host })).status, 200);
    await within(first.closed, 10_000, 'the removed session closes');
    // The LiveKit token is still valid for a few seconds: Eve reconnects with it.
    const back = await raw(eve.body.token);
    await within(back.closed, 10_000, 'the seatless session is taken out');
    assert.equal(inRoom(meeting.roomName, eve.body.identity), false);
    assert.ok(inRoom(meeting.roomName, hostJoin.identity));
  });

  it('ending or deleting a meeting closes its room, and its old tokens do not stay connected', async () => {
    for (const close of ['end', 'delete'] as const) {
      const { meeting, host, hostJoin } = await stack.meeting();
      const attendee = await stack.join(meeting.id, await stack.user('Ada'));
      const sessions = [await raw(hostJoin.token), await raw(attendee.body.token)];
      const res =
        close === 'end'
          ? await api(stack.app.url, 'POST', `/meetings/${meeting.id}/end`, { token: host })
          : await api(stack.app.url, 'DELETE', `/meetings/${meeting.id}`, { token: host });
      assert.ok(res.status === 200 || res.status === 204, JSON.stringify(res.body));
      await within(Promise.all(sessions.map((s) => s.closed)), 10_000, `${close}: everyone is disconnected`);
      assert.equal(stack.media.registry.get(meeting.roomName), undefined, `${close}: the room is gone`);
      // A replayed token, still within its minute, connects nowhere: the room is gone for good.
      assert.equal(await upgradeStatus(stack.media.url, attendee.body.token), 404, `${close}: the old token is refused`);
      assert.equal(stack.media.registry.get(meeting.roomName), undefined);
    }
  });
});
