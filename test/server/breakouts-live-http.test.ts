// Breakout rooms are part of the meeting, live: each room's chat is its own (stored, delivered and
// read there), the meeting's polls reach every open room and take votes from them, and a session
// says whether people may go back to the main room early. Over real HTTP, on both databases, with
// the embedded media server as the rooms (what it delivers, and to whom, is recorded).
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { api } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';
import { startMediaStack, type MediaStack } from './helpers/media-stack.js';
import { connectRaw, type RawParticipant } from './helpers/raw-participant.js';
import { breakoutCalls, chatCalls, recordRoomData, type BreakoutCalls, type ChatCalls, type RoomData } from './breakouts-support.js';
import { pollCalls, type PollCalls } from './polls-support.js';

after(async () => {
  await stopOwnCluster();
});

describeEachDatabase('breakout rooms live: chat, polls, return', (backend) => {
  let stack: MediaStack;
  let breakouts: BreakoutCalls;
  let chat: ChatCalls;
  let polls: PollCalls;
  const sockets: RawParticipant[] = [];
  const recorders: RoomData[] = [];
  const record = (roomName: string) => {
    const recorder = recordRoomData(stack.media, roomName, ['chat', 'polls']);
    recorders.push(recorder);
    return recorder;
  };

  before(async () => {
    stack = await startMediaStack(backend, { LIVEKIT_CREATE_ROOMS: '1' }, { autoCreateRooms: false });
    breakouts = breakoutCalls(stack.app.url);
    chat = chatCalls(stack.app.url);
    polls = pollCalls(stack.app.url);
  });
  after(async () => {
    for (const recorder of recorders) recorder.stop();
    for (const socket of sockets) socket.close();
    await stack.close();
  });

  const person = async (meetingId: string, name: string) => {
    const token = await stack.user(name);
    const joined = await stack.join(meetingId, token, { displayName: name });
    assert.equal(joined.status, 200, JSON.stringify(joined.body));
    return { token, identity: joined.body.identity, livekit: joined.body.token };
  };

  /** Ann and Bob in room A, Cy in room B, each connected to their room; the host stays in the main room. */
  const scene = async (open: Record<string, unknown> = {}) => {
    const { meeting, host, hostJoin } = await stack.meeting();
    sockets.push(await connectRaw(stack.media.url, hostJoin.token));
    const ann = await person(meeting.id, 'Ann');
    const bob = await person(meeting.id, 'Bob');
    const cy = await person(meeting.id, 'Cy');
    const opened = await breakouts.open(meeting.id, host, {
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
    for (const [who, room] of [
      [ann, roomA],
      [bob, roomA],
      [cy, roomB],
    ] as const) {
      const ticket = await breakouts.join(meeting.id, room.id, who.token);
      assert.equal(ticket.status, 200, JSON.stringify(ticket.body));
      sockets.push(await connectRaw(stack.media.url, ticket.body.token));
    }
    return { meeting, host, hostIdentity: hostJoin.identity, ann, bob, cy, session: opened.body, roomA, roomB, seen };
  };

  const chatTexts = (data: RoomData) => data.delivered.filter((d) => d.topic === 'chat').map((d) => d.body.text);

  it("a breakout room's chat is delivered to its people only and read there; the main room's stays the main room's", async () => {
    const { meeting, host, hostIdentity, ann, bob, cy, roomA, roomB, seen } = await scene();
    const inMain = await chat.send(meeting.id, null, host, { text: 'main: back at ten past' });
    assert.equal(inMain.status, 201, JSON.stringify(inMain.body));
    const inA = await chat.send(meeting.id, roomA.id, ann.token, { text: 'A: I take notes' });
    assert.equal(inA.status, 201, JSON.stringify(inA.body));
    assert.equal(inA.body.delivered, true);
    assert.equal(inA.body.displayName, 'Ann');
    const inB = await chat.send(meeting.id, roomB.id, cy.token, { text: 'B: alone here' });
    assert.equal(inB.status, 201, JSON.stringify(inB.body));

    const deliveredA = await seen.A.next((d) => d.topic === 'chat' && d.body.id === inA.body.id);
    assert.deepEqual([...deliveredA.to].sort(), [ann.identity, bob.identity].sort(), "room A's people, nobody else");
    assert.deepEqual(deliveredA.body, { type: 'chat', id: inA.body.id, identity: ann.identity, displayName: 'Ann', text: 'A: I take notes', sentAt: inA.body.sentAt });
    assert.deepEqual((await seen.main.next((d) => d.topic === 'chat')).to, [hostIdentity]);
    await seen.B.next((d) => d.topic === 'chat' && d.body.id === inB.body.id);
    assert.deepEqual([chatTexts(seen.main), chatTexts(seen.A), chatTexts(seen.B)], [['main: back at ten past'], ['A: I take notes'], ['B: alone here']]);

    // History: each chat its own, for the people of that room and the hosts who visit.
    const list = async (roomId: string | null, token: string) => (await chat.list(meeting.id, roomId, token)).body.map((m) => m.text);
    assert.deepEqual(await list(roomA.id, bob.token), ['A: I take notes']);
    assert.deepEqual(await list(roomA.id, host), ['A: I take notes']);
    assert.deepEqual(await list(roomB.id, cy.token), ['B: alone here']);
    assert.deepEqual(await list(null, ann.token), ['main: back at ten past'], 'the main chat has no breakout room messages');
    const after = await chat.list(meeting.id, roomA.id, bob.token, `?after=${inA.body.id}`);
    assert.equal(after.status, 200);
    assert.deepEqual(after.body, []);

    // A host visiting room A speaks there, to room A.
    const visit = await breakouts.join(meeting.id, roomA.id, host);
    sockets.push(await connectRaw(stack.media.url, visit.body.token));
    const fromHost = await chat.send(meeting.id, roomA.id, host, { text: 'A: five minutes left' });
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
    assert.equal((await breakouts.close(meeting.id, host)).status, 200);
    const created = await polls.create(meeting.id, host, { question: 'After?', options: ['x', 'y'] });
    assert.equal(created.status, 201);
    await seen.main.next((d) => d.topic === 'polls' && (d.body.poll as { id: string }).id === created.body.id);
    assert.equal(seen.A.delivered.filter((d) => d.topic === 'polls').length, 0);
    assert.equal(seen.B.delivered.filter((d) => d.topic === 'polls').length, 0);
  });

  it('allowReturn is in the session: true unless the host says false; not a boolean is VALIDATION_FAILED', async () => {
    const allowed = await scene();
    assert.equal(allowed.session.allowReturn, true);
    assert.equal((await breakouts.get(allowed.meeting.id, allowed.ann.token)).body.allowReturn, true, 'an attendee sees it too');
    assert.equal((await stack.join(allowed.meeting.id, allowed.ann.token, { displayName: 'Ann' })).status, 200, 'she may go back early');

    const held = await scene({ allowReturn: false });
    assert.equal(held.session.allowReturn, false);
    assert.equal((await breakouts.get(held.meeting.id, held.cy.token)).body.allowReturn, false);
    for (const bad of ['no', 0, null]) {
      const res = await breakouts.open(held.meeting.id, held.host, { split: 1, allowReturn: bad });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error?.code, 'VALIDATION_FAILED');
      assert.ok(res.body.error.details?.some((d) => d.field === 'body.allowReturn'), JSON.stringify(res.body.error.details));
    }
    assert.equal((await breakouts.get(held.meeting.id, held.host)).body.id, held.session.id, 'a refused open replaced nothing');
  });

  it('someone held in a room who left and joins again is refused the main room, but the join kept a seat for their room', async () => {
    const { meeting, cy, roomB } = await scene({ allowReturn: false });
    assert.equal((await api(stack.app.url, 'POST', `/meetings/${meeting.id}/leave`, { token: cy.token })).status, 200);
    assert.equal((await breakouts.join(meeting.id, roomB.id, cy.token)).status, 403, 'no seat, no breakout room');
    const back = await stack.join(meeting.id, cy.token, { displayName: 'Cy' });
    assert.equal(back.status, 403);
    assert.deepEqual((back.body as unknown as { error: { code: string; details: { roomId: string } } }).error.code, 'BREAKOUT_RETURN_NOT_ALLOWED');
    assert.equal((back.body as unknown as { error: { details: { roomId: string } } }).error.details.roomId, roomB.id);
    const toRoom = await breakouts.join(meeting.id, roomB.id, cy.token);
    assert.equal(toRoom.status, 200, JSON.stringify(toRoom.body));
  });
});
