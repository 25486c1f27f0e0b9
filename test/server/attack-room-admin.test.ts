// Attack: a co-host uses the LiveKit token the server gave them to call the room's server API
// directly, around the token server: remove the host, send data "from the server", list everyone.
// Today co-hosts' tokens carry roomAdmin, which makes every such call succeed.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { api } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';
import { suiteMediaStack } from './helpers/suite-stack.js';
import { claimsOf } from './helpers/media-stack.js';

after(async () => {
  await stopOwnCluster();
});

describeEachDatabase('attack: room admin from a client token', (backend) => {
  const stack = suiteMediaStack(backend);

  it('no client token carries roomAdmin, and a co-host cannot remove the host through the room API', async () => {
    const { meeting, host, hostJoin } = await stack.meeting();
    await stack.connect(hostJoin.token);
    const attendee = await stack.user('Cora');
    const first = await stack.join(meeting.id, attendee);
    const promoted = await api(stack.app.url, 'PUT', `/meetings/${meeting.id}/participants/${first.body.identity}/role`, { token: host, body: { role: 'co-host' } });
    assert.equal(promoted.status, 200, JSON.stringify(promoted.body));
    const asCoHost = await stack.join(meeting.id, attendee);
    assert.equal(asCoHost.body.role, 'co-host');
    for (const token of [hostJoin.token, asCoHost.body.token]) {
      const video = claimsOf(token).video ?? {};
      assert.notEqual(video.roomAdmin, true, 'a client token must not carry roomAdmin');
      assert.notEqual(video.roomCreate, true);
      assert.notEqual(video.roomList, true);
      assert.notEqual(video.roomRecord, true);
    }

    const http = stack.media.url.replace('ws://', 'http://');
    const call = (method: string, body: unknown) =>
      fetch(`${http}/twirp/livekit.RoomService/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${asCoHost.body.token}` },
        body: JSON.stringify(body),
      });
    const removal = await call('RemoveParticipant', { room: meeting.roomName, identity: hostJoin.identity });
    assert.ok(removal.status === 401 || removal.status === 403, `RemoveParticipant answered ${String(removal.status)}`);
    const listing = await call('ListParticipants', { room: meeting.roomName });
    assert.ok(listing.status === 401 || listing.status === 403, `ListParticipants answered ${String(listing.status)}`);
    const forged = await call('SendData', { room: meeting.roomName, data: Buffer.from('{"type":"chat","text":"from the host"}').toString('base64'), topic: 'chat', kind: 'RELIABLE' });
    assert.ok(forged.status === 401 || forged.status === 403, `SendData answered ${String(forged.status)}`);
    assert.ok(stack.media.registry.get(meeting.roomName)?.participant(hostJoin.identity), 'the host is still in the room');
  });
});
