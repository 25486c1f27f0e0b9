// The embedded media server's HTTP surface, called the way LiveKit's own tools call it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AccessToken, EgressClient, EncodedFileOutput, RoomServiceClient } from 'livekit-server-sdk';
import { startMediaServer, type MediaServer } from '../../server/src/media/media-server.js';

const KEY = 'apikey';
const SECRET = 'a-secret-long-enough-for-the-hs256-signature';

describe('embedded media server HTTP API', () => {
  let media: MediaServer;
  let http: string;

  before(async () => {
    media = await startMediaServer({ apiKey: KEY, apiSecret: SECRET, port: 0 });
    http = media.url.replace('ws://', 'http://');
  });
  after(async () => {
    await media.close();
  });

  it('creates, lists and deletes rooms through RoomServiceClient', async () => {
    const client = new RoomServiceClient(http, KEY, SECRET);
    const created = await client.createRoom({ name: 'planning', maxParticipants: 5, metadata: 'm' });
    assert.equal(created.name, 'planning');
    assert.equal(created.maxParticipants, 5);
    assert.ok(created.sid.startsWith('RM_'));
    assert.deepEqual((await client.listRooms()).map((r) => r.name), ['planning']);
    assert.equal((await client.updateRoomMetadata('planning', 'new')).metadata, 'new');
    assert.deepEqual(await client.listParticipants('planning'), []);
    await client.deleteRoom('planning');
    assert.deepEqual(await client.listRooms(), []);
  });

  it('refuses calls signed with another secret, or without the grant they need', async () => {
    const forged = new RoomServiceClient(http, KEY, 'another-secret-that-is-also-long-enough');
    await assert.rejects(forged.listRooms(), (e: { status?: number; code?: string }) => e.status === 401 && e.code === 'unauthenticated');

    const joinOnly = new AccessToken(KEY, SECRET, { identity: 'someone' });
    joinOnly.addGrant({ roomJoin: true, room: 'x' });
    const res = await fetch(`${http}/twirp/livekit.RoomService/ListParticipants`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await joinOnly.toJwt()}` },
      body: JSON.stringify({ room: 'x' }),
    });
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { code: string }).code, 'permission_denied');
  });

  it('answers bad input with Twirp errors, never a crash', async () => {
    const admin = new AccessToken(KEY, SECRET);
    admin.addGrant({ roomAdmin: true, room: 'x', roomCreate: true, roomList: true });
    const auth = `Bearer ${await admin.toJwt()}`;
    const call = (method: string, body: string) =>
      fetch(`${http}/twirp/livekit.RoomService/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: auth }, body });
    const notJson = await call('ListParticipants', '{oops');
    assert.equal(notJson.status, 400);
    assert.equal(((await notJson.json()) as { code: string }).code, 'invalid_argument');
    const wrongType = await call('CreateRoom', JSON.stringify({ name: 'n', maxParticipants: 'many' }));
    assert.equal(wrongType.status, 400);
    const noName = await call('CreateRoom', '{}');
    assert.equal(noName.status, 400);
    const unknown = await call('Nope', '{}');
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { code: string }).code, 'bad_route');
    // Still serving after all of that.
    assert.equal((await call('ListRooms', '{}')).status, 200);
  });

  it('reports recording as unavailable, as LiveKit does without an egress service', async () => {
    const egress = new EgressClient(http, KEY, SECRET);
    await assert.rejects(
      egress.startRoomCompositeEgress('x', { file: new EncodedFileOutput({ filepath: 'x.mp4' }) }),
      (e: { status?: number; code?: string }) => e.status === 503 && e.code === 'unavailable',
    );
  });

  it('answers the signalling validate probe with the verdict a join would get', async () => {
    const good = new AccessToken(KEY, SECRET, { identity: 'v' });
    good.addGrant({ roomJoin: true, room: 'v' });
    const ok = await fetch(`${http}/rtc/v1/validate?access_token=${await good.toJwt()}&join_request=`);
    // A good token without a join request is a client speaking another protocol version.
    assert.equal(ok.status, 400);
    const bad = await fetch(`${http}/rtc/v1/validate?access_token=garbage`);
    assert.equal(bad.status, 401);
    assert.match(await bad.text(), /invalid access token/);
    const none = await fetch(`${http}/rtc/v1/validate`);
    assert.equal(none.status, 401);
  });
});
