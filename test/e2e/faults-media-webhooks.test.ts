// Issue 18, items 2 and 5, the media server's half: webhooks reach a receiver that fails for a
// while (answers 503, or is not listening yet because it is restarting), in the order the events
// happened, each once, instead of being given up after half a second.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessToken, WebhookReceiver, type WebhookEvent } from 'livekit-server-sdk';
import { startMediaServer, type MediaServer } from '../../server/src/media/media-server.js';
import { API_KEY, API_SECRET } from './media-page/harness.js';
import { rawJoin } from './media-page/raw-client.js';

async function token(room: string, identity: string): Promise<string> {
  const at = new AccessToken(API_KEY, API_SECRET, { identity, ttl: 600 });
  at.addGrant({ roomJoin: true, room });
  return at.toJwt();
}

/** A receiver on `port` (0: any) that answers `failFirst` deliveries with 503, then verifies and keeps them. */
async function receiver(port: number, failFirst = 0): Promise<{ server: Server; url: string; events: WebhookEvent[] }> {
  const verify = new WebhookReceiver(API_KEY, API_SECRET);
  const events: WebhookEvent[] = [];
  let failures = failFirst;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (failures > 0) {
        failures--;
        res.writeHead(503).end();
        return;
      }
      verify.receive(Buffer.concat(chunks).toString('utf8'), req.headers.authorization).then(
        (event) => {
          events.push(event);
          res.writeHead(200).end();
        },
        () => res.writeHead(401).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/hooks`, events };
}

function story(events: WebhookEvent[]): string[] {
  return events.map((e) => `${e.event}${e.participant ? `:${e.participant.identity}` : ''}`);
}

async function joinAndLeave(media: MediaServer, room: string): Promise<void> {
  const first = await rawJoin(media.url, await token(room, 'first'));
  const second = await rawJoin(media.url, await token(room, 'second'));
  second.close();
  await second.closed;
  first.close();
  await first.closed;
}

const EXPECTED = ['room_started', 'participant_joined:first', 'participant_joined:second', 'participant_left:second', 'participant_left:first', 'room_finished'];

describe('faults: webhooks while the receiver is failing or away', { timeout: 120_000 }, () => {
  const servers: Server[] = [];
  const medias: MediaServer[] = [];

  after(async () => {
    for (const media of medias) await media.close();
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  async function eventually(events: WebhookEvent[], count: number, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (events.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  it('a receiver answering 503 to the first deliveries gets every event, in order, once', async () => {
    const hooks = await receiver(0, 3);
    servers.push(hooks.server);
    const media = await startMediaServer({ apiKey: API_KEY, apiSecret: API_SECRET, port: 0, webhookUrl: hooks.url, departureTimeoutS: 0 });
    medias.push(media);
    await joinAndLeave(media, 'flaky');
    await eventually(hooks.events, EXPECTED.length, 20_000);
    assert.deepEqual(story(hooks.events), EXPECTED);
    assert.equal(new Set(hooks.events.map((e) => e.id)).size, hooks.events.length);
  });

  it('a receiver that is not listening for 3 s (a restart) gets the events of meanwhile, in order', async () => {
    // A port nobody listens on yet: take one, then let it go.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const media = await startMediaServer({ apiKey: API_KEY, apiSecret: API_SECRET, port: 0, webhookUrl: `http://127.0.0.1:${String(port)}/hooks`, departureTimeoutS: 0 });
    medias.push(media);
    await joinAndLeave(media, 'restarting');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const hooks = await receiver(port);
    servers.push(hooks.server);
    await eventually(hooks.events, EXPECTED.length, 20_000);
    assert.deepEqual(story(hooks.events), EXPECTED);
  });
});
