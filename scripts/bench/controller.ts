// `npm run bench` part: the core controller driven by a synthetic 100-person room in Chromium.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { createServer as createViteServer } from 'vite';
import { chromiumFlags, chromiumPath } from '../../test/support/chromium.mjs';
import { median } from './stats.js';

export interface ControllerBench {
  participants: number;
  updatesPerSecond: number;
  medianMs: number;
  p95Ms: number;
  samples: number;
  burstMeanMs: number;
  heapGrowthKb: number | null;
  heapAfterKb: number;
  listenersLeft: number;
}

export interface RenderBench {
  firstRenderMs: number;
  sinceScriptMs: number;
  medianMs: number;
  p95Ms: number;
  tileCount: number;
  pageSize: number;
}

export function benchController(): Promise<ControllerBench> {
  return inChromium<ControllerBench>('controller-page');
}

export function benchRender(): Promise<RenderBench> {
  return inChromium<RenderBench>('render-page');
}

/** Serves `scripts/bench/<page>/index.html` with Vite and returns what the page sets as `benchResult`. */
async function inChromium<T>(page: string): Promise<T> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const vite = await createViteServer({ root, configFile: false, logLevel: 'error', server: { port: 0, host: '127.0.0.1' } });
  await vite.listen();
  const address = vite.httpServer?.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await puppeteer.launch({ executablePath: chromiumPath, headless: true, args: [...chromiumFlags(), '--js-flags=--expose-gc', '--enable-precise-memory-info'] });
  try {
    const tab = await browser.newPage();
    await tab.goto(`http://127.0.0.1:${String(port)}/scripts/bench/${page}/index.html`);
    await tab.waitForFunction(() => 'benchResult' in window, { timeout: 60_000 });
    return await tab.evaluate(() => (window as unknown as { benchResult: Promise<T> }).benchResult);
  } finally {
    await browser.close();
    await vite.close();
  }
}

export interface CdnRenderBench {
  runs: number;
  /** From the page's first script to the lobby rendered by the CDN entry: download, parse, run, render. */
  medianMs: number;
  minMs: number;
}

/**
 * First render from the built CDN bundle as a third-party page loads it: a fresh page per run, the
 * bundle served from loopback with no cache, the time from the page's first script until the
 * lobby inside `<meeting-room>` has rendered. `dir` is the bundle's directory (dist/cdn by default).
 */
export async function benchCdnRender(dir = fileURLToPath(new URL('../../dist/cdn/', import.meta.url)), runs = 15): Promise<CdnRenderBench> {
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>cdn render bench</title>
<script>window.t0 = performance.now();</script></head><body>
<meeting-room meeting-id="bench" server="http://bench.invalid" audio="off" video="off"></meeting-room>
<script type="module" src="/meeting-widget.js"></script>
<script type="module">
  await customElements.whenDefined('meeting-room');
  const room = document.querySelector('meeting-room');
  await room.updateComplete;
  let lobby = room.shadowRoot.querySelector('meeting-lobby');
  while (!lobby) { await new Promise((r) => requestAnimationFrame(r)); lobby = room.shadowRoot.querySelector('meeting-lobby'); }
  await lobby.updateComplete;
  window.benchResult = performance.now() - window.t0;
</script></body></html>`;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
      return;
    }
    const name = path.slice(1);
    if (!/^[\w.-]+\.js$/.test(name) || !existsSync(join(dir, name))) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' }).end(readFileSync(join(dir, name)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await puppeteer.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags() });
  try {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const tab = await browser.newPage();
      await tab.setCacheEnabled(false);
      await tab.goto(`http://127.0.0.1:${String(port)}/`);
      await tab.waitForFunction(() => 'benchResult' in window, { timeout: 30_000 });
      times.push(await tab.evaluate(() => (window as unknown as { benchResult: number }).benchResult));
      await tab.close();
    }
    return { runs, medianMs: median(times), minMs: Math.min(...times) };
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
