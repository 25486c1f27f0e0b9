import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { chromiumFlags, chromiumPath } from '../support/chromium.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('npm start', () => {
  it('serves the demo and the API on one origin, then stops on Ctrl-C', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: root,
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', PGLITE_DIR: 'memory://' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const base = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /demo: (http:\/\/localhost:\d+)\/demo\//.exec(output);
          if (match?.[1]) resolve(match[1].replace('localhost', '127.0.0.1'));
        });
        child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
      });

      const health = await fetch(`${base}/api/v1/healthz`);
      assert.deepEqual(await health.json(), { ok: true });

      const browser = await puppeteer.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags() });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(String(error)));
        await page.goto(`${base}/`, { waitUntil: 'load' });
        assert.equal(new URL(page.url()).pathname, '/demo/');
        await page.waitForFunction(() => document.querySelector('meeting-room')?.shadowRoot?.querySelector('[part~="join-button"]'), {
          timeout: 15_000,
        });
        // The demo logs the widget's events: type a name, join, and see the page hear it.
        await page.locator('meeting-room >>> input').fill('Demo User');
        await page.locator('meeting-room >>> button').click();
        await page.waitForFunction(() => document.querySelector('#event-log li')?.textContent.includes('Demo User'), { timeout: 5_000 });
        assert.deepEqual(errors, []);
      } finally {
        await browser.close();
      }
    } finally {
      child.kill('SIGINT');
    }
    const [code] = child.exitCode !== null ? [child.exitCode] : ((await once(child, 'exit')) as [number | null]);
    assert.equal(code, 0, output);
  });
});
