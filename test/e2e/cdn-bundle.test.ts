import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
import { assertChromiumInstalled, chromiumFlags, chromiumPath } from '../support/chromium.mjs';
import { serveText, startTestServer, type TestServer } from '../support/static-server.js';

const bundlePath = fileURLToPath(new URL('../../dist/cdn/meeting-widget.js', import.meta.url));

describe('CDN bundle on a third-party page', () => {
  let browser: Browser | undefined;
  let cdn: TestServer | undefined;
  let site: TestServer | undefined;

  before(async () => {
    assert.ok(existsSync(bundlePath), `${bundlePath} is missing: run npm run build first`);
    assertChromiumInstalled();
    // The bundle's origin is not the page's: module scripts cross origins only with CORS.
    cdn = await startTestServer([
      serveText('/meeting-widget.js', 'text/javascript', readFileSync(bundlePath), { 'access-control-allow-origin': '*' }),
    ]);
    const page = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><link rel="icon" href="data:,"><title>A site that embeds a meeting</title></head>
  <body>
    <h1>Team page</h1>
    <meeting-room meeting-id="team-standup" display-name="Visitor"></meeting-room>
    <script type="module" src="${cdn.url}/meeting-widget.js"></script>
  </body>
</html>`;
    site = await startTestServer([serveText('/', 'text/html; charset=utf-8', page)]);
    browser = await puppeteer.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags() });
  });

  after(async () => {
    await browser?.close();
    await site?.close();
    await cdn?.close();
  });

  it('defines and renders the elements from the one script tag', async () => {
    assert.ok(browser);
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warn') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(String(error)));

    assert.ok(site && cdn);
    await page.goto(`${site.url}/`, { waitUntil: 'load' });
    await page.waitForFunction(() => customElements.get('meeting-room') !== undefined, { timeout: 10_000 });
    const rendered = await page.evaluate(async () => {
      const room = document.querySelector('meeting-room') as (HTMLElement & { updateComplete: Promise<unknown> }) | null;
      await room?.updateComplete;
      const root = room?.shadowRoot;
      return {
        upgraded: room instanceof (customElements.get('meeting-room') as CustomElementConstructor),
        heading: root?.querySelector('[part~="heading"]')?.textContent ?? null,
        meeting: root?.querySelector('[part~="meeting-id"]')?.textContent ?? null,
        name: (root?.querySelector('[part~="name-input"]') as HTMLInputElement | null)?.value ?? null,
      };
    });
    assert.deepEqual(rendered, {
      upgraded: true,
      heading: 'Ready to join?',
      meeting: 'Meeting team-standup',
      name: 'Visitor',
    });
    assert.deepEqual(problems, []);
    // Everything came from the one file: the page asked the CDN for nothing else.
    assert.deepEqual(cdn.requests, ['/meeting-widget.js']);
    await page.close();
  });
});
