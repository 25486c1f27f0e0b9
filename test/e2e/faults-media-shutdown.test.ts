// Issue 18, item 7, the media server's half: stopping it (Ctrl-C under npm start, a deploy) ends
// every session, tells the webhook receiver, and returns well inside the 5 s the servers allow
// themselves, even when the receiver is itself going away and never answers.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessToken } from 'livekit-server-sdk';
import { playsWithin, startBrowserFor, startWebhookLog, API_KEY, API_SECRET } from './media-page/harness.js';
import { startMediaServer } from '../../server/src/media/media-server.js';
import { rawJoin } from './media-page/raw-client.js';

async function token(room: string, identity: string): Promise<string> {
  const at = new AccessToken(API_KEY, API_SECRET, { identity, ttl: 600 });
  at.addGrant({ roomJoin: true, room });
  return at.toJwt();
}

describe('faults: the media server stops in time', { timeout: 180_000 }, () => {
  const servers: Server[] = [];

  after(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  async function busyServer(webhookUrl: string): Promise<{ close(): Promise<number>; participants: number }> {
    const media = await startMediaServer({ apiKey: API_KEY, apiSecret: API_SECRET, port: 0, webhookUrl });
    const browser = await startBrowserFor(media.url);
    const a = await browser.open();
    const b = await browser.open(await browser.browser.createBrowserContext());
    await browser.join(a, 'call', 'a');
    await browser.join(b, 'call', 'b');
    await playsWithin(a, 'b', 15_000, 'a viewing b');
    for (let i = 0; i < 10; i++) await rawJoin(media.url, await token(`room-${String(i % 2)}`, `raw-${String(i)}`));
    return {
      participants: 12,
      async close() {
        const started = Date.now();
        await media.close();
        const took = Date.now() - started;
        await browser.close();
        return took;
      },
    };
  }

  it('with a receiver that answers: every leave delivered, closed well inside 5 s', async () => {
    const hooks = await startWebhookLog();
    const busy = await busyServer(hooks.url);
    const took = await busy.close();
    console.log(`close() with ${String(busy.participants)} participants in 3 rooms: ${String(took)} ms`);
    assert.ok(took < 2000, `close() took ${String(took)} ms`);
    assert.equal(hooks.events.filter((e) => e.event === 'participant_left').length, busy.participants);
    assert.equal(hooks.events.filter((e) => e.event === 'room_finished').length, 3);
    await hooks.close();
  });

  it('with a receiver that never answers: closed within its 2 s for webhooks', async () => {
    const silent = createServer(() => undefined);
    servers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const busy = await busyServer(`http://127.0.0.1:${String((silent.address() as AddressInfo).port)}/hooks`);
    const took = await busy.close();
    console.log(`close() with a receiver that never answers: ${String(took)} ms`);
    assert.ok(took < 3000, `close() took ${String(took)} ms`);
  });
});
