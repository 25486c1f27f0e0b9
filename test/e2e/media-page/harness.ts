// What the media server's node-driven tests share: the embedded media server in this process, a
// page that runs livekit-client (`probe.ts`, bundled here), Chromium, and tokens signed for them.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { AccessToken, type VideoGrant } from 'livekit-server-sdk';
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';
import { startMediaServer, type MediaServer, type MediaServerOptions } from '../../../server/src/media/media-server.js';
import { assertChromiumInstalled, chromiumFlags, chromiumPath } from '../../support/chromium.mjs';
import { serveText, startTestServer, type TestServer } from '../../support/static-server.js';
import type { Probe } from './probe.js';

declare global {
  interface Window {
    probe: Probe;
  }
}

export const API_KEY = 'e2ekey';
export const API_SECRET = 'e2e-secret-that-is-long-enough-for-hs256';

export interface MediaHarness {
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
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>probe</title></head>' +
    '<body><script type="module" src="/probe.js"></script></body></html>';
  let site: TestServer | undefined;
  let browser: Browser | undefined;
  try {
    site = await startTestServer([serveText('/', 'text/html; charset=utf-8', html), serveText('/probe.js', 'text/javascript', await bundleProbe())]);
    browser = await puppeteer.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags(), protocolTimeout: 120_000 });
  } catch (error) {
    await site?.close();
    await media.close();
    throw error;
  }
  const siteUrl = site.url;
  const openedBrowser = browser;
  const harness: MediaHarness = {
    media,
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
      await page.evaluate((url: string, t: string) => window.probe.join(url, t), media.url, token);
    },
    async close() {
      await openedBrowser.close();
      await site.close();
      await media.close();
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
  return JSON.stringify(slots);
}

/**
 * Resolves with how long `page` took to show advancing frames of `identity`'s camera (its
 * `<video>` has a size and a few more frames decoded than when first seen); rejects after `ms`.
 */
export async function playsWithin(page: Page, identity: string, ms: number, what: string, media?: MediaServer): Promise<number> {
  const started = Date.now();
  try {
    await page.waitForFunction(
      (who: string) => {
        const facts = window.probe.video(who);
        if (!facts || facts.width === 0) return false;
        const seen = (window as unknown as { firstFrames?: Record<string, number> }).firstFrames ?? {};
        (window as unknown as { firstFrames: Record<string, number> }).firstFrames = seen;
        seen[who] ??= facts.frames;
        return facts.frames >= (seen[who] ?? 0) + 3;
      },
      { timeout: ms, polling: 50 },
      identity,
    );
  } catch {
    const facts = await page.evaluate((who: string) => window.probe.video(who), identity);
    const inbound = await page.evaluate((who: string) => window.probe.inbound(who), identity);
    const browserSide = inbound.map((s) => ({ p: s.packetsReceived, fd: s.framesDecoded, kf: s.keyFramesDecoded, pli: s.pliCount, nack: s.nackCount }));
    const serverSide = media ? forwardingOf(media, await page.evaluate(() => window.probe.identity()), identity) : '';
    throw new Error(`${what}: no advancing video within ${String(ms)} ms (video ${JSON.stringify(facts)}, inbound ${JSON.stringify(browserSide)}, server ${serverSide})`);
  }
  return Date.now() - started;
}
