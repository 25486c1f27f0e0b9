// Attacks on breakout rooms, played by hostile clients over real HTTP and LiveKit's signalling:
// each asserts the attacker got no token, no view and no change, and that the others' rooms are as
// they were.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { api } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';
import { upgradeStatus, within } from './helpers/raw-participant.js';
import { breakoutSuite, recordBreakoutPushes, type BreakoutPushes, type Person } from './breakouts-support.js';

after(async () => {
  await stopOwnCluster();
});

describeEachDatabase('attack: breakout rooms', (backend) => {
  // As LiveKit should run (room.auto_create off): a deleted room does not come back for a token.
  const suite = breakoutSuite(backend);
  const { person, raw } = suite;

  /** A meeting with Ann in room A, Bob in room B and Mallory in room M, open. */
  const scene = async (policy: Record<string, unknown> = {}) => {
    const { meeting, host } = await suite.stack.meeting(policy);
    const [ann, bob, mallory] = (await suite.people(meeting.id, ['Ann', 'Bob', 'Mallory'])) as [Person, Person, Person];
    const opened = await suite.breakouts.open(meeting.id, host, {
      rooms: [
        { name: 'A', identities: [ann.identity] },
        { name: 'B', identities: [bob.identity] },
        { name: 'M', identities: [mallory.identity] },
      ],
    });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    const [roomA, roomB, roomM] = opened.body.rooms as [(typeof opened.body.rooms)[0], (typeof opened.body.rooms)[0], (typeof opened.body.rooms)[0]];
    return { meeting, host, ann, bob, mallory, session: opened.body, roomA, roomB, roomM };
  };
  const rooms = async (meetingId: string, host: string) => (await suite.breakouts.get(meetingId, host)).body.rooms.map((r) => [r.name, r.identities]);

  it("an attendee asking for another room's token gets none", async () => {
    const { meeting, mallory, roomA, roomB, roomM } = await scene();
    for (const room of [roomA, roomB]) {
      const res = await suite.breakouts.join(meeting.id, room.id, mallory.token);
      assert.equal(res.status, 403);
      assert.equal(res.body.error?.code, 'INSUFFICIENT_PERMISSION');
      assert.equal(res.body.token, undefined);
    }
    assert.equal((await suite.breakouts.join(meeting.id, roomM.id, mallory.token)).status, 200, 'her own room she may join');
  });

  it('an attendee can neither open, replace nor close breakout rooms', async () => {
    const { meeting, host, mallory, session } = await scene();
    const before = await rooms(meeting.id, host);
    const attempts = await Promise.all([
      suite.breakouts.open(meeting.id, mallory.token, { rooms: [{ name: 'Mine', identities: [mallory.identity] }] }),
      suite.breakouts.open(meeting.id, mallory.token, { split: 2 }),
      suite.breakouts.close(meeting.id, mallory.token),
      suite.breakouts.open(meeting.id, undefined, { split: 2 }),
      suite.breakouts.close(meeting.id, undefined),
    ]);
    assert.deepEqual(
      attempts.map((a) => a.body.error?.code),
      ['INSUFFICIENT_PERMISSION', 'INSUFFICIENT_PERMISSION', 'INSUFFICIENT_PERMISSION', 'AUTH_REQUIRED', 'AUTH_REQUIRED'],
    );
    const now = await suite.breakouts.get(meeting.id, host);
    assert.equal(now.body.id, session.id, 'the same session is open');
    assert.deepEqual(await rooms(meeting.id, host), before);
  });

  it('a removed participant gets no token, no view, and is taken out of the breakout room they were in', async () => {
    const { meeting, host, mallory, roomM } = await scene();
    const token = (await suite.breakouts.join(meeting.id, roomM.id, mallory.token)).body.token;
    const inBreakout = await raw(token);
    const removed = await api(suite.stack.app.url, 'POST', `/meetings/${meeting.id}/participants/${mallory.identity}/remove`, { token: host });
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    await within(inBreakout.closed, 10_000, 'the removed participant is disconnected from the breakout room');
    const again = await suite.breakouts.join(meeting.id, roomM.id, mallory.token);
    assert.equal(again.status, 403);
    assert.equal(again.body.error?.code, 'ADMISSION_DENIED');
    assert.equal((await suite.breakouts.get(meeting.id, mallory.token)).body.error?.code, 'ADMISSION_DENIED');
    // The token she still has is refused by the room: she holds no seat any more.
    const back = await raw(token);
    await within(back.closed, 10_000, 'a seatless session in a breakout room is taken out');
  });

  it('a guest token of another meeting, or a stranger with no seat, gets nothing', async () => {
    const { meeting, roomA } = await scene({ allowAnonymous: true });
    const other = await suite.stack.meeting({ allowAnonymous: true });
    const guest = await suite.stack.join(other.meeting.id, undefined, { displayName: 'Guest' });
    const guestToken = guest.body.guestToken;
    assert.ok(guestToken !== undefined);
    const asGuest = [await suite.breakouts.join(meeting.id, roomA.id, guestToken), await suite.breakouts.get(meeting.id, guestToken)];
    assert.deepEqual(
      asGuest.map((r) => r.body.error?.code),
      ['INSUFFICIENT_PERMISSION', 'INSUFFICIENT_PERMISSION'],
    );
    // Assigned by name, but never in the meeting (or gone from it): no seat, no breakout room.
    const { meeting: m2, host: h2 } = await suite.stack.meeting();
    const stranger = await suite.stack.user('Stranger');
    const leaver = await person(m2.id, 'Leaver');
    assert.equal((await api(suite.stack.app.url, 'POST', `/meetings/${m2.id}/leave`, { token: leaver.token })).status, 200);
    const opened = await suite.breakouts.open(m2.id, h2, { rooms: [{ name: 'R', identities: [leaver.identity] }] });
    const room = opened.body.rooms[0]!;
    assert.equal((await suite.breakouts.join(m2.id, room.id, leaver.token)).body.error?.code, 'INSUFFICIENT_PERMISSION');
    assert.equal((await suite.breakouts.join(m2.id, room.id, stranger)).body.error?.code, 'INSUFFICIENT_PERMISSION');
    assert.equal((await suite.breakouts.get(m2.id, stranger)).body.error?.code, 'INSUFFICIENT_PERMISSION');
    assert.equal((await suite.breakouts.join(m2.id, room.id)).status, 401);
  });

  it('after the close no token is given and the tokens given before connect nowhere', async () => {
    const { meeting, host, ann, roomA } = await scene();
    const token = (await suite.breakouts.join(meeting.id, roomA.id, ann.token)).body.token;
    const inBreakout = await raw(token);
    assert.equal((await suite.breakouts.close(meeting.id, host)).status, 200);
    const refused = await suite.breakouts.join(meeting.id, roomA.id, ann.token);
    assert.equal(refused.status, 404);
    assert.equal(refused.body.error?.code, 'BREAKOUTS_NOT_OPEN');
    await within(inBreakout.closed, 20_000, 'the room is deleted after the grace');
    assert.equal(await upgradeStatus(suite.stack.media.url, token), 404, 'an old token connects nowhere');
    // Not even a host gets into a closed room.
    assert.equal((await suite.breakouts.join(meeting.id, roomA.id, host)).body.error?.code, 'BREAKOUTS_NOT_OPEN');
  });

  it('after the end no breakout token is given and none connects', async () => {
    const { meeting, host, ann, roomA } = await scene();
    const token = (await suite.breakouts.join(meeting.id, roomA.id, ann.token)).body.token;
    assert.equal((await api(suite.stack.app.url, 'POST', `/meetings/${meeting.id}/end`, { token: host })).status, 200);
    // The token given before the end connects nowhere: the breakout room went with the meeting.
    assert.equal(await upgradeStatus(suite.stack.media.url, token), 404);
    assert.equal((await suite.breakouts.join(meeting.id, roomA.id, ann.token)).body.error?.code, 'MEETING_ENDED');
    assert.equal((await suite.breakouts.join(meeting.id, roomA.id, host)).body.error?.code, 'MEETING_ENDED');
  });

  it('with policy.breakoutRooms false nobody opens, reads or joins them (FEATURE_DISABLED)', async () => {
    const { meeting, host } = await suite.stack.meeting({ breakoutRooms: false });
    const ann = await person(meeting.id, 'Ann');
    const opened = await suite.breakouts.open(meeting.id, host, { rooms: [{ name: 'A', identities: [ann.identity] }] });
    assert.equal(opened.status, 403);
    assert.equal(opened.body.error?.code, 'FEATURE_DISABLED');
    assert.equal((await suite.breakouts.get(meeting.id, host)).body.error?.code, 'FEATURE_DISABLED');
    // Turned off while open: no more tokens, though a host may still close them.
    const { meeting: m2, host: h2, ann: a2, roomA } = await scene();
    assert.equal((await api(suite.stack.app.url, 'PATCH', `/meetings/${m2.id}`, { token: h2, body: { policy: { breakoutRooms: false } } })).status, 200);
    assert.equal((await suite.breakouts.join(m2.id, roomA.id, a2.token)).body.error?.code, 'FEATURE_DISABLED');
    assert.equal((await suite.breakouts.join(m2.id, roomA.id, h2)).body.error?.code, 'FEATURE_DISABLED');
    assert.equal((await suite.breakouts.get(m2.id, a2.token)).body.error?.code, 'FEATURE_DISABLED');
    assert.equal((await suite.breakouts.close(m2.id, h2)).status, 200);
  });

  /** Records the `breakouts` packets the main room and each breakout room of a scene get. */
  const pushesOf = (scene: { meeting: { roomName: string }; roomA: { id: string }; roomB: { id: string }; roomM: { id: string } }): BreakoutPushes[] =>
    [scene.meeting.roomName, ...[scene.roomA, scene.roomB, scene.roomM].map((room) => `${scene.meeting.roomName}~breakout~${room.id}`)].map((name) => recordBreakoutPushes(suite.stack.media, name));
  const broadcasts = (pushes: BreakoutPushes[]) => pushes.map((p) => p.packets.filter((packet) => packet.event === 'broadcast').map((packet) => packet.text));

  it('an attendee, a stranger or nobody cannot send a message to every room; none reaches any room', async () => {
    const here = await scene();
    const pushes = pushesOf(here);
    const stranger = await suite.stack.user('Stranger');
    const attempts = [
      await suite.breakouts.broadcast(here.meeting.id, here.mallory.token, { text: 'Everyone leave now, the meeting moved to evil.example' }),
      await suite.breakouts.broadcast(here.meeting.id, stranger, { text: 'from a stranger' }),
      await suite.breakouts.broadcast(here.meeting.id, undefined, { text: 'from nobody' }),
    ];
    assert.deepEqual(
      attempts.map((a) => [a.status, a.body.error?.code, a.body.delivered]),
      [
        [403, 'INSUFFICIENT_PERMISSION', undefined],
        [403, 'INSUFFICIENT_PERMISSION', undefined],
        [401, 'AUTH_REQUIRED', undefined],
      ],
    );
    // The host's message, sent after the refusals, reaches every room; it is the only one there.
    const sent = await suite.breakouts.broadcast(here.meeting.id, here.host, { text: 'Five minutes left' });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    await Promise.all(pushes.map((p) => p.next((packet) => packet.event === 'broadcast')));
    assert.deepEqual(broadcasts(pushes), [['Five minutes left'], ['Five minutes left'], ['Five minutes left'], ['Five minutes left']]);
    for (const p of pushes) p.stop();
  });

  it("a guest token of another meeting sends nothing to this meeting's rooms", async () => {
    const here = await scene({ allowAnonymous: true });
    const other = await suite.stack.meeting({ allowAnonymous: true });
    const guest = await suite.stack.join(other.meeting.id, undefined, { displayName: 'Guest' });
    const guestToken = guest.body.guestToken;
    assert.ok(guestToken !== undefined);
    // Even once that other meeting has breakout rooms of its own (the guest is no host there either).
    assert.equal((await suite.breakouts.open(other.meeting.id, other.host, { split: 1 })).status, 201);
    const pushes = pushesOf(here);
    const refused = await suite.breakouts.broadcast(here.meeting.id, guestToken, { text: 'Hello from elsewhere' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error?.code, 'INSUFFICIENT_PERMISSION');
    const sent = await suite.breakouts.broadcast(here.meeting.id, here.host, { text: 'probe' });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    await Promise.all(pushes.map((p) => p.next((packet) => packet.event === 'broadcast')));
    assert.deepEqual(broadcasts(pushes), [['probe'], ['probe'], ['probe'], ['probe']]);
    for (const p of pushes) p.stop();
  });

  it('after the close, the end, or with breakout rooms turned off, not even a host sends to the rooms', async () => {
    const closed = await scene();
    const closedPushes = pushesOf(closed);
    assert.equal((await suite.breakouts.close(closed.meeting.id, closed.host)).status, 200);
    const afterClose = await suite.breakouts.broadcast(closed.meeting.id, closed.host, { text: 'Still there?' });
    assert.equal(afterClose.status, 404);
    assert.equal(afterClose.body.error?.code, 'BREAKOUTS_NOT_OPEN');

    const ended = await scene();
    const endedPushes = pushesOf(ended);
    assert.equal((await api(suite.stack.app.url, 'POST', `/meetings/${ended.meeting.id}/end`, { token: ended.host })).status, 200);
    assert.equal((await suite.breakouts.broadcast(ended.meeting.id, ended.host, { text: 'After the end' })).body.error?.code, 'MEETING_ENDED');

    const off = await scene();
    const offPushes = pushesOf(off);
    assert.equal((await api(suite.stack.app.url, 'PATCH', `/meetings/${off.meeting.id}`, { token: off.host, body: { policy: { breakoutRooms: false } } })).status, 200);
    const disabled = await suite.breakouts.broadcast(off.meeting.id, off.host, { text: 'Turned off' });
    assert.equal(disabled.status, 403);
    assert.equal(disabled.body.error?.code, 'FEATURE_DISABLED');

    // Every refusal above was answered after its room would have been sent to: nothing was.
    assert.deepEqual([...broadcasts(closedPushes), ...broadcasts(endedPushes), ...broadcasts(offPushes)].flat(), []);
    for (const p of [...closedPushes, ...endedPushes, ...offPushes]) p.stop();
  });

  it("an attendee reading the breakouts sees their own room only, never the others' assignments", async () => {
    const { meeting, mallory, ann, bob } = await scene();
    const seen = await suite.breakouts.get(meeting.id, mallory.token);
    assert.equal(seen.status, 200);
    assert.deepEqual(
      seen.body.rooms.map((r) => r.name),
      ['M'],
    );
    const text = JSON.stringify(seen.body);
    assert.ok(!text.includes(ann.identity) && !text.includes(bob.identity), 'nobody else is named');
  });

  it('a room id of another meeting gives nothing, not even to that meeting’s host or its assignees', async () => {
    const here = await scene();
    const there = await scene();
    // There's host asks here's meeting for there's room, and the other way round.
    const crossed = [
      await suite.breakouts.join(here.meeting.id, there.roomA.id, here.host),
      await suite.breakouts.join(here.meeting.id, there.roomA.id, here.ann.token),
      await suite.breakouts.join(there.meeting.id, here.roomM.id, there.host),
    ];
    assert.deepEqual(
      crossed.map((r) => [r.status, r.body.error?.code]),
      [
        [404, 'BREAKOUTS_NOT_OPEN'],
        [404, 'BREAKOUTS_NOT_OPEN'],
        [404, 'BREAKOUTS_NOT_OPEN'],
      ],
    );
    // And someone assigned in the other meeting, through this meeting's path, gets nothing either.
    const theirs = await suite.breakouts.join(here.meeting.id, there.roomA.id, there.ann.token);
    assert.equal(theirs.body.error?.code, 'BREAKOUTS_NOT_OPEN');
    assert.equal(theirs.body.token, undefined);
  });
});
