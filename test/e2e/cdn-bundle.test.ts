import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
import { assertChromiumInstalled, chromiumFlags, chromiumPath } from '../support/chromium.mjs';
import { serveText, startTestServer, type Route, type TestServer } from '../support/static-server.js';

const cdnDir = fileURLToPath(new URL('../../dist/cdn/', import.meta.url));
const bundlePath = `${cdnDir}meeting-widget.js`;
const CORS = { 'access-control-allow-origin': '*' };
/**
 * The French catalogue's chunks, fetched only when an element speaks French: the card's strings
 * (all a chat page with cards needs) and the rest, which imports them.
 */
const FRENCH_CHUNK = /^meeting-widget-fr-[\w-]+\.js$/;
const FRENCH_CARD_CHUNK = /^meeting-widget-fr-card-[\w-]+\.js$/;

async function waitFor(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('CDN bundle on a third-party page', () => {
  let browser: Browser | undefined;
  let cdn: TestServer | undefined;
  let site: TestServer | undefined;
  /** The chunks the entry loads on demand (the call view, livekit-client), held back until `release()`. */
  let chunkNames: string[] = [];
  const chunkRequests: Array<{ path: string; origin: string | undefined }> = [];
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));

  before(async () => {
    assert.ok(existsSync(bundlePath), `${bundlePath} is missing: run npm run build first`);
    assertChromiumInstalled();
    chunkNames = readdirSync(cdnDir).filter((name) => name.endsWith('.js') && name !== 'meeting-widget.js');
    assert.ok(chunkNames.length > 0, 'the build should put livekit-client in a chunk of its own');
    const heldChunk: Route = (req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const name = path.slice(1);
      if (!chunkNames.includes(name)) return false;
      chunkRequests.push({ path, origin: req.headers.origin });
      void released.then(() => {
        res.writeHead(200, { 'content-type': 'text/javascript', ...CORS }).end(readFileSync(`${cdnDir}${name}`));
      });
      return true;
    };
    // The bundle's origin is not the page's: module scripts, and the chunks they import, cross
    // origins only with CORS.
    cdn = await startTestServer([serveText('/meeting-widget.js', 'text/javascript', readFileSync(bundlePath), CORS), heldChunk]);
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
    const frenchPage = `<!doctype html>
<html lang="fr">
  <head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Un site qui intègre une réunion</title></head>
  <body>
    <meeting-room meeting-id="point-equipe" display-name="Visiteur"></meeting-room>
    <script type="module" src="${cdn.url}/meeting-widget.js"></script>
  </body>
</html>`;
    site = await startTestServer([
      serveText('/', 'text/html; charset=utf-8', page, { 'content-security-policy': policy }),
      serveText('/fr', 'text/html; charset=utf-8', frenchPage, { 'content-security-policy': policy }),
      serveText('/chat-shell.js', 'text/javascript', chatShell),
    ]);
    browser = await puppeteer.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags() });
  });

  after(async () => {
    release();
    await browser?.close();
    await site?.close();
    await cdn?.close();
  });

  it('renders from the one script tag under a strict CSP, twice, one inside another shadow root, before livekit-client arrives as a cross-origin chunk', async () => {
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
    // The room and the lobby rendered from the entry alone: livekit-client is still held back.
    assert.deepEqual(cdn.requests.filter((path) => path === '/meeting-widget.js'), ['/meeting-widget.js']);
    // ...and arrives on its own once the lobby is idle, from the entry's directory on the CDN, asked
    // for across origins by the site's page.
    await waitFor(() => chunkRequests.length > 0, 'the lobby to fetch livekit-client while idle');
    release();
    const loaded = await page.evaluate(`(async () => {
      for (let i = 0; i < 100; i++) {
        if (performance.getEntriesByType('resource').some((e) => e.name.includes('meeting-widget-') && e.responseEnd > 0)) return true;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return false;
    })()`);
    assert.equal(loaded, true, 'the chunk finished loading');
    assert.deepEqual(
      chunkRequests.map((r) => r.path).sort(),
      chunkNames.filter((name) => !FRENCH_CHUNK.test(name)).map((name) => `/${name}`).sort(),
      'each chunk once, for both rooms, and not the French catalogue on a page in English',
    );
    // The call's elements came with their chunk, from the CDN, across origins too.
    await page.waitForFunction(() => customElements.get('participant-grid') !== undefined && customElements.get('meeting-controls') !== undefined, { timeout: 10_000 });
    assert.deepEqual(new Set(chunkRequests.map((r) => r.origin)), new Set([site.url]), 'a cross-origin request from the site');
    assert.notEqual(new URL(site.url).origin, new URL(cdn.url).origin);
    const violations = await page.evaluate('window.violations');
    assert.deepEqual(violations, [], 'nothing the Content-Security-Policy refused');
    assert.deepEqual(problems, []);
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
  it('a page in French fetches the French catalogue from the CDN, across origins, and the lobby speaks French', async () => {
    assert.ok(browser && site && cdn);
    assert.equal(chunkNames.filter((name) => FRENCH_CHUNK.test(name)).length, 2, 'the build makes two French chunks');
    assert.equal(chunkNames.filter((name) => FRENCH_CARD_CHUNK.test(name)).length, 1, "one of them the card's strings");
    release();
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
    const before = chunkRequests.length;
    await page.goto(`${site.url}/fr`, { waitUntil: 'load' });
    await page.waitForFunction(() => customElements.get('meeting-room') !== undefined, { timeout: 10_000 });
    const rendered = await page.evaluate(`(async () => {
      const room = document.querySelector('meeting-room');
      await room?.updateComplete;
      const lobby = room?.shadowRoot?.querySelector('meeting-lobby');
      await lobby?.updateComplete;
      const root = lobby?.shadowRoot;
      return {
        heading: root?.querySelector('[part~="heading"]')?.textContent ?? null,
        meeting: root?.querySelector('[part~="meeting-id"]')?.textContent ?? null,
      };
    })()`);
    assert.deepEqual(rendered, { heading: 'Prêt à rejoindre ?', meeting: 'Réunion point-equipe' });
    const french = chunkRequests.slice(before).filter((r) => FRENCH_CHUNK.test(r.path.slice(1)));
    assert.deepEqual(french.map((r) => r.path.slice(1)).sort(), chunkNames.filter((name) => FRENCH_CHUNK.test(name)).sort(), 'the French catalogue, each chunk once');
    assert.deepEqual(new Set(french.map((r) => r.origin)), new Set([site.url]), 'asked for across origins by the site');
    assert.deepEqual(await page.evaluate('window.violations'), [], 'nothing the Content-Security-Policy refused');
    assert.deepEqual(problems, []);
    await page.close();
  });
});
