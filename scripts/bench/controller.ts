// `npm run bench` part: the core controller driven by a synthetic 100-person room in Chromium.
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { createServer as createViteServer } from 'vite';
import { chromiumFlags, chromiumPath } from '../../test/support/chromium.mjs';

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
