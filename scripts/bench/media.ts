// `npm run bench:media`: the embedded media server measured with real Chromium pages on this machine.
// Join latency, time to first remote frame, and all-to-all capacity for 2 to 8 publishers.
import { fileURLToPath } from 'node:url';
import { AccessToken } from 'livekit-server-sdk';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { createServer as createViteServer } from 'vite';
import { startMediaServer } from '../../server/src/media/media-server.js';
import { chromiumFlags, chromiumPath } from '../../test/support/chromium.mjs';
import { median } from './stats.js';

const KEY = 'benchkey';
const SECRET = 'bench-secret-long-enough-for-hs256-signing';
const root = fileURLToPath(new URL('../..', import.meta.url));
const sizes = (process.env.BENCH_SIZES ?? '2,4,6,8').split(',').map(Number);
const JOINS = Number(process.env.BENCH_JOINS ?? 20);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 8000);

interface Totals {
  packetsReceived: number;
  packetsLost: number;
  framesDecoded: number;
  videos: number;
}
interface BenchApi {
  join(url: string, token: string, publish: boolean): Promise<{ joinMs: number }>;
  totals(): Promise<Totals>;
  leave(): Promise<void>;
  firstFrame(): number | undefined;
}
declare global {
  interface Window {
    bench: BenchApi;
  }
}

async function token(room: string, identity: string): Promise<string> {
  const at = new AccessToken(KEY, SECRET, { identity });
  at.addGrant({ roomJoin: true, room });
  return at.toJwt();
}

const media = await startMediaServer({ apiKey: KEY, apiSecret: SECRET, port: 0 });
const vite = await createViteServer({ root, configFile: false, logLevel: 'error', server: { port: 0, host: '127.0.0.1' } });
await vite.listen();
const address = vite.httpServer?.address();
const pageUrl = `http://127.0.0.1:${String(typeof address === 'object' && address ? address.port : 0)}/scripts/bench/media-page/index.html`;
const browser: Browser = await puppeteer.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags(), protocolTimeout: 120_000 });

async function openPage(): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(pageUrl, { waitUntil: 'load' });
  await page.waitForFunction(() => 'bench' in window, { timeout: 60_000 });
  return page;
}

try {
  console.log('media server (embedded, werift) on this machine');

  // Join latency: one page already in the room, a second joins and leaves repeatedly.
  const host = await openPage();
  const joiner = await openPage();
  await host.evaluate((u, t) => window.bench.join(u, t, true), media.url, await token('latency', 'host'));
  const joins: number[] = [];
  const firstFrames: number[] = [];
  for (let i = 0; i < JOINS; i++) {
    const t = await token('latency', `joiner-${String(i)}`);
    const { joinMs } = await joiner.evaluate((u, tk) => window.bench.join(u, tk, false), media.url, t);
    joins.push(joinMs);
    const frame = await joiner
      .waitForFunction(() => window.bench.firstFrame(), { timeout: 10_000, polling: 20 })
      .then((handle) => handle.jsonValue() as Promise<number>)
      .catch(() => NaN);
    firstFrames.push(frame);
    await joiner.evaluate(() => window.bench.leave());
  }
  await host.evaluate(() => window.bench.leave());
  await Promise.all([host.close(), joiner.close()]);
  console.log(`  join (connect → connected), median of ${String(JOINS)}: ${median(joins).toFixed(0)} ms (min ${Math.min(...joins).toFixed(0)}, max ${Math.max(...joins).toFixed(0)})`);
  console.log(`  first remote video frame after joining, median:  ${median(firstFrames).toFixed(0)} ms`);

  console.log(`  all-to-all, each page publishing 640x360 camera + microphone, ${String(WINDOW_MS / 1000)} s window:`);
  console.log('    N   server CPU   loss      frames/s per received video');
  for (const n of sizes) {
    const pages = await Promise.all(Array.from({ length: n }, () => openPage()));
    const room = `capacity-${String(n)}`;
    for (const [i, page] of pages.entries()) {
      await page.evaluate((u, t) => window.bench.join(u, t, true), media.url, await token(room, `p${String(i)}`));
    }
    // Let every subscription settle before measuring.
    await Promise.all(
      pages.map((page) =>
        page.waitForFunction((expected) => window.bench.totals().then((t) => t.videos >= expected), { timeout: 60_000, polling: 500 }, n - 1),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const before = await Promise.all(pages.map((p) => p.evaluate(() => window.bench.totals())));
    const cpuBefore = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    const cpu = process.cpuUsage(cpuBefore);
    const elapsed = performance.now() - t0;
    const after = await Promise.all(pages.map((p) => p.evaluate(() => window.bench.totals())));
    let received = 0;
    let lost = 0;
    let frames = 0;
    let videos = 0;
    for (const [i, a] of after.entries()) {
      const b = before[i] ?? a;
      received += a.packetsReceived - b.packetsReceived;
      lost += a.packetsLost - b.packetsLost;
      frames += a.framesDecoded - b.framesDecoded;
      videos += a.videos;
    }
    const cpuPercent = ((cpu.user + cpu.system) / 1000 / elapsed) * 100;
    const loss = received + lost > 0 ? (lost / (received + lost)) * 100 : 0;
    const fps = videos > 0 ? frames / videos / (elapsed / 1000) : 0;
    console.log(`    ${String(n).padEnd(3)} ${cpuPercent.toFixed(0).padStart(6)} %   ${loss.toFixed(2).padStart(5)} %   ${fps.toFixed(1)}`);
    await Promise.all(pages.map(async (p) => {
      await p.evaluate(() => window.bench.leave());
      await p.close();
    }));
  }
  console.log('  (server CPU is this Node process: the media server, measured while the pages run in Chromium on the same 2 cores)');
} finally {
  await browser.close();
  await vite.close();
  await media.close();
}
