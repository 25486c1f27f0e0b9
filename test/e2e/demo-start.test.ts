import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { chromiumFlags, chromiumPath } from '../support/chromium.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('npm start', () => {
  it('serves the demo where two tabs meet and see each other, then stops on Ctrl-C', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: root,
      env: { ...process.env, PORT: '0', MEDIA_PORT: '0', LOG_LEVEL: 'warn', PGLITE_DIR: 'memory://' },
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
        const host = await browser.newPage();
        const errors: string[] = [];
        host.on('pageerror', (error) => errors.push(String(error)));
        await host.goto(`${base}/`, { waitUntil: 'load' });
        assert.equal(new URL(host.url()).pathname, '/demo/');

        // The demo page starts a meeting and shows the link to share.
        await host.locator('#start button').click();
        await host.waitForFunction(() => document.querySelector<HTMLAnchorElement>('#share-link')?.href.includes('?meeting='), { timeout: 15_000 });
        const link = await host.$eval('#share-link', (a) => (a as HTMLAnchorElement).href);
        // Enter in the name field joins; a click at coordinates could miss while the camera preview
        // is still pushing the button down.
        await (await host.waitForSelector('meeting-room >>> [part~="name-input"]'))?.press('Enter');
        await host.waitForFunction(() => document.querySelector('#event-log')?.textContent.includes('"phase":"connected"'), { timeout: 20_000 });

        // A second tab opens the link and joins as a guest.
        const guest = await browser.newPage();
        guest.on('pageerror', (error) => errors.push(String(error)));
        await guest.goto(link.replace('localhost', '127.0.0.1'), { waitUntil: 'load' });
        await guest.locator('meeting-room >>> [part~="name-input"]').fill('Guest Tab');
        await (await guest.$('meeting-room >>> [part~="name-input"]'))?.press('Enter');

        // Each tab plays the other's camera.
        const seesOther = () =>
          [...(document.querySelector('meeting-room')?.shadowRoot?.querySelector('participant-grid')?.shadowRoot?.querySelectorAll('participant-tile') ?? [])]
            .filter((tile) => !tile.shadowRoot?.querySelector('figcaption')?.textContent.includes('(you)'))
            .some((tile) => (tile.shadowRoot?.querySelector('video')?.videoWidth ?? 0) > 0);
        await guest.waitForFunction(seesOther, { timeout: 20_000, polling: 200 });
        await host.bringToFront();
        await host.waitForFunction(seesOther, { timeout: 20_000, polling: 200 });

        // The chat-app demo: sign in, start a call from the channel, and the call joins at once.
        const chat = await browser.newPage();
        chat.on('pageerror', (error) => errors.push(String(error)));
        await chat.goto(`${base}/demo/chat-app.html`, { waitUntil: 'load' });
        await chat.locator('#sign-in button').click();
        await chat.locator('#call:not([disabled])').click();
        await chat.waitForFunction('document.querySelector("#messages")?.textContent.includes("joined the call")', { timeout: 20_000 });

        // The theming demo: a colour chosen in its form reaches the widget's join button.
        const theming = await browser.newPage();
        theming.on('pageerror', (error) => errors.push(String(error)));
        await theming.goto(`${base}/demo/theming.html`, { waitUntil: 'load' });
        await theming.$eval('input[name="accent"]', (input) => {
          input.value = '#aa2200';
          input.dispatchEvent(new Event('input', { bubbles: true }));
        });
        const joinButton = await theming.waitForSelector('meeting-room >>> [part~="join-button"]');
        assert.equal(await joinButton?.evaluate((button) => getComputedStyle(button).backgroundColor), 'rgb(170, 34, 0)');
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
