// Breakout rooms over real HTTP, on both databases, with the embedded media server as the rooms.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { sweepBreakouts } from '../../server/src/services/breakout-rooms.js';
import { api } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';
import { claimsOf } from './helpers/media-stack.js';
import { within } from './helpers/raw-participant.js';
import { breakoutSuite, recordBreakoutPushes } from './breakouts-support.js';

after(async () => {
  await stopOwnCluster();
});

describeEachDatabase('breakout rooms API', (backend) => {
  const suite = breakoutSuite(backend);
  const { raw } = suite;

  /** A meeting with its host and `count` attendees joined. */
  const meetingWithPeople = async (count: number, policy: Record<string, unknown> = {}) => {
    const { meeting, host, hostJoin } = await suite.stack.meeting(policy);
    const people = await suite.people(meeting.id, Array.from({ length: count }, (_, i) => `Person ${String(i + 1)}`));
    return { meeting, host: { token: host, identity: hostJoin.identity, livekit: hostJoin.token }, people };
  };

  it('opens named rooms, tells the meeting, lists them with counts, and gives the assigned people a token for their room', async () => {
    const { meeting, host, people } = await meetingWithPeople(3);
    const [ann, bob, cy] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]];
    const pushes = recordBreakoutPushes(suite.stack.media, meeting.roomName);
    const opened = await suite.breakouts.open(meeting.id, host.token, {
      rooms: [
        { name: 'Design', identities: [ann.identity, bob.identity] },
        { name: 'Code', identities: [cy.identity] },
      ],
    });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    const session = opened.body;
    assert.equal(session.meetingId, meeting.id);
    assert.equal(session.status, 'open');
    assert.equal(session.closesAt, null);
    assert.deepEqual(
      session.rooms.map((r) => [r.name, [...r.identities].sort(), r.participantCount]),
      [
        ['Design', [ann.identity, bob.identity].sort(), 0],
        ['Code', [cy.identity], 0],
      ],
    );
    const packet = await pushes.next((p) => p.event === 'opened');
    assert.deepEqual(packet, { type: 'breakouts', event: 'opened', breakoutId: session.id, closesAt: null });
    assert.ok(!JSON.stringify(pushes.packets).includes(ann.identity), 'the room packet names nobody');
    pushes.stop();

    const design = session.rooms[0]!;
    const joined = await suite.breakouts.join(meeting.id, design.id, ann.token);
    assert.equal(joined.status, 200, JSON.stringify(joined.body));
    assert.equal(joined.body.identity, ann.identity);
    assert.equal(joined.body.role, 'attendee');
    assert.equal(joined.body.roomId, design.id);
    const video = claimsOf(joined.body.token).video ?? {};
    assert.equal(video.room, `${meeting.roomName}~breakout~${design.id}`);
    assert.equal(video.roomJoin, true);
    assert.notEqual(video.roomAdmin, true);
    // The same grants as in the meeting, from the same role and policy.
    assert.deepEqual(video.canPublishSources, (claimsOf(ann.livekit).video ?? {}).canPublishSources);

    // Ann moves: she leaves the meeting's room and connects to the breakout room.
    const inMain = await raw(ann.livekit);
    await raw(joined.body.token);
    inMain.close();
    await inMain.closed;
    const listed = await suite.breakouts.get(meeting.id, host.token);
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.rooms.map((r) => r.participantCount),
      [1, 0],
    );
    // She still holds her seat in the meeting while in the breakout room.
    const participants = await api<Array<{ identity: string }>>(suite.stack.app.url, 'GET', `/meetings/${meeting.id}/participants`, { token: host.token });
    assert.ok(participants.body.some((p) => p.identity === ann.identity));

    // Hosts may visit any room.
    const visit = await suite.breakouts.join(meeting.id, session.rooms[1]!.id, host.token);
    assert.equal(visit.status, 200, JSON.stringify(visit.body));
    assert.equal(visit.body.role, 'host');
  });

  it('an attendee sees their own room only; a host sees all', async () => {
    const { meeting, host, people } = await meetingWithPeople(3);
    const [ann, bob, cy] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]];
    await suite.breakouts.open(meeting.id, host.token, {
      rooms: [
        { name: 'A', identities: [ann.identity] },
        { name: 'B', identities: [bob.identity] },
      ],
    });
    const seen = await suite.breakouts.get(meeting.id, ann.token);
    assert.equal(seen.status, 200);
    assert.deepEqual(
      seen.body.rooms.map((r) => [r.name, r.identities]),
      [['A', [ann.identity]]],
    );
    const unassigned = await suite.breakouts.get(meeting.id, cy.token);
    assert.deepEqual(unassigned.body.rooms, []);
    assert.equal((await suite.breakouts.get(meeting.id, host.token)).body.rooms.length, 2);
  });

  it('splits the people present into N rooms at random, hosts aside, evenly', async () => {
    const { meeting, host, people } = await meetingWithPeople(7);
    const opened = await suite.breakouts.open(meeting.id, host.token, { split: 3 });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    const rooms = opened.body.rooms;
    assert.deepEqual(
      rooms.map((r) => r.name),
      ['Room 1', 'Room 2', 'Room 3'],
    );
    assert.deepEqual(
      rooms.map((r) => r.identities.length).sort(),
      [2, 2, 3],
    );
    const everyone = rooms.flatMap((r) => r.identities).sort();
    assert.deepEqual(everyone, people.map((p) => p.identity).sort(), 'each attendee once, the host in none');
  });

  it('closes on a host’s word: everyone is told, the rooms go after the grace, and no new token is given', async () => {
    const { meeting, host, people } = await meetingWithPeople(1);
    const [ann] = people as [(typeof people)[0]];
    const session = (await suite.breakouts.open(meeting.id, host.token, { rooms: [{ name: 'Only', identities: [ann.identity] }] })).body;
    const room = session.rooms[0]!;
    const token = (await suite.breakouts.join(meeting.id, room.id, ann.token)).body.token;
    const inBreakout = await raw(token);
    const roomName = `${meeting.roomName}~breakout~${room.id}`;
    const mainPushes = recordBreakoutPushes(suite.stack.media, meeting.roomName);
    const roomPushes = recordBreakoutPushes(suite.stack.media, roomName);
    const closed = await suite.breakouts.close(meeting.id, host.token);
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
    assert.equal(closed.body.status, 'closed');
    await mainPushes.next((p) => p.event === 'closed' && p.breakoutId === session.id);
    await roomPushes.next((p) => p.event === 'closed' && p.breakoutId === session.id);
    assert.equal((await suite.breakouts.join(meeting.id, room.id, ann.token)).body.error?.code, 'BREAKOUTS_NOT_OPEN');
    assert.equal((await suite.breakouts.get(meeting.id, host.token)).body.error?.code, 'BREAKOUTS_NOT_OPEN');
    assert.equal((await suite.breakouts.close(meeting.id, host.token)).body.error?.code, 'BREAKOUTS_NOT_OPEN');
    // After the grace the room is deleted: whoever stayed is disconnected.
    await within(inBreakout.closed, 20_000, 'the breakout room is deleted after the grace');
    assert.equal(suite.stack.media.registry.get(roomName), undefined);
  });

  it('a breakout room that finishes frees no seat in the main room', async () => {
    const { meeting, host, people } = await meetingWithPeople(2);
    const [ann, bob] = people as [(typeof people)[0], (typeof people)[0]];
    await raw(host.livekit);
    await raw(bob.livekit);
    const session = (await suite.breakouts.open(meeting.id, host.token, { rooms: [{ name: 'Only', identities: [ann.identity] }] })).body;
    const inBreakout = await raw((await suite.breakouts.join(meeting.id, session.rooms[0]!.id, ann.token)).body.token);
    await suite.stack.media.webhooks.flush();
    const seated = async () => {
      const list = await api<Array<{ identity: string; leftAt: string | null }>>(suite.stack.app.url, 'GET', `/meetings/${meeting.id}/participants`, { token: host.token });
      return list.body.filter((p) => p.leftAt === null).map((p) => p.identity).sort();
    };
    const before = await seated();
    assert.deepEqual(before, [host.identity, ann.identity, bob.identity].sort());
    assert.equal((await suite.breakouts.close(meeting.id, host.token)).status, 200);
    // The room is deleted after the grace; LiveKit (here the embedded server) reports room_finished.
    await within(inBreakout.closed, 20_000, 'the breakout room is deleted after the grace');
    await suite.stack.media.webhooks.flush();
    assert.deepEqual(await seated(), [host.identity, bob.identity].sort(), 'the host and Bob, in the main room, keep their seats');
  });

  it('a timer closes them: closesAt is durationS after the open, and a due session is closed by a read or by the sweep', async () => {
    const { meeting, host, people } = await meetingWithPeople(1);
    const [ann] = people as [(typeof people)[0]];
    const opened = await suite.breakouts.open(meeting.id, host.token, { rooms: [{ name: 'Timed', identities: [ann.identity] }], durationS: 60 });
    assert.equal(opened.status, 201);
    const { opensAt, closesAt } = opened.body;
    assert.ok(closesAt !== null);
    assert.ok(Math.abs(Date.parse(closesAt) - Date.parse(opensAt) - 60_000) < 1000, `${opensAt} .. ${closesAt}`);
    // Time passes (the database's clock is the one that counts): the session is due.
    const due = async (id: string) => suite.stack.app.deps.db.query(`UPDATE meeting_breakouts SET closes_at = now() - interval '1 second' WHERE id = $1`, [id]);
    await due(opened.body.id);
    const pushes = recordBreakoutPushes(suite.stack.media, meeting.roomName);
    assert.equal((await suite.breakouts.get(meeting.id, ann.token)).body.error?.code, 'BREAKOUTS_NOT_OPEN');
    await pushes.next((p) => p.event === 'closed' && p.breakoutId === opened.body.id);

    // A restart lost the instance's timer: the sweep closes the session.
    const again = await suite.breakouts.open(meeting.id, host.token, { rooms: [{ name: 'Timed', identities: [ann.identity] }], durationS: 120 });
    await due(again.body.id);
    const swept = await sweepBreakouts({ db: suite.stack.app.deps.db, roomService: suite.stack.app.deps.roomService, logger: pino({ level: 'silent' }) });
    assert.equal(swept.closed, 1);
    await pushes.next((p) => p.event === 'closed' && p.breakoutId === again.body.id);
    assert.equal((await suite.breakouts.get(meeting.id, host.token)).body.error?.code, 'BREAKOUTS_NOT_OPEN');
    pushes.stop();
  });

  it('opening again replaces the open session', async () => {
    const { meeting, host, people } = await meetingWithPeople(2);
    const first = (await suite.breakouts.open(meeting.id, host.token, { split: 2 })).body;
    const second = await suite.breakouts.open(meeting.id, host.token, { rooms: [{ name: 'All', identities: people.map((p) => p.identity) }] });
    assert.equal(second.status, 201);
    assert.notEqual(second.body.id, first.id);
    assert.equal((await suite.breakouts.join(meeting.id, first.rooms[0]!.id, people[0]!.token)).body.error?.code, 'BREAKOUTS_NOT_OPEN');
    assert.equal((await suite.breakouts.get(meeting.id, host.token)).body.id, second.body.id);
  });

  it('ending the meeting closes them and deletes their rooms', async () => {
    const { meeting, host, people } = await meetingWithPeople(1);
    const [ann] = people as [(typeof people)[0]];
    const session = (await suite.breakouts.open(meeting.id, host.token, { rooms: [{ name: 'R', identities: [ann.identity] }] })).body;
    const token = (await suite.breakouts.join(meeting.id, session.rooms[0]!.id, ann.token)).body.token;
    const socket = await raw(token);
    assert.equal((await api(suite.stack.app.url, 'POST', `/meetings/${meeting.id}/end`, { token: host.token })).status, 200);
    await within(socket.closed, 10_000, 'the breakout room closes with the meeting');
    assert.equal(suite.stack.media.registry.get(`${meeting.roomName}~breakout~${session.rooms[0]!.id}`), undefined);
    assert.equal((await suite.breakouts.join(meeting.id, session.rooms[0]!.id, ann.token)).body.error?.code, 'MEETING_ENDED');
  });

  it('a host or co-host sends a message to the main room and every open room, trimmed, with their name; bad text is refused', async () => {
    const { meeting, host, people } = await meetingWithPeople(3);
    const [ann, bob, cy] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]];
    const opened = await suite.breakouts.open(meeting.id, host.token, {
      rooms: [
        { name: 'A', identities: [ann.identity] },
        { name: 'B', identities: [bob.identity] },
      ],
    });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    const session = opened.body;
    const names = [meeting.roomName, ...session.rooms.map((room) => `${meeting.roomName}~breakout~${room.id}`)];
    const pushes = names.map((name) => recordBreakoutPushes(suite.stack.media, name));
    const before = Date.now();
    const sent = await suite.breakouts.broadcast(meeting.id, host.token, { text: '  Five minutes left  ' });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.deepEqual(sent.body, { delivered: 3 });
    for (const p of pushes) {
      const packet = await p.next((packet) => packet.event === 'broadcast');
      assert.ok(packet.event === 'broadcast');
      assert.deepEqual({ ...packet, at: undefined }, { type: 'breakouts', event: 'broadcast', breakoutId: session.id, text: 'Five minutes left', from: 'Host', at: undefined });
      assert.ok(Date.parse(packet.at) >= before - 1000 && Date.parse(packet.at) <= Date.now() + 1000, packet.at);
    }

    // A co-host may too, under the name they are in the meeting with.
    assert.equal((await api(suite.stack.app.url, 'PUT', `/meetings/${meeting.id}/participants/${cy.identity}/role`, { token: host.token, body: { role: 'co-host' } })).status, 200);
    const byCohost = await suite.breakouts.broadcast(meeting.id, cy.token, { text: 'x'.repeat(500) });
    assert.equal(byCohost.status, 200, JSON.stringify(byCohost.body));
    for (const p of pushes) {
      const packet = await p.next((packet) => packet.event === 'broadcast' && packet.from === 'Person 3');
      assert.ok(packet.event === 'broadcast' && packet.text.length === 500);
    }

    const cases: Array<[string, unknown]> = [
      ['empty', { text: '' }],
      ['blank', { text: ' \u00a0 ' }],
      ['501 characters', { text: 'x'.repeat(501) }],
      ['a control character', { text: 'ring\u0007' }],
      ['a newline', { text: 'two\nlines' }],
      ['no text', {}],
      ['not a string', { text: 42 }],
      ['an unknown field', { text: 'hi', to: 'A' }],
    ];
    for (const [what, body] of cases) {
      const res = await suite.breakouts.broadcast(meeting.id, host.token, body);
      assert.equal(res.status, 400, what);
      assert.equal(res.body.error?.code, 'VALIDATION_FAILED', what);
      assert.ok(res.body.error.details?.some((d) => d.field === (what === 'an unknown field' ? 'body' : 'body.text')), `${what}: ${JSON.stringify(res.body.error.details)}`);
    }
    for (const p of pushes) {
      assert.equal(p.packets.filter((packet) => packet.event === 'broadcast').length, 2, 'only the two accepted messages went out');
      p.stop();
    }
  });

  it('refuses bad input with VALIDATION_FAILED and the field', async () => {
    const { meeting, host, people } = await meetingWithPeople(1);
    const room = (i: number) => ({ name: `R${String(i)}`, identities: [] });
    const cases: Array<[string, unknown]> = [
      ['no rooms', { rooms: [] }],
      ['51 rooms', { rooms: Array.from({ length: 51 }, (_, i) => room(i)) }],
      ['59 s', { rooms: [room(1)], durationS: 59 }],
      ['14401 s', { rooms: [room(1)], durationS: 14_401 }],
      ['a fraction of a second', { rooms: [room(1)], durationS: 90.5 }],
      ['an empty name', { rooms: [{ name: ' ', identities: [] }] }],
      ['a person in two rooms', { rooms: [{ name: 'A', identities: [people[0]!.identity] }, { name: 'B', identities: [people[0]!.identity] }] }],
      ['rooms and split', { rooms: [room(1)], split: 2 }],
      ['neither', {}],
      ['split 0', { split: 0 }],
      ['split 51', { split: 51 }],
      ['an unknown field', { rooms: [room(1)], status: 'closed' }],
      ['not an object', [1, 2]],
    ];
    for (const [what, body] of cases) {
      const res = await suite.breakouts.open(meeting.id, host.token, body);
      assert.equal(res.status, 400, what);
      assert.equal(res.body.error?.code, 'VALIDATION_FAILED', what);
      assert.ok((res.body.error.details?.length ?? 0) > 0, what);
    }
    // The bounds themselves are accepted.
    assert.equal((await suite.breakouts.open(meeting.id, host.token, { rooms: Array.from({ length: 50 }, (_, i) => room(i)), durationS: 60 })).status, 201);
    assert.equal((await suite.breakouts.open(meeting.id, host.token, { rooms: [room(1)], durationS: 14_400 })).status, 201);
    assert.equal((await suite.breakouts.join(meeting.id, 'not-a-uuid', host.token)).body.error?.code, 'VALIDATION_FAILED');
    assert.equal((await suite.breakouts.get('not-a-uuid', host.token)).body.error?.code, 'VALIDATION_FAILED');
  });
});
