// The widget inside React and Vue apps: each app is bundled with esbuild the way a host app would
// be built, the widget comes from the CDN bundle, and the framework passes attributes down and
// listens to the widget's events with its own syntax.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import puppeteer, { type Browser } from 'puppeteer-core';
import { assertChromiumInstalled, chromiumFlags, chromiumPath } from '../support/chromium.mjs';
import { serveText, startTestServer, type TestServer } from '../support/static-server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bundlePath = fileURLToPath(new URL('../../dist/cdn/meeting-widget.js', import.meta.url));

/** Each app renders the room, logs the join requests it hears (and cancels them), and can rename. */
const apps = {
  react: `
    import { createElement as h, useState } from 'react';
    import { createRoot } from 'react-dom/client';
    function App() {
      const [heard, setHeard] = useState([]);
      const [name, setName] = useState('From React');
      return h('div', null,
        h('meeting-room', {
          'meeting-id': 'react-room',
          'display-name': name,
          theme: 'dark',
          'onmeeting-join-request': (event) => {
            event.preventDefault();
            setHeard((list) => [...list, event.detail.displayName]);
          },
        }),
        h('button', { id: 'rename', onClick: () => setName('Renamed in React') }, 'Rename'),
        h('output', { id: 'heard' }, heard.join(',')));
    }
    createRoot(document.getElementById('app')).render(h(App));
  `,
  vue: `
    import { createApp, h, ref } from 'vue';
    const App = {
      setup() {
        const heard = ref([]);
        const name = ref('From Vue');
        return () => h('div', [
          h('meeting-room', {
            'meeting-id': 'vue-room',
            'display-name': name.value,
            theme: 'dark',
            onMeetingJoinRequest: (event) => {
              event.preventDefault();
              heard.value = [...heard.value, event.detail.displayName];
            },
          }),
          h('button', { id: 'rename', onClick: () => (name.value = 'Renamed in Vue') }, 'Rename'),
          h('output', { id: 'heard' }, heard.value.join(',')),
        ]);
      },
    };
    createApp(App).mount('#app');
  `,
};

async function bundle(source: string): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'esm',
    write: false,
    define: { 'process.env.NODE_ENV': '"production"', __VUE_OPTIONS_API__: 'false', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' },
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  assert.ok(file);
  return file.text;
}

describe('inside React and Vue apps', () => {
  let browser: Browser | undefined;
  let site: TestServer | undefined;

  before(async () => {
    assert.ok(existsSync(bundlePath), `${bundlePath} is missing: run npm run build first`);
    assertChromiumInstalled();
    const page = (app: string) => `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${app} app</title></head>
  <body>
    <div id="app"></div>
    <script type="module" src="/meeting-widget.js"></script>
    <script type="module" src="/${app}.js"></script>
  </body>
</html>`;
    site = await startTestServer([
      // The entry and the chunk it loads on demand (livekit-client), side by side.
      ...readdirSync(new URL('../../dist/cdn/', import.meta.url))
        .filter((name) => name.endsWith('.js'))
        .map((name) => serveText(`/${name}`, 'text/javascript', readFileSync(new URL(`../../dist/cdn/${name}`, import.meta.url)))),
      serveText('/react.html', 'text/html; charset=utf-8', page('react')),
      serveText('/react.js', 'text/javascript', await bundle(apps.react)),
      serveText('/vue.html', 'text/html; charset=utf-8', page('vue')),
      serveText('/vue.js', 'text/javascript', await bundle(apps.vue)),
    ]);
    browser = await puppeteer.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags() });
  });

  after(async () => {
    await browser?.close();
    await site?.close();
  });

  for (const [app, name, renamed] of [
    ['react', 'From React', 'Renamed in React'],
    ['vue', 'From Vue', 'Renamed in Vue'],
  ] as const) {
    it(`${app}: attributes go down, the join request comes up to the app's handler`, async () => {
      assert.ok(browser && site);
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(String(error)));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      await page.goto(`${site.url}/${app}.html`, { waitUntil: 'load' });
      const nameInput = 'meeting-room >>> meeting-lobby >>> [part~="name-input"]';
      await page.waitForFunction(
        `document.querySelector('meeting-room')?.shadowRoot?.querySelector('meeting-lobby')?.shadowRoot?.querySelector('[part~="name-input"]')?.value === ${JSON.stringify(name)}`,
        { timeout: 10_000 },
      );
      assert.equal(await page.$eval('meeting-room', (el) => el.getAttribute('theme')), 'dark');
      // Enter in the name field submits the lobby's form: a keyboard user's join, and unlike a click
      // at coordinates it cannot miss while the camera preview is still pushing the button down.
      const field = await page.$(nameInput);
      assert.ok(field);
      await field.press('Enter');
      await page.waitForFunction(`document.querySelector('#heard')?.textContent === ${JSON.stringify(name)}`, { timeout: 10_000 });
      // The app renders again with a new name: the lobby follows.
      await (await page.$('#rename'))?.press('Enter');
      await page.waitForFunction(
        `document.querySelector('meeting-room')?.shadowRoot?.querySelector('meeting-lobby')?.shadowRoot?.querySelector('[part~="name-input"]')?.value === ${JSON.stringify(renamed)}`,
        { timeout: 10_000 },
      );
      assert.deepEqual(problems, []);
      await page.close();
    });
  }
});
