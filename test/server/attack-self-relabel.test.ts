// Attack: relabel yourself. Today tokens carry canUpdateOwnMetadata, so an attendee sets
// attributes.role=host and any name (right-to-left overrides, any length) from their own client,
// and everyone else's widget shows them as host.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { UpdateParticipantMetadata } from '@livekit/protocol';
import { api } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';
import { suiteMediaStack } from './helpers/suite-stack.js';
import { claimsOf } from './helpers/media-stack.js';

after(async () => {
  await stopOwnCluster();
});

describeEachDatabase('attack: relabelling yourself', (backend) => {
  const stack = suiteMediaStack(backend);

  it('no token lets its holder change their own role, hand, name or metadata; the server sets role and hand', async () => {
    const { meeting, host, hostJoin } = await stack.meeting();
    await stack.connect(hostJoin.token);
    const attendee = await stack.user('Ann');
    const joined = await stack.join(meeting.id, attendee);
    for (const token of [hostJoin.token, joined.body.token]) assert.equal(claimsOf(token).video?.canUpdateOwnMetadata, false);
    const ann = await stack.connect(joined.body.token);

    ann.send({
      case: 'updateMetadata',
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- a modified client sends whatever the server still reads
      value: new UpdateParticipantMetadata({ name: '\u202EtsoH', metadata: '{"role":"host"}', attributes: { role: 'host', hand: '1' }, requestId: 7 }),
    });
    // The server answers the request (refused) rather than applying it.
    await ann.next((r) => r.message.case === 'requestResponse');
    const info = stack.media.registry.get(meeting.roomName)?.participant(joined.body.identity)?.info;
    assert.equal(info?.attributes.role, 'attendee');
    assert.ok(!info.attributes.hand);
    assert.equal(info.name, 'Ann');
    assert.notEqual(info.metadata, '{"role":"host"}');

    // What the server sets, it sets: a role change and a raised hand reach the room.
    await api(stack.app.url, 'PUT', `/meetings/${meeting.id}/participants/${joined.body.identity}/role`, { token: host, body: { role: 'co-host' } });
    const hand = await api<{ raisedAt: string }>(stack.app.url, 'POST', `/meetings/${meeting.id}/hand`, { token: attendee, body: { raised: true } });
    const now = stack.media.registry.get(meeting.roomName)?.participant(joined.body.identity)?.info;
    assert.equal(now?.attributes.role, 'co-host');
    assert.equal(now.attributes.hand, String(Date.parse(hand.body.raisedAt)));
    assert.equal(now.permission?.canUpdateMetadata, false, 'a role change does not hand the metadata back to the client');
  });
});
