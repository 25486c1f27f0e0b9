// Attack: keep the powers a policy change took away. Today an attendee connected before the host
// turns screen sharing and chat off keeps publishing both until their session ends.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { TrackSource } from '@livekit/protocol';
import { api } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';
import { suiteMediaStack } from './helpers/suite-stack.js';

after(async () => {
  await stopOwnCluster();
});

describeEachDatabase('attack: permissions outliving a policy change', (backend) => {
  const stack = suiteMediaStack(backend);

  it('a policy PATCH takes screen share and data away from people already connected, and gives them back', async () => {
    const { meeting, host, hostJoin } = await stack.meeting();
    await stack.connect(hostJoin.token);
    const joined = await stack.join(meeting.id, await stack.user('Ann'));
    const attendee = await stack.connect(joined.body.token);
    const permission = (identity: string) => stack.media.registry.get(meeting.roomName)?.participant(identity)?.info.permission;
    assert.equal(permission(joined.body.identity)?.canPublishData, true);
    assert.ok(permission(joined.body.identity)?.canPublishSources.includes(TrackSource.SCREEN_SHARE));

    const patched = await api(stack.app.url, 'PATCH', `/meetings/${meeting.id}`, { token: host, body: { policy: { screenShare: 'hosts', chat: 'hosts' } } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    const attendeeNow = permission(joined.body.identity);
    assert.ok(attendeeNow);
    assert.equal(attendeeNow.canPublishData, false, 'the attendee can still send data');
    assert.ok(!attendeeNow.canPublishSources.includes(TrackSource.SCREEN_SHARE), 'the attendee can still share a screen');
    // The attendee's own client is told, as LiveKit tells it.
    const update = await attendee.next((r) => r.message.case === 'update' && r.message.value.participants.some((p) => p.identity === joined.body.identity && p.permission?.canPublishData === false));
    assert.ok(update);
    // The host keeps both under "hosts".
    assert.equal(permission(hostJoin.identity)?.canPublishData, true);
    assert.ok(permission(hostJoin.identity)?.canPublishSources.includes(TrackSource.SCREEN_SHARE));

    await api(stack.app.url, 'PATCH', `/meetings/${meeting.id}`, { token: host, body: { policy: { screenShare: 'everyone', chat: 'everyone' } } });
    assert.equal(permission(joined.body.identity)?.canPublishData, true);
    assert.ok(permission(joined.body.identity)?.canPublishSources.includes(TrackSource.SCREEN_SHARE));
  });
});
