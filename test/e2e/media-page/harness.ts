// What the media server's node-driven tests share: the embedded media server in this process, a
// page that runs livekit-client (`probe.ts`, bundled here), Chromium, and tokens signed for them.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { AccessToken, WebhookReceiver, type VideoGrant, type WebhookEvent } from 'livekit-server-sdk';
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';
import { startMediaServer, type MediaServer, type MediaServerOptions } from '../../../server/src/media/media-server.js';
import { assertChromiumInstalled, chromiumFlags, chromiumPath } from '../../support/chromium.mjs';
import { serveText, startTestServer, type TestServer } from '../../support/static-server.js';
import type { Probe, VideoFacts } from './probe.js';

declare global {
  interface Window {
    probe: Probe;
  }
}

export const API_KEY = 'e2ekey';
export const API_SECRET = 'e2e-secret-that-is-long-enough-for-hs256';

export interface MediaHarness {
  /** `ws://127.0.0.1:port` of the media server. */
  url: string;
  /** The server itself when it runs in this process (the default). */
  media: MediaServer;
  browser: Browser;
  token(room: string, identity: string, grant?: VideoGrant & { name?: string }): Promise<string>;
  /** A page with the probe loaded, in `context` (a fresh browser context is a fresh browser profile). */
  open(context?: BrowserContext | Browser): Promise<Page>;
  join(page: Page, room: string, identity: string): Promise<void>;
  close(): Promise<void>;
}

async function bundleProbe(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./probe.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  assert.ok(file);
  return file.text;
}

export async function startMediaHarness(options: Partial<MediaServerOptions> = {}): Promise<MediaHarness> {
  assertChromiumInstalled();
  const media = await startMediaServer({ apiKey: API_KEY, apiSecret: API_SECRET, port: 0, ...options });
  return withBrowser(media.url, media, () => media.close());
}

/** The media server as `npm run media-server` runs it, in its own process, so a crash shows as an exit. */
export interface MediaProcess {
  url: string;
  child: ChildProcess;
  /** The exit code once the process ended, or undefined while it runs. */
  exitCode(): number | null | undefined;
  output(): string;
  stop(): Promise<void>;
}

const root = fileURLToPath(new URL('../../..', import.meta.url));

