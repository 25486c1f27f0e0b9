// Attacks on the chats of breakout rooms, played by hostile attendees over real HTTP, with the
// embedded media server as the rooms: each asserts the attacker read nothing, stored nothing and
// reached nobody, and that what the media server delivered to each room is only that room's own.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { api } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';
import { within, type RawParticipant } from './helpers/raw-participant.js';
import { breakoutSuite, type Person, type RoomData } from './breakouts-support.js';

after(async () => {
  await stopOwnCluster();
});

/** Messages one person may send in a minute here, wherever they send them (the meeting's chat rule). */
const CHAT_LIMIT = 6;

describeEachDatabase('attack: breakout room chat', (backend) => {
  const suite = breakoutSuite(backend, { RATE_LIMIT_CHAT: String(CHAT_LIMIT) });
  const { person, raw, record } = suite;

  /**
   * Ann in room A, Bob in room B, Mallory in room M, each connected to their room; Eve is in the
   * meeting but assigned nowhere. What the media server delivers in A, B and M is recorded.
   */
  const scene = async (policy: Record<string, unknown> = {}) => {
    const { meeting, host, hostJoin } = await suite.stack.meeting(policy);
    const [ann, bob, mallory, eve] = (await suite.people(meeting.id, ['Ann', 'Bob', 'Mallory', 'Eve'])) as [Person, Person, Person, Person];
    const opened = await suite.breakouts.open(meeting.id, host, {
      rooms: [
        { name: 'A', identities: [ann.identity] },
        { name: 'B', identities: [bob.identity] },
        { name: 'M', identities: [mallory.identity] },
      ],
    });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    const [roomA, roomB, roomM] = opened.body.rooms as [(typeof opened.body.rooms)[0], (typeof opened.body.rooms)[0], (typeof opened.body.rooms)[0]];
    const roomNameOf = (id: string) => `${meeting.roomName}~breakout~${id}`;
    const seen = { A: record(roomNameOf(roomA.id)), B: record(roomNameOf(roomB.id)), M: record(roomNameOf(roomM.id)), main: record(meeting.roomName) };
    // Everyone enters their room at once (one by one only cost time).
    const entered = await Promise.all(([[ann, roomA], [bob, roomB], [mallory, roomM]] as const).map(async ([who, room]) => [who.identity, await suite.enter(meeting.id, room.id, who)] as const));
    const sessions: Record<string, RawParticipant> = Object.fromEntries(entered);
    return { meeting, host, hostIdentity: hostJoin.identity, ann, bob, mallory, eve, roomA, roomB, roomM, seen, sessions, roomNameOf };
  };

  const texts = (data: RoomData) => data.delivered.filter((d) => d.topic === 'chat').map((d) => d.body.text);

  it("someone in room M can neither read nor post to room B's chat; B's history and deliveries are B's own", async () => {
    const { meeting, bob, mallory, roomB, seen } = await scene();
    const said = await suite.chat.send(meeting.id, roomB.id, bob.token, { text: 'our plan, room B only' });
    assert.equal(said.status, 201, JSON.stringify(said.body));
    await seen.B.next((d) => d.topic === 'chat' && d.body.id === said.body.id);

    const read = await suite.chat.list(meeting.id, roomB.id, mallory.token);
    assert.equal(read.status, 403);
    assert.equal(read.body.error?.code, 'INSUFFICIENT_PERMISSION');
    assert.ok(!JSON.stringify(read.body).includes('our plan'), 'nothing of room B in the refusal');
    const post = await suite.chat.send(meeting.id, roomB.id, mallory.token, { text: 'Mallory was here' });
    assert.equal(post.status, 403);
    assert.equal(post.body.error?.code, 'INSUFFICIENT_PERMISSION');
    // Room B's cursor read through her own room's chat names nothing there.
    const cursor = await suite.chat.list(meeting.id, null, mallory.token, `?after=${said.body.id}`);
    assert.equal(cursor.status, 400);
    assert.equal(cursor.body.error?.code, 'VALIDATION_FAILED');

    const history = await suite.chat.list(meeting.id, roomB.id, bob.token);
    assert.deepEqual(history.body.map((m) => m.text), ['our plan, room B only']);
    assert.deepEqual(texts(seen.B), ['our plan, room B only']);
    assert.deepEqual([texts(seen.A), texts(seen.M), texts(seen.main)], [[], [], []], "room B's message went nowhere else");
  });

  it("a cursor from another room's chat reads nothing in one's own", async () => {
    const { meeting, bob, mallory, roomB, roomM } = await scene();
    const inB = await suite.chat.send(meeting.id, roomB.id, bob.token, { text: 'B: secret' });
    const inM = await suite.chat.send(meeting.id, roomM.id, mallory.token, { text: 'M: hello' });
    assert.equal(inB.status, 201);
    assert.equal(inM.status, 201);
    const res = await suite.chat.list(meeting.id, roomM.id, mallory.token, `?after=${inB.body.id}`);
    assert.equal(res.status, 400);
    assert.equal(res.body.error?.code, 'VALIDATION_FAILED');
    assert.ok(!JSON.stringify(res.body).includes('secret'));
  });

  it('someone assigned to no room, a stranger, nobody, and a made-up or foreign room id get nothing and send nothing', async () => {
    const { meeting, host, bob, eve, mallory, roomB, seen } = await scene();
    await suite.chat.send(meeting.id, roomB.id, bob.token, { text: 'B only' });
    const stranger = await suite.stack.user('Stranger');
    const other = await suite.stack.meeting();
    const otherAnn = await person(other.meeting.id, 'Other Ann');
    const otherSession = await suite.breakouts.open(other.meeting.id, other.host, { rooms: [{ name: 'X', identities: [otherAnn.identity] }] });
    const foreignRoom = otherSession.body.rooms[0]!.id;
    const madeUp = '00000000-0000-4000-8000-000000000000';
    const attempts = [
      ['eve reads B', await suite.chat.list(meeting.id, roomB.id, eve.token)],
      ['eve posts to B', await suite.chat.send(meeting.id, roomB.id, eve.token, { text: 'eve' })],
      ['stranger reads B', await suite.chat.list(meeting.id, roomB.id, stranger)],
      ['stranger posts to B', await suite.chat.send(meeting.id, roomB.id, stranger, { text: 'stranger' })],
      ['nobody reads B', await suite.chat.list(meeting.id, roomB.id, undefined)],
      ['nobody posts to B', await suite.chat.send(meeting.id, roomB.id, undefined, { text: 'nobody' })],
      ['mallory posts to a made-up room', await suite.chat.send(meeting.id, madeUp, mallory.token, { text: 'made up' })],
      ["mallory posts to another meeting's room under this meeting", await suite.chat.send(meeting.id, foreignRoom, mallory.token, { text: 'foreign' })],
      ["this meeting's host reads another meeting's room under this meeting", await suite.chat.list(meeting.id, foreignRoom, host)],
      ["mallory reads another meeting's room under its own meeting", await suite.chat.list(other.meeting.id, foreignRoom, mallory.token)],
    ] as const;
    assert.deepEqual(
      attempts.map(([what, res]) => [what, res.status, res.body.error?.code]),
      [
        ['eve reads B', 403, 'INSUFFICIENT_PERMISSION'],
        ['eve posts to B', 403, 'INSUFFICIENT_PERMISSION'],
        ['stranger reads B', 403, 'INSUFFICIENT_PERMISSION'],
        ['stranger posts to B', 403, 'INSUFFICIENT_PERMISSION'],
        ['nobody reads B', 401, 'AUTH_REQUIRED'],
        ['nobody posts to B', 401, 'AUTH_REQUIRED'],
        ['mallory posts to a made-up room', 404, 'BREAKOUTS_NOT_OPEN'],
        ["mallory posts to another meeting's room under this meeting", 404, 'BREAKOUTS_NOT_OPEN'],
        ["this meeting's host reads another meeting's room under this meeting", 404, 'BREAKOUTS_NOT_OPEN'],
        ["mallory reads another meeting's room under its own meeting", 403, 'INSUFFICIENT_PERMISSION'],
      ],
    );
    assert.deepEqual((await suite.chat.list(meeting.id, roomB.id, bob.token)).body.map((m) => m.text), ['B only']);
    assert.deepEqual(texts(seen.B), ['B only']);
    assert.deepEqual([texts(seen.A), texts(seen.M), texts(seen.main)], [[], [], []]);
  });

  it('a removed person reads nothing, sends nothing, and is sent nothing: neither chat nor poll results reach them', async () => {
    const { meeting, host, hostIdentity, mallory, roomM, seen, sessions } = await scene();
    const removed = await api(suite.stack.app.url, 'POST', `/meetings/${meeting.id}/participants/${mallory.identity}/remove`, { token: host });
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    await within(sessions[mallory.identity]!.closed, 10_000, 'the removed participant is taken out of her breakout room');
    const refused = [
      await suite.chat.list(meeting.id, roomM.id, mallory.token),
      await suite.chat.send(meeting.id, roomM.id, mallory.token, { text: 'still here?' }),
      await suite.chat.list(meeting.id, null, mallory.token),
      await api<{ error?: { code: string } }>(suite.stack.app.url, 'GET', `/meetings/${meeting.id}/polls`, { token: mallory.token }),
    ];
    assert.deepEqual(
      refused.map((r) => [r.status >= 400, r.body.error?.code]),
      [
        [true, 'ADMISSION_DENIED'],
        [true, 'ADMISSION_DENIED'],
        [true, 'INSUFFICIENT_PERMISSION'],
        [true, 'INSUFFICIENT_PERMISSION'],
      ],
    );
    // The host visits room M and speaks there, and starts a poll: room M hears both, Mallory nothing.
    const visit = await suite.breakouts.join(meeting.id, roomM.id, host);
    assert.equal(visit.status, 200, JSON.stringify(visit.body));
    await raw(visit.body.token);
    const said = await suite.chat.send(meeting.id, roomM.id, host, { text: 'host in M' });
    assert.equal(said.status, 201, JSON.stringify(said.body));
    const poll = await api<{ id: string }>(suite.stack.app.url, 'POST', `/meetings/${meeting.id}/polls`, { token: host, body: { question: 'Lunch?', options: ['yes', 'no'] } });
    assert.equal(poll.status, 201, JSON.stringify(poll.body));
    const chatInM = await seen.M.next((d) => d.topic === 'chat' && d.body.id === said.body.id);
    const pollInM = await seen.M.next((d) => d.topic === 'polls' && (d.body.poll as { id: string }).id === poll.body.id);
    assert.deepEqual(chatInM.to, [hostIdentity]);
    assert.deepEqual(pollInM.to, [hostIdentity]);
    assert.deepEqual(
      seen.M.delivered.filter((d) => d.to.includes(mallory.identity)).map((d) => d.topic),
      [],
      'nothing was delivered to Mallory in room M after her removal (nor before: nothing was sent there)',
    );
    assert.deepEqual((await suite.chat.list(meeting.id, roomM.id, host)).body.map((m) => m.text), ['host in M'], 'her refused message was not stored');
  });

  it("the meeting's chat policy holds inside every breakout room", async () => {
    const hostsOnly = await scene({ chat: 'hosts' });
    const byAttendee = await suite.chat.send(hostsOnly.meeting.id, hostsOnly.roomB.id, hostsOnly.bob.token, { text: 'may I?' });
    assert.equal(byAttendee.status, 403);
    assert.equal(byAttendee.body.error?.code, 'FEATURE_DISABLED');
    const byHost = await suite.chat.send(hostsOnly.meeting.id, hostsOnly.roomB.id, hostsOnly.host, { text: 'hosts may' });
    assert.equal(byHost.status, 201, JSON.stringify(byHost.body));
    assert.deepEqual(texts(hostsOnly.seen.B), ['hosts may']);

    const off = await scene({ chat: 'nobody' });
    const attempts = [await suite.chat.send(off.meeting.id, off.roomB.id, off.bob.token, { text: 'x' }), await suite.chat.send(off.meeting.id, off.roomB.id, off.host, { text: 'y' })];
    assert.deepEqual(
      attempts.map((a) => a.body.error?.code),
      ['FEATURE_DISABLED', 'FEATURE_DISABLED'],
    );
    assert.deepEqual(texts(off.seen.B), []);
  });

  it("the chat rate limit counts the main room's and the breakout room's messages together", async () => {
    const { meeting, bob, roomB, seen } = await scene();
    const half = Math.floor(CHAT_LIMIT / 2);
    for (let i = 0; i < half; i++) assert.equal((await suite.chat.send(meeting.id, null, bob.token, { text: `main ${String(i)}` })).status, 201);
    for (let i = half; i < CHAT_LIMIT; i++) assert.equal((await suite.chat.send(meeting.id, roomB.id, bob.token, { text: `room ${String(i)}` })).status, 201);
    const over = await suite.chat.send(meeting.id, roomB.id, bob.token, { text: 'one too many' });
    assert.equal(over.status, 429);
    assert.equal(over.body.error?.code, 'RATE_LIMITED');
    assert.ok(!texts(seen.B).includes('one too many'));
  });

  it('a closed breakout room, or an ended meeting, takes no more messages', async () => {
    const closed = await scene();
    assert.equal((await suite.chat.send(closed.meeting.id, closed.roomB.id, closed.bob.token, { text: 'before the close' })).status, 201);
    assert.equal((await suite.breakouts.close(closed.meeting.id, closed.host)).status, 200);
    const after = await suite.chat.send(closed.meeting.id, closed.roomB.id, closed.bob.token, { text: 'after the close' });
    assert.equal(after.status, 404);
    assert.equal(after.body.error?.code, 'BREAKOUTS_NOT_OPEN');
    assert.deepEqual((await suite.chat.list(closed.meeting.id, closed.roomB.id, closed.bob.token)).body.map((m) => m.text), ['before the close'], 'the room keeps its history');

    const ended = await scene();
    assert.equal((await api(suite.stack.app.url, 'POST', `/meetings/${ended.meeting.id}/end`, { token: ended.host })).status, 200);
    const late = await suite.chat.send(ended.meeting.id, ended.roomB.id, ended.host, { text: 'after the end' });
    assert.equal(late.status, 410, JSON.stringify(late.body));
    assert.equal(late.body.error?.code, 'MEETING_ENDED');
    assert.deepEqual(texts(ended.seen.B), []);
  });
});
