// Attack (issue 12, item 3): a meeting the token server ended comes back to life because the
// media server re-creates any room a token names. With room auto-creation off (LiveKit's
// `room.auto_create: false`, here MEDIA_AUTO_CREATE_ROOMS=false) a token joins only a room made
// with CreateRoom, and a room removed with DeleteRoom stays gone for the tokens issued before.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DisconnectReason } from '@livekit/protocol';
import { AccessToken, RoomServiceClient } from 'livekit-server-sdk';
import { API_KEY, API_SECRET, startBrowserFor, startMediaProcess, type MediaHarness, type MediaProcess } from './media-page/harness.js';
import { plainJoinRequest, joinRequestParam, rawJoin, rtcUrl } from './media-page/raw-client.js';

async function token(room: string, identity: string): Promise<string> {
  const at = new AccessToken(API_KEY, API_SECRET, { identity, ttl: 600 });
  at.addGrant({ roomJoin: true, room });
  return at.toJwt();
}

describe('attack: joining a room that does not exist, or no longer does', { timeout: 120_000 }, () => {
  let media: MediaProcess | undefined;
  let harness: Omit<MediaHarness, 'media'> | undefined;
  let api: RoomServiceClient | undefined;

  before(async () => {
    media = await startMediaProcess({ MEDIA_AUTO_CREATE_ROOMS: 'false' });
    harness = await startBrowserFor(media.url);
    api = new RoomServiceClient(media.url.replace('ws', 'http'), API_KEY, API_SECRET);
  });

  after(async () => {
    await harness?.close();
    await media?.stop();
  });

  async function validate(room: string, identity: string): Promise<{ status: number; text: string }> {
    assert.ok(media);
    const url = rtcUrl(media.url, await token(room, identity), joinRequestParam(plainJoinRequest()));
    const response = await fetch(url.replace('ws://', 'http://').replace('/rtc/v1?', '/rtc/v1/validate?'));
    return { status: response.status, text: await response.text() };
  }

  it('refuses a token for a room never created, as LiveKit does, and livekit-client reports it as not allowed', async () => {
    assert.ok(media && harness);
    assert.deepEqual(await validate('never-made', 'someone'), { status: 404, text: 'requested room does not exist' });
    await assert.rejects(rawJoin(media.url, await token('never-made', 'someone')), /HTTP 404/);
    const page = await harness.open();
    const failure = await page.evaluate(async (url: string, t: string) => {
      try {
        await window.probe.join(url, t);
        return 'joined';
      } catch (error) {
        return `${(error as Error).name}: ${(error as Error).message}`;
      }
    }, media.url, await token('never-made', 'browser'));
    assert.match(failure, /requested room does not exist/);
    assert.deepEqual((await api?.listRooms())?.map((r) => r.name) ?? [], []);
    await page.close();
  });

  it('admits a room made with CreateRoom; CreateRoom again returns the same room', async () => {
    assert.ok(media && api);
    const created = await api.createRoom({ name: 'made' });
    const member = await rawJoin(media.url, await token('made', 'member'));
    const again = await api.createRoom({ name: 'made' });
    assert.equal(again.sid, created.sid);
    assert.deepEqual((await api.listParticipants('made')).map((p) => p.identity), ['member']);
    assert.equal((await validate('made', 'other')).status, 200);
    member.close();
  });

  it('after DeleteRoom, the people inside are told and tokens issued before are refused', async () => {
    assert.ok(media && api);
    await api.createRoom({ name: 'ended' });
    const inside = await rawJoin(media.url, await token('ended', 'inside'));
    const oldToken = await token('ended', 'late');
    await api.deleteRoom('ended');
    const leave = await inside.next('leave');
    assert.equal(leave.reason, DisconnectReason.ROOM_DELETED);
    await inside.closed;
    assert.deepEqual(await validate('ended', 'late'), { status: 404, text: 'requested room does not exist' });
    await assert.rejects(rawJoin(media.url, oldToken), /HTTP 404/);
    assert.deepEqual((await api.listRooms()).map((r) => r.name).filter((n) => n === 'ended'), []);
  });
});
