// Attack (issue 12, item 8): a joined participant sends signal messages as fast as its socket
// takes them (10,000 pings), to keep the server busy for everyone. Past the per-connection rate
// the server closes that socket, with a reason, and the others are still answered.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Ping, SignalRequest } from '@livekit/protocol';
import { AccessToken } from 'livekit-server-sdk';
import { API_KEY, API_SECRET, startMediaProcess, type MediaProcess } from './media-page/harness.js';
import { rawJoin } from './media-page/raw-client.js';

async function token(room: string, identity: string): Promise<string> {
  const at = new AccessToken(API_KEY, API_SECRET, { identity, ttl: 600 });
  at.addGrant({ roomJoin: true, room });
  return at.toJwt();
}

describe('attack: a participant floods the signalling socket', { timeout: 120_000 }, () => {
  let media: MediaProcess | undefined;

  before(async () => {
    media = await startMediaProcess();
  });

  after(async () => {
    await media?.stop();
  });

  it('10,000 pings close the flooder with a reason; a bystander is still answered', async () => {
    assert.ok(media);
    const bystander = await rawJoin(media.url, await token('signal-flood', 'bystander'));
    const flooder = await rawJoin(media.url, await token('signal-flood', 'flooder'));
    const ping = new SignalRequest({ message: { case: 'pingReq', value: new Ping({ timestamp: 1n }) } }).toBinary();
    let sent = 0;
    for (; sent < 10_000 && flooder.ws.readyState === flooder.ws.OPEN; sent++) flooder.ws.send(ping);
    const closed = await Promise.race([flooder.closed, new Promise<undefined>((resolve) => setTimeout(resolve, 15_000))]);
    assert.ok(closed, `the flooder is still connected after ${String(sent)} pings`);
    assert.equal(closed.code, 1008);
    assert.match(closed.reason, /signal rate limit exceeded/);
    const answered = flooder.received.filter((r) => r.message.case === 'pongResp').length;
    console.log(`pings sent ${String(sent)}, answered before the cut ${String(answered)}`);
    assert.ok(answered < 1000, `${String(answered)} pings answered`);

    const pongs = bystander.received.filter((r) => r.message.case === 'pongResp').length;
    bystander.send(new SignalRequest({ message: { case: 'pingReq', value: new Ping({ timestamp: 2n }) } }));
    await bystander.until(() => bystander.received.filter((r) => r.message.case === 'pongResp').length > pongs, 'a pong for the bystander', 5000);
    assert.equal(bystander.ws.readyState, bystander.ws.OPEN);
    bystander.close();
  });
});
