// POST /meetings/:id/hand: the server sets the `hand` attribute the room sees.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { api } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';
import { suiteMediaStack } from './helpers/suite-stack.js';

after(async () => {
  await stopOwnCluster();
});

type HandAnswer = { identity: string; raised: boolean; raisedAt: string | null; error?: { code: string } };

describeEachDatabase('raised hands', (backend) => {
  const stack = suiteMediaStack(backend);

  it('raises and lowers a hand in the room, keeping when it first went up', async () => {
    const { meeting, hostJoin } = await stack.meeting();
    await stack.connect(hostJoin.token);
    const attendee = await stack.user('Hal');
    const joined = await stack.join(meeting.id, attendee);
    await stack.connect(joined.body.token);
    const hand = () => stack.media.registry.get(meeting.roomName)?.participant(joined.body.identity)?.info.attributes.hand;

    const up = await api<HandAnswer>(stack.app.url, 'POST', `/meetings/${meeting.id}/hand`, { token: attendee, body: { raised: true } });
    assert.equal(up.status, 200, JSON.stringify(up.body));
    assert.equal(up.body.identity, joined.body.identity);
    assert.equal(up.body.raised, true);
    assert.ok(up.body.raisedAt !== null);
    assert.equal(hand(), String(Date.parse(up.body.raisedAt)));

    const again = await api<HandAnswer>(stack.app.url, 'POST', `/meetings/${meeting.id}/hand`, { token: attendee, body: { raised: true } });
    assert.equal(again.body.raisedAt, up.body.raisedAt, 'raising twice keeps the first time');

    const down = await api<HandAnswer>(stack.app.url, 'POST', `/meetings/${meeting.id}/hand`, { token: attendee, body: { raised: false } });
    assert.deepEqual(down.body, { identity: joined.body.identity, raised: false, raisedAt: null });
    assert.ok(!hand(), 'the hand attribute is cleared');
  });

  it('refuses people who are not in the meeting and bad bodies', async () => {
    const { meeting } = await stack.meeting();
    const outsider = await stack.user('Out');
    const res = await api<HandAnswer>(stack.app.url, 'POST', `/meetings/${meeting.id}/hand`, { token: outsider, body: { raised: true } });
    assert.equal(res.status, 403);
    assert.equal(res.body.error?.code, 'INSUFFICIENT_PERMISSION');
    assert.equal((await api<HandAnswer>(stack.app.url, 'POST', `/meetings/${meeting.id}/hand`, { body: { raised: true } })).status, 401);
    const bad = await api<HandAnswer>(stack.app.url, 'POST', `/meetings/${meeting.id}/hand`, { token: outsider, body: { raised: 'yes' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error?.code, 'VALIDATION_FAILED');
  });

  it('lowering all hands while the media server cannot be reached changes nothing, so a retry lowers them', async () => {
    const { meeting, host, hostJoin } = await stack.meeting();
    await stack.connect(hostJoin.token);
    const token = await stack.user('Dee');
    const joined = await stack.join(meeting.id, token);
    await stack.connect(joined.body.token);
    const hand = () => stack.media.registry.get(meeting.roomName)?.participant(joined.body.identity)?.info.attributes.hand ?? '';
    assert.equal((await api(stack.app.url, 'POST', `/meetings/${meeting.id}/hand`, { token, body: { raised: true } })).status, 200);

    // The room service fails as it does when LiveKit is unreachable (a rejected call, not "not found").
    const rooms = stack.app.deps.roomService;
    const update = rooms.updateParticipant.bind(rooms);
    rooms.updateParticipant = () => Promise.reject(new Error('connect ECONNREFUSED'));
    let down;
    try {
      down = await api<{ error?: { code: string } }>(stack.app.url, 'POST', `/meetings/${meeting.id}/hands/lower`, { token: host, body: {} });
    } finally {
      rooms.updateParticipant = update;
    }
    assert.equal(down.status, 503);
    assert.equal(down.body.error?.code, 'MEDIA_SERVER_UNAVAILABLE');
    assert.notEqual(hand(), '', 'the room still shows the hand');

    const retry = await api<{ lowered: string[] }>(stack.app.url, 'POST', `/meetings/${meeting.id}/hands/lower`, { token: host, body: {} });
    assert.deepEqual(retry.body, { lowered: [joined.body.identity] }, 'the retry finds the hand still up and lowers it');
    assert.equal(hand(), '');
  });

  it('a host lowers every raised hand, a co-host only the listed ones; the answer names those lowered', async () => {
    const { meeting, host, hostJoin } = await stack.meeting();
    await stack.connect(hostJoin.token);
    const people: { token: string; identity: string }[] = [];
    for (const name of ['Ann', 'Bob', 'Cy']) {
      const token = await stack.user(name);
      const joined = await stack.join(meeting.id, token);
      await stack.connect(joined.body.token);
      people.push({ token, identity: joined.body.identity });
    }
    const [ann, bob, cy] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]];
    const hand = (identity: string) => stack.media.registry.get(meeting.roomName)?.participant(identity)?.info.attributes.hand ?? '';
    for (const p of [ann, bob]) assert.equal((await api(stack.app.url, 'POST', `/meetings/${meeting.id}/hand`, { token: p.token, body: { raised: true } })).status, 200);

    // Cy is made co-host and lowers only Ann's hand.
    assert.equal((await api(stack.app.url, 'PUT', `/meetings/${meeting.id}/participants/${cy.identity}/role`, { token: host, body: { role: 'co-host' } })).status, 200);
    const one = await api<{ lowered: string[] }>(stack.app.url, 'POST', `/meetings/${meeting.id}/hands/lower`, { token: cy.token, body: { identities: [ann.identity, cy.identity] } });
    assert.equal(one.status, 200, JSON.stringify(one.body));
    assert.deepEqual(one.body, { lowered: [ann.identity] }, 'a hand already down is not listed');
    assert.equal(hand(ann.identity), '');
    assert.notEqual(hand(bob.identity), '');

    const all = await api<{ lowered: string[] }>(stack.app.url, 'POST', `/meetings/${meeting.id}/hands/lower`, { token: host, body: {} });
    assert.equal(all.status, 200, JSON.stringify(all.body));
    assert.deepEqual(all.body, { lowered: [bob.identity] });
    assert.equal(hand(bob.identity), '');
    const raised = await api<HandAnswer>(stack.app.url, 'POST', `/meetings/${meeting.id}/hand`, { token: bob.token, body: { raised: true } });
    assert.ok(raised.body.raisedAt !== null, 'raised again, with a new time');
    assert.deepEqual((await api<{ lowered: string[] }>(stack.app.url, 'POST', `/meetings/${meeting.id}/hands/lower`, { token: host, body: {} })).body, { lowered: [bob.identity] });
    assert.deepEqual((await api<{ lowered: string[] }>(stack.app.url, 'POST', `/meetings/${meeting.id}/hands/lower`, { token: host, body: {} })).body, { lowered: [] });

    assert.equal((await api(stack.app.url, 'POST', `/meetings/${meeting.id}/end`, { token: host })).status, 200);
    const ended = await api<HandAnswer>(stack.app.url, 'POST', `/meetings/${meeting.id}/hands/lower`, { token: host, body: {} });
    assert.equal(ended.status, 410, JSON.stringify(ended.body));
    assert.equal(ended.body.error?.code, 'MEETING_ENDED');
  });
});
