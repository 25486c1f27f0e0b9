// Breakout rooms are part of the meeting, live: each room's chat is its own (stored, delivered and
// read there), the meeting's polls reach every open room and take votes from them, and a session
// says whether people may go back to the main room early. Over real HTTP, on both databases, with
// the embedded media server as the rooms (what it delivers, and to whom, is recorded).
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { api } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';
import { breakoutSuite, type Person, type RoomData } from './breakouts-support.js';
import { pollCalls, type PollCalls } from './polls-support.js';

after(async () => {
  await stopOwnCluster();
});

describeEachDatabase('breakout rooms live: chat, polls, return', (backend) => {
  const suite = breakoutSuite(backend);
  const { raw, record } = suite;
  let polls: PollCalls;
  before(() => {
    polls = pollCalls(suite.stack.app.url);
  });

  /** Ann and Bob in room A, Cy in room B, each connected to their room; the host stays in the main room. */
  const scene = async (open: Record<string, unknown> = {}) => {
    const { meeting, host, hostJoin } = await suite.stack.meeting();
    const [ann, bob, cy] = (await Promise.all([suite.people(meeting.id, ['Ann', 'Bob', 'Cy']), raw(hostJoin.token)]))[0] as [Person, Person, Person];
    const opened = await suite.breakouts.open(meeting.id, host, {
      rooms: [
        { name: 'A', identities: [ann.identity, bob.identity] },
        { name: 'B', identities: [cy.identity] },
      ],
      ...open,
    });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    const [roomA, roomB] = opened.body.rooms as [(typeof opened.body.rooms)[0], (typeof opened.body.rooms)[0]];
    const roomNameOf = (id: string) => `${meeting.roomName}~breakout~${id}`;
    const seen = { A: record(roomNameOf(roomA.id)), B: record(roomNameOf(roomB.id)), main: record(meeting.roomName) };
    await Promise.all(([[ann, roomA], [bob, roomA], [cy, roomB]] as const).map(([who, room]) => suite.enter(meeting.id, room.id, who)));
    return { meeting, host, hostIdentity: hostJoin.identity, ann, bob, cy, session: opened.body, roomA, roomB, seen };
  };

  const chatTexts = (data: RoomData) => data.delivered.filter((d) => d.topic === 'chat').map((d) => d.body.text);

  it("a breakout room's chat is delivered to its people only and read there; the main room's stays the main room's", async () => {
    const { meeting, host, hostIdentity, ann, bob, cy, roomA, roomB, seen } = await scene();
    const inMain = await suite.chat.send(meeting.id, null, host, { text: 'main: back at ten past' });
    assert.equal(inMain.status, 201, JSON.stringify(inMain.body));
    const inA = await suite.chat.send(meeting.id, roomA.id, ann.token, { text: 'A: I take notes' });
    assert.equal(inA.status, 201, JSON.stringify(inA.body));
    assert.equal(inA.body.delivered, true);
    assert.equal(inA.body.displayName, 'Ann');
    const inB = await suite.chat.send(meeting.id, roomB.id, cy.token, { text: 'B: alone here' });
    assert.equal(inB.status, 201, JSON.stringify(inB.body));

    const deliveredA = await seen.A.next((d) => d.topic === 'chat' && d.body.id === inA.body.id);
    assert.deepEqual([...deliveredA.to].sort(), [ann.identity, bob.identity].sort(), "room A's people, nobody else");
    assert.deepEqual(deliveredA.body, { type: 'chat', id: inA.body.id, identity: ann.identity, displayName: 'Ann', text: 'A: I take notes', sentAt: inA.body.sentAt });
    assert.deepEqual((await seen.main.next((d) => d.topic === 'chat')).to, [hostIdentity]);
    await seen.B.next((d) => d.topic === 'chat' && d.body.id === inB.body.id);
    assert.deepEqual([chatTexts(seen.main), chatTexts(seen.A), chatTexts(seen.B)], [['main: back at ten past'], ['A: I take notes'], ['B: alone here']]);

    // History: each chat its own, for the people of that room and the hosts who visit.
    const list = async (roomId: string | null, token: string) => (await suite.chat.list(meeting.id, roomId, token)).body.map((m) => m.text);
    assert.deepEqual(await list(roomA.id, bob.token), ['A: I take notes']);
    assert.deepEqual(await list(roomA.id, host), ['A: I take notes']);
    assert.deepEqual(await list(roomB.id, cy.token), ['B: alone here']);
    assert.deepEqual(await list(null, ann.token), ['main: back at ten past'], 'the main chat has no breakout room messages');
    const after = await suite.chat.list(meeting.id, roomA.id, bob.token, `?after=${inA.body.id}`);
    assert.equal(after.status, 200);
    assert.deepEqual(after.body, []);

    // A host visiting room A speaks there, to room A.
    const visit = await suite.breakouts.join(meeting.id, roomA.id, host);
    await raw(visit.body.token);
    const fromHost = await suite.chat.send(meeting.id, roomA.id, host, { text: 'A: five minutes left' });
    assert.equal(fromHost.status, 201);
    const hostInA = await seen.A.next((d) => d.topic === 'chat' && d.body.id === fromHost.body.id);
    assert.ok(hostInA.to.includes(ann.identity) && hostInA.to.includes(bob.identity) && !hostInA.to.includes(cy.identity));
    assert.deepEqual(chatTexts(seen.B), ['B: alone here']);
  });

  it('a poll started in the main room reaches every open breakout room live, and votes from them count', async () => {
    const { meeting, host, ann, bob, cy, seen } = await scene();
    const created = await polls.create(meeting.id, host, { question: 'Which plan?', options: ['red', 'blue'] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const pollId = created.body.id;
    const isThisPoll = (d: { topic: string; body: Record<string, unknown> }) => d.topic === 'polls' && (d.body.poll as { id: string }).id === pollId;
    const inA = await seen.A.next(isThisPoll);
    const inB = await seen.B.next(isThisPoll);
    assert.deepEqual([...inA.to].sort(), [ann.identity, bob.identity].sort());
    assert.deepEqual(inB.to, [cy.identity]);
    await seen.main.next(isThisPoll);

    for (const [who, option] of [
      [ann, 0],
      [bob, 1],
      [cy, 1],
    ] as const) {
      const voted = await polls.vote(meeting.id, pollId, who.token, [option]);
      assert.equal(voted.status, 200, JSON.stringify(voted.body));
    }
    const counted = (d: { topic: string; body: Record<string, unknown> }) =>
      isThisPoll(d) && (d.body.poll as { voterCount: number }).voterCount === 3;
    for (const data of [seen.A, seen.B, seen.main]) {
      const last = await data.next(counted);
      assert.deepEqual((last.body.poll as { options: Array<{ votes: number }> }).options.map((o) => o.votes), [1, 2]);
    }
    const listed = await polls.list(meeting.id, cy.token);
    assert.deepEqual(listed.body[0]?.options.map((o) => o.votes), [1, 2]);
    assert.deepEqual(listed.body[0].myVote, [1]);
  });

  it('after the close, poll results go to the main room only', async () => {
    const { meeting, host, seen } = await scene();
    assert.equal((await suite.breakouts.close(meeting.id, host)).status, 200);
    const created = await polls.create(meeting.id, host, { question: 'After?', options: ['x', 'y'] });
    assert.equal(created.status, 201);
    await seen.main.next((d) => d.topic === 'polls' && (d.body.poll as { id: string }).id === created.body.id);
    assert.equal(seen.A.delivered.filter((d) => d.topic === 'polls').length, 0);
    assert.equal(seen.B.delivered.filter((d) => d.topic === 'polls').length, 0);
  });

  it('allowReturn is in the session: true unless the host says false; not a boolean is VALIDATION_FAILED', async () => {
    const allowed = await scene();
    assert.equal(allowed.session.allowReturn, true);
    assert.equal((await suite.breakouts.get(allowed.meeting.id, allowed.ann.token)).body.allowReturn, true, 'an attendee sees it too');
    assert.equal((await suite.stack.join(allowed.meeting.id, allowed.ann.token, { displayName: 'Ann' })).status, 200, 'she may go back early');

    const held = await scene({ allowReturn: false });
    assert.equal(held.session.allowReturn, false);
    assert.equal((await suite.breakouts.get(held.meeting.id, held.cy.token)).body.allowReturn, false);
    for (const bad of ['no', 0, null]) {
      const res = await suite.breakouts.open(held.meeting.id, held.host, { split: 1, allowReturn: bad });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error?.code, 'VALIDATION_FAILED');
      assert.ok(res.body.error.details?.some((d) => d.field === 'body.allowReturn'), JSON.stringify(res.body.error.details));
    }
    assert.equal((await suite.breakouts.get(held.meeting.id, held.host)).body.id, held.session.id, 'a refused open replaced nothing');
  });

  it('someone held in a room who left and joins again is refused the main room, but the join kept a seat for their room', async () => {
    const { meeting, cy, roomB } = await scene({ allowReturn: false });
    assert.equal((await api(suite.stack.app.url, 'POST', `/meetings/${meeting.id}/leave`, { token: cy.token })).status, 200);
    assert.equal((await suite.breakouts.join(meeting.id, roomB.id, cy.token)).status, 403, 'no seat, no breakout room');
    const back = await suite.stack.join(meeting.id, cy.token, { displayName: 'Cy' });
    assert.equal(back.status, 403);
    assert.deepEqual((back.body as unknown as { error: { code: string; details: { roomId: string } } }).error.code, 'BREAKOUT_RETURN_NOT_ALLOWED');
    assert.equal((back.body as unknown as { error: { details: { roomId: string } } }).error.details.roomId, roomB.id);
    const toRoom = await suite.breakouts.join(meeting.id, roomB.id, cy.token);
    assert.equal(toRoom.status, 200, JSON.stringify(toRoom.body));
  });
});
