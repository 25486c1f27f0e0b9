// Issue 15: LiveKit's Rust-core SDKs (Node rtc, Python, Unity, agents) send the token only as an
// `Authorization: Bearer` header on the WebSocket upgrade and on `validate`, never as
// `access_token`. The media server accepts it there, as LiveKit does, and judges it the same way.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AccessToken } from 'livekit-server-sdk';
import { startMediaServer, type MediaServer } from '../../server/src/media/media-server.js';
import { API_KEY, API_SECRET } from './media-page/harness.js';
import { joinRequestParam, plainJoinRequest, rawJoin, rtcUrl } from './media-page/raw-client.js';

async function token(room: string, identity: string, secret = API_SECRET): Promise<string> {
  const at = new AccessToken(API_KEY, secret, { identity, ttl: 600 });
  at.addGrant({ roomJoin: true, room });
  return at.toJwt();
}

describe('media server: the token in an Authorization header', () => {
  let media: MediaServer | undefined;

  before(async () => {
    media = await startMediaServer({ apiKey: API_KEY, apiSecret: API_SECRET, port: 0 });
  });

  after(async () => {
    await media?.close();
  });

  function validateUrl(): string {
    assert.ok(media);
    return rtcUrl(media.url, undefined, joinRequestParam(plainJoinRequest())).replace('ws://', 'http://').replace('/rtc/v1?', '/rtc/v1/validate?');
  }

  it('joins with the token only in the upgrade header, and validate answers 200 to it', async () => {
    assert.ok(media);
    const bearer = await token('header', 'rust-sdk');
    const client = await rawJoin(media.url, undefined, undefined, { Authorization: `Bearer ${bearer}` });
    const join = await client.next('join');
    assert.equal(join.participant?.identity, 'rust-sdk');
    assert.equal(join.room?.name, 'header');
    const validated = await fetch(validateUrl(), { headers: { Authorization: `Bearer ${bearer}` } });
    assert.equal(validated.status, 200);
    client.close();
  });

  it('refuses a forged token in the header, at the upgrade and at validate, with 401', async () => {
    assert.ok(media);
    const forged = await token('header', 'intruder', 'another-secret-that-is-long-enough-too');
    await assert.rejects(rawJoin(media.url, undefined, undefined, { Authorization: `Bearer ${forged}` }), /HTTP 401/);
    assert.equal((await fetch(validateUrl(), { headers: { Authorization: `Bearer ${forged}` } })).status, 401);
    assert.equal((await fetch(validateUrl())).status, 401);
  });
});