export async function startMediaProcess(env: Record<string, string> = {}, nodeFlags: string[] = []): Promise<MediaProcess> {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', 'server/src/media/main.ts'], {
    cwd: root,
    env: { ...process.env, MEDIA_PORT: '0', MEDIA_HOST: '127.0.0.1', LIVEKIT_API_KEY: API_KEY, LIVEKIT_API_SECRET: API_SECRET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exit: number | null | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = code ?? (signal ? -1 : null);
      resolve();
    });
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (ws:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    void exited.then(() => {
      reject(new Error(`media server exited at start:\n${output}`));
    });
  });
  return {
    url,
    child,
    exitCode: () => exit,
    output: () => output,
    async stop() {
      if (exit === undefined) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A harness around a media server already running elsewhere (`startMediaProcess`). */
export async function startBrowserFor(url: string): Promise<Omit<MediaHarness, 'media'>> {
  assertChromiumInstalled();
  return withBrowser(url, undefined, () => Promise.resolve());
}

async function withBrowser(url: string, media: MediaServer, stop: () => Promise<void>): Promise<MediaHarness>;
async function withBrowser(url: string, media: undefined, stop: () => Promise<void>): Promise<Omit<MediaHarness, 'media'>>;
async function withBrowser(url: string, media: MediaServer | undefined, stop: () => Promise<void>): Promise<Omit<MediaHarness, 'media'> & { media?: MediaServer }> {
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>probe</title></head>' +
    '<body><script type="module" src="/probe.js"></script></body></html>';
  let site: TestServer | undefined;
  let browser: Browser | undefined;
  try {
    site = await startTestServer([serveText('/', 'text/html; charset=utf-8', html), serveText('/probe.js', 'text/javascript', await bundleProbe())]);
    // Pages in other contexts are background pages: without these flags Chromium throttles their
    // timers and stops painting their videos, which a busy machine makes worse.
    const args = [...chromiumFlags(), '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows'];
    browser = await puppeteer.launch({ executablePath: chromiumPath, headless: true, args, protocolTimeout: 180_000 });
  } catch (error) {
    await site?.close();
    await stop();
    throw error;
  }
  const siteUrl = site.url;
  const openedBrowser = browser;
  const harness: Omit<MediaHarness, 'media'> & { media?: MediaServer } = {
    url,
    ...(media ? { media } : {}),
    browser: openedBrowser,
    async token(room, identity, grant = {}) {
      const { name, ...video } = grant;
      const at = new AccessToken(API_KEY, API_SECRET, { identity, name: name ?? identity, ttl: 600 });
      at.addGrant({ roomJoin: true, room, ...video });
      return at.toJwt();
    },
    async open(context = openedBrowser) {
      const page = await context.newPage();
      await page.goto(`${siteUrl}/`, { waitUntil: 'load' });
      await page.waitForFunction(() => 'probe' in window, { timeout: 20_000 });
      return page;
    },
    async join(page, room, identity) {
      const token = await harness.token(room, identity);
      await page.evaluate((u: string, t: string) => window.probe.join(u, t), url, token);
    },
    async close() {
      await openedBrowser.close();
      await site.close();
      await stop();
    },
  };
  return harness;
}

/** The media server's view of what `viewer` receives from `publisher`'s camera, for failure messages. */
export function forwardingOf(media: MediaServer, viewer: string, publisher: string): string {
  const session = media
    .stats()
    .rooms.flatMap((r) => r.participants)
    .find((p) => p.identity === viewer);
  const slots = session?.receives.filter((s) => s.publisher === publisher && s.kind === 'video') ?? [];
  // And the publisher's side: its layers and which of them each viewer gets.
  const published = media
    .stats()
    .rooms.flatMap((r) => r.participants)
    .filter((p) => p.identity === publisher)
    .flatMap((p) => p.publishes.filter((t) => t.kind === 'video').map((t) => ({ layers: t.layers, viewers: t.viewerLayers })));
  return JSON.stringify({ slots, published });
}

/**
 * Resolves with how long `page` took to show advancing frames of `identity`'s camera (its
 * `<video>` has a size and a few more frames decoded than when first seen); rejects after `ms`.
 */
export async function playsWithin(page: Page, identity: string, ms: number, what: string, media?: MediaServer): Promise<number> {
  const started = Date.now();
  // Polled from here, not with a timer in the page: a busy or background page runs its timers late.
  let first: number | undefined;
  let facts: VideoFacts | null = null;
  while (Date.now() - started < ms) {
    facts = await page.evaluate((who: string) => window.probe.video(who), identity);
    if (facts && facts.width > 0) {
      first ??= facts.frames;
      if (facts.frames >= first + 3) return Date.now() - started;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const inbound = await page.evaluate((who: string) => window.probe.inbound(who), identity);
  const browserSide = inbound.map((s) => ({ p: s.packetsReceived, fd: s.framesDecoded, kf: s.keyFramesDecoded, pli: s.pliCount, nack: s.nackCount }));
  const serverSide = media ? forwardingOf(media, await page.evaluate(() => window.probe.identity()), identity) : '';
  throw new Error(`${what}: no advancing video within ${String(ms)} ms (video ${JSON.stringify(facts)}, first ${String(first)}, inbound ${JSON.stringify(browserSide)}, server ${serverSide})`);
}

/** Frames `page` has decoded of `identity`'s camera so far. */
export async function decodedFrames(page: Page, identity: string): Promise<number> {
  return (await page.evaluate((who: string) => window.probe.video(who), identity))?.frames ?? 0;
}

/** Two pages in `room` that see each other: the participants an attack must not disturb. */
export async function bystanders(harness: Omit<MediaHarness, 'media'>, room: string): Promise<{ a: Page; b: Page; frames(): Promise<number> }> {
  const a = await harness.open();
  const b = await harness.open(await harness.browser.createBrowserContext());
  await harness.join(a, room, 'bystander-a');
  await harness.join(b, room, 'bystander-b');
  await playsWithin(a, 'bystander-b', 15_000, 'a viewing b');
  await playsWithin(b, 'bystander-a', 15_000, 'b viewing a');
  return {
    a,
    b,
    frames: async () => (await decodedFrames(a, 'bystander-b')) + (await decodedFrames(b, 'bystander-a')),
  };
}

/** Resolves once both bystanders decoded `count` more frames each than at `since` (in total twice that). */
export async function keepPlaying(people: { a: Page; b: Page }, count: number, ms = 20_000): Promise<void> {
  const start = { a: await decodedFrames(people.a, 'bystander-b'), b: await decodedFrames(people.b, 'bystander-a') };
  await people.a.waitForFunction(async (from: number, n: number) => ((await window.probe.video('bystander-b'))?.frames ?? 0) >= from + n, { timeout: ms, polling: 100 }, start.a, count);
  await people.b.waitForFunction(async (from: number, n: number) => ((await window.probe.video('bystander-a'))?.frames ?? 0) >= from + n, { timeout: ms, polling: 100 }, start.b, count);
}

export interface WebhookLog {
  url: string;
  /** Every verified event, in the order received. */
  events: WebhookEvent[];
  rejected: number;
  close(): Promise<void>;
}

/** A webhook receiver on loopback that verifies each delivery as a LiveKit receiver would. */
export async function startWebhookLog(): Promise<WebhookLog> {
  const receiver = new WebhookReceiver(API_KEY, API_SECRET);
  const log = { events: [] as WebhookEvent[], rejected: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      receiver.receive(Buffer.concat(chunks).toString('utf8'), req.headers.authorization).then(
        (event) => {
          log.events.push(event);
          res.writeHead(200).end();
        },
        () => {
          log.rejected++;
          res.writeHead(401).end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/hooks`,
    get events() {
      return log.events;
    },
    get rejected() {
      return log.rejected;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
