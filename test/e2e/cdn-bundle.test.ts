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
    // The strictest policy a careful site would send: no inline script or style, no eval, scripts
    // only from itself and the CDN.
    const policy = [
      "default-src 'none'",
      `script-src 'self' ${cdn.url}`,
      `connect-src 'self' ${cdn.url}`,
      "style-src 'self'",
      'img-src data:',
    ].join('; ');
    const page = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><link rel="icon" href="data:,"><title>A site that embeds a meeting</title></head>
  <body>
    <h1>Team page</h1>
    <meeting-room meeting-id="team-standup" display-name="Visitor"></meeting-room>
    <chat-shell></chat-shell>
    <script type="module" src="/chat-shell.js"></script>
    <script type="module" src="${cdn.url}/meeting-widget.js"></script>
  </body>
</html>`;
    // Another component of the site, with its own shadow root, that places a second meeting inside it.
    const chatShell = `customElements.define('chat-shell', class extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).innerHTML = '<aside><meeting-room meeting-id="side-call" display-name="Shell user"></meeting-room></aside>';
  }
});`;
    site = await startTestServer([
      serveText('/', 'text/html; charset=utf-8', page, { 'content-security-policy': policy }),
      serveText('/chat-shell.js', 'text/javascript', chatShell),
    ]);
    browser = await puppeteer.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags() });
  });

  after(async () => {
    await browser?.close();
    await site?.close();
    await cdn?.close();
  });

  it('renders from the one script tag under a strict CSP, twice, one inside another shadow root', async () => {
    assert.ok(browser);
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warn') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(String(error)));

    await page.evaluateOnNewDocument(`
      window.violations = [];
      document.addEventListener('securitypolicyviolation', (event) => window.violations.push(event.violatedDirective + ' ' + event.blockedURI));
    `);
    assert.ok(site && cdn);
    await page.goto(`${site.url}/`, { waitUntil: 'load' });
    await page.waitForFunction(() => customElements.get('meeting-room') !== undefined, { timeout: 10_000 });
    // Plain JavaScript in strings: tsx would wrap named functions in a helper the page does not have.
    const rendered = await page.evaluate(`(async () => {
      const describe = async (room) => {
        await room?.updateComplete;
        const lobby = room?.shadowRoot?.querySelector('meeting-lobby');
        await lobby?.updateComplete;
        const root = lobby?.shadowRoot;
        return {
          upgraded: room instanceof customElements.get('meeting-room'),
          heading: root?.querySelector('[part~="heading"]')?.textContent ?? null,
          meeting: root?.querySelector('[part~="meeting-id"]')?.textContent ?? null,
          name: root?.querySelector('[part~="name-input"]')?.value ?? null,
        };
      };
      const onPage = document.querySelector('meeting-room');
      const inShell = document.querySelector('chat-shell')?.shadowRoot?.querySelector('meeting-room');
      return [await describe(onPage), await describe(inShell)];
    })()`);
    assert.deepEqual(rendered, [
      { upgraded: true, heading: 'Ready to join?', meeting: 'Meeting team-standup', name: 'Visitor' },
      { upgraded: true, heading: 'Ready to join?', meeting: 'Meeting side-call', name: 'Shell user' },
    ]);
    const violations = await page.evaluate('window.violations');
    assert.deepEqual(violations, [], 'nothing the Content-Security-Policy refused');
    assert.deepEqual(problems, []);
    // Everything came from the one file: the page asked the CDN for nothing else.
    assert.deepEqual(cdn.requests, ['/meeting-widget.js']);
    // Typing in one lobby leaves the other alone.
    const names = await page.evaluate(`(async () => {
      const lobbyOf = (room) => room?.shadowRoot?.querySelector('meeting-lobby');
      const first = lobbyOf(document.querySelector('meeting-room'));
      const second = lobbyOf(document.querySelector('chat-shell')?.shadowRoot?.querySelector('meeting-room'));
      const input = first?.shadowRoot?.querySelector('[part~="name-input"]');
      input.value = 'Changed';
      input.dispatchEvent(new Event('input'));
      await first?.updateComplete;
      await second?.updateComplete;
      return [first, second].map((lobby) => lobby?.shadowRoot?.querySelector('[part~="name-input"]')?.value);
    })()`);
    assert.deepEqual(names, ['Changed', 'Shell user']);
    await page.close();
  });
});
