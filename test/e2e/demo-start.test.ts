// `npm start` as a new user runs it, once for every test here (one process tree, one Chromium;
// Vite compiles the demo's modules once: starting it is most of this file's time on a loaded
// machine). It runs with a recordings folder of its own, a webhook secret the test knows and no
// WEBHOOK_URL, so it points its webhooks at the chat-app demo's own receiver, as a plain `npm start`
// does (with a secret it makes up and ./.data/recordings).
//
// The chat-app demo first, on a channel nobody used yet: two people in two tabs of one channel.
// Riya starts a call (a live <meeting-card> in the channel, her room opens), invites Bo (the
// invitation reaches Bo's tab only, through the server's webhook), Bo joins from the card. Riya,
// with Chromium's fake camera and microphone, records about ten seconds on the embedded media server
// (no LiveKit Egress): both see the recording indicator come and go, the server's recording.ready
// reaches the demo's own webhook endpoint, and the channel shows the recording with a player and a
// download link, which serves the WebM (an EBML header, a video and an audio track, more than 5 s of
// media). A chat message is sent, the call ends, and both tabs get the summary the meeting.ended
// webhook carried. The demo's receiver refuses a body with a bad signature and posts a repeated
// delivery once.
//
// Then the demo pages: two tabs of the demo meet and see each other; the chat-app and theming demos
// work from a fresh tab; polls go from one tab to the other. Last, Ctrl-C stops it cleanly.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { Webhook } from 'standardwebhooks';
import type { ChannelMessage } from '../../demo/chat-app.server.js';
import { chromiumFlags, chromiumPath } from '../support/chromium.mjs';
import { startNpmStart, type NpmStart } from '../support/npm-start.js';
import { probeWebm } from '../support/webm-probe.js';

const polls = 'meeting-room >>> meeting-polls';

/** The text of every element matching a piercing selector, whitespace folded. */
async function texts(page: Page, selector: string): Promise<string[]> {
  const handles = await page.$$(selector);
  return Promise.all(handles.map((h) => h.evaluate((el) => el.textContent.replace(/\s+/g, ' ').trim())));
}

/** As `until`, checked once a frame in the page (a frame of its own rendering). */
async function untilFrame(page: Page, what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  }
}

/** Opens the polls panel from the bar, or from its "More" menu when the bar is narrow. */
async function openPolls(page: Page): Promise<void> {
  await page.waitForSelector('meeting-room >>> meeting-controls >>> [part~="leave"]');
  const button = await page.$('meeting-room >>> meeting-controls >>> button[part~="polls"]:not([part~="menu-item"])');
  if (button) await button.click();
  else {
    await (await page.waitForSelector('meeting-room >>> meeting-controls >>> [part~="more"]'))?.click();
    await (await page.waitForSelector('meeting-room >>> meeting-controls >>> [part~="polls"][part~="menu-item"]'))?.click();
  }
  await page.waitForSelector(`${polls} >>> [part~="heading"]`);
}

/** The demo page starts a meeting in one tab, a second tab joins from its link: both play the other's camera. */
async function twoTabsInACall(browser: Browser, entry: string, errors: string[]): Promise<{ host: Page; guest: Page }> {
  const host = await browser.newPage();
  host.on('pageerror', (error) => errors.push(String(error)));
  await host.goto(entry, { waitUntil: 'load' });
  assert.equal(new URL(host.url()).pathname, '/demo/');
  // The demo page starts a meeting and shows the link to share.
  await host.locator('#start button').click();
  await host.waitForFunction(() => document.querySelector<HTMLAnchorElement>('#share-link')?.href.includes('?meeting='), { timeout: 20_000 });
  const link = await host.$eval('#share-link', (a) => (a as HTMLAnchorElement).href);
  // Enter in the name field joins; a click at coordinates could miss while the camera preview
  // is still pushing the button down.
  await (await host.waitForSelector('meeting-room >>> [part~="name-input"]'))?.press('Enter');
  await host.waitForFunction(() => document.querySelector('#event-log')?.textContent.includes('"phase":"connected"'), { timeout: 30_000 });

  // A second tab opens the link and joins as a guest.
  const guest = await browser.newPage();
  guest.on('pageerror', (error) => errors.push(String(error)));
  await guest.goto(link.replace('localhost', '127.0.0.1'), { waitUntil: 'load' });
  await guest.locator('meeting-room >>> [part~="name-input"]').fill('Guest Tab');
  await (await guest.$('meeting-room >>> [part~="name-input"]'))?.press('Enter');

  // Each tab plays the other's camera: the call, data included, is up both ways.
  const seesOther = () =>
    [...(document.querySelector('meeting-room')?.shadowRoot?.querySelector('participant-grid')?.shadowRoot?.querySelectorAll('participant-tile') ?? [])]
      .filter((tile) => !tile.shadowRoot?.querySelector('figcaption')?.textContent.includes('(you)'))
      .some((tile) => (tile.shadowRoot?.querySelector('video')?.videoWidth ?? 0) > 0);
  await guest.waitForFunction(seesOther, { timeout: 30_000, polling: 200 });
  await host.bringToFront();
  await host.waitForFunction(seesOther, { timeout: 30_000, polling: 200 });
  return { host, guest };
}

/** Closes every tab, so the next test's call is the only one the machine runs. */
async function closeTabs(browser: Browser): Promise<void> {
  await Promise.all((await browser.pages()).map((page) => page.close()));
}

const RECORD_MS = 10_000;
const indicator = 'meeting-room >>> [part~="recording"][role="status"]';

async function until(page: Page, what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The card of the channel's call message, as the page shows it: status and count. */
function callCard(page: Page): Promise<{ status: string; count: number } | null> {
  return page.evaluate(() => {
    const card = document.querySelector<HTMLElement & { card?: { status: string; participantCount: number } }>('#messages li.call meeting-card');
    return card?.card ? { status: card.card.status, count: card.card.participantCount } : null;
  });
}

const messagesText = (page: Page) => page.$eval('#messages', (el) => el.textContent.replace(/\s+/g, ' '));

async function signInAs(page: Page, name: string): Promise<void> {
  await page.locator('#sign-in input[name="name"]').fill(name);
  await page.locator('#sign-in button').click();
  await page.waitForFunction((n) => document.querySelector('#me')?.textContent.includes(n), {}, name);
}

/** Presses the record button, in the bar or in its "More" menu when the bar is narrow. */
async function pressRecord(page: Page): Promise<void> {
  await page.waitForSelector('meeting-room >>> meeting-controls >>> [part~="leave"]');
  const button = await page.$('meeting-room >>> meeting-controls >>> button[part~="record"]:not([part~="menu-item"])');
  if (button) await button.click();
  else {
    await (await page.waitForSelector('meeting-room >>> meeting-controls >>> [part~="more"]'))?.click();
    await (await page.waitForSelector('meeting-room >>> meeting-controls >>> [part~="record"][part~="menu-item"]'))?.click();
  }
}

/** The channel as the demo's backend streams it to its pages: every message so far, and the ones to come. */
async function followChannel(base: string): Promise<{ messages: ChannelMessage[]; stop: () => Promise<void> }> {
  const abort = new AbortController();
  const res = await fetch(`${base}/chat-demo/stream`, { signal: abort.signal });
  assert.equal(res.status, 200);
  const messages: ChannelMessage[] = [];
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body ?? []) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const data = buffer.slice(0, end).split('\n').find((line) => line.startsWith('data: '));
          buffer = buffer.slice(end + 2);
          if (data) messages.push(JSON.parse(data.slice(6)) as ChannelMessage);
        }
      }
    } catch {
      // aborted by stop()
    }
  })();
  return {
    messages,
    async stop() {
      abort.abort();
      await reading;
    },
  };
}

describe('npm start: the chat-app demo, then the demo and theming pages', () => {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  let recordings = '';
  let start: NpmStart | undefined;
  let base = '';
  let browser: Browser | undefined;
  let channel: Awaited<ReturnType<typeof followChannel>> | undefined;
  const errors: string[] = [];
  let riya: Page;
  let bo: Page;
  let meetingId = '';

  const session = async (name: string) => {
    const res = await fetch(`${base}/api/v1/dev/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, email: `${name.toLowerCase()}@chat.demo.localhost` }) });
    return ((await res.json()) as { token: string }).token;
  };

  before(async () => {
    const starting = Date.now();
    recordings = await mkdtemp(join(tmpdir(), 'mw-recordings-'));
    // (an empty WEBHOOK_URL: npm start points the webhooks at the demo's own receiver)
    const launchingServer = startNpmStart({ RECORDINGS_DIR: recordings, WEBHOOK_SECRET: secret, WEBHOOK_URL: '' });
    const launching = puppeteer.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags(), defaultViewport: { width: 1280, height: 800 } });
    // Both are awaited before either can throw alone: a failed start must not leave Chromium running.
    const [server, chromium] = await Promise.allSettled([launchingServer, launching]);
    if (server.status === 'fulfilled') start = server.value;
    if (chromium.status === 'fulfilled') browser = chromium.value;
    if (server.status === 'rejected') throw server.reason;
    if (chromium.status === 'rejected') throw chromium.reason;
    assert.ok(start);
    base = start.base;
    const serverMs = Date.now() - starting;
    channel = await followChannel(base);
    // Start-up is most of this file's time on a loaded machine: shown, so it can be watched.
    console.log(`npm start serving after ${String(serverMs)} ms, Chromium too after ${String(Date.now() - starting)} ms`);
  });

  after(async () => {
    const stopping = Date.now();
    await channel?.stop();
    if (browser?.connected) await browser.close();
    // The last test stops it and checks how; this is for when that test did not get there.
    await start?.stop();
    console.log(`Chromium and npm start stopped in ${String(Date.now() - stopping)} ms`);
    await rm(recordings, { recursive: true, force: true });
  });

  it('start a call → card live → invite → Bo joins from the card', async () => {
    assert.ok(browser);
    assert.match(start?.output() ?? '', /Webhooks: +http:\/\/127\.0\.0\.1:\d+\/chat-demo\/hooks/);
    riya = await browser.newPage();
    riya.on('pageerror', (error) => errors.push(String(error)));
    await riya.goto(`${base}/demo/chat-app.html`, { waitUntil: 'load' });
    await signInAs(riya, 'Riya');
    bo = await browser.newPage();
    bo.on('pageerror', (error) => errors.push(String(error)));
    await bo.goto(`${base}/demo/chat-app.html`, { waitUntil: 'load' });
    await signInAs(bo, 'Bo');

    // Riya starts a call: the card is posted to the channel, her room opens, and the card goes live.
    await riya.bringToFront();
    await riya.locator('#call:not([disabled])').click();
    await until(riya, 'the card live with Riya', async () => (await callCard(riya))?.count === 1);
    assert.equal((await callCard(riya))?.status, 'active');
    await riya.waitForFunction('document.querySelector("#messages")?.textContent.includes("Riya joined the call")', { timeout: 30_000 });
    meetingId = await riya.$eval('#messages li.call meeting-card', (el) => el.getAttribute('meeting-id') ?? '');

    // Bo's tab got the same card through the channel, live too.
    await until(bo, 'the card in Bo’s tab', async () => (await callCard(bo))?.count === 1);

    // Riya invites Bo: the invitation.created webhook becomes a message in Bo's tab only.
    await riya.locator('#invite input').fill('Bo');
    await riya.locator('#invite button').click();
    await bo.waitForSelector('#messages li.invitation meeting-card', { timeout: 30_000 });
    assert.equal(await bo.$eval('#messages li.invitation meeting-card', (el) => el.getAttribute('meeting-id')), meetingId);
    assert.equal(await riya.$('#messages li.invitation'), null, 'the invitation is not shown to Riya');

    // Bo joins from the card in the channel: the room beside the chat opens on that meeting.
    await bo.bringToFront();
    await (await bo.waitForSelector('#messages li.call meeting-card >>> [part~="join-button"]'))?.click();
    await bo.waitForFunction('document.querySelector("#messages")?.textContent.includes("Bo joined the call")', { timeout: 30_000 });
    assert.equal(await bo.$eval('#call-room', (el) => el.getAttribute('meeting-id')), meetingId);
    await until(riya, 'two people on Riya’s card', async () => (await callCard(riya))?.count === 2);
  });

  it('Riya records 10 s: the indicator in both tabs, then the recording message with a player and a download of a WebM with video and audio', async () => {
    assert.ok(meetingId, 'the call is running');
    await bo.waitForSelector('meeting-room >>> meeting-controls >>> [part~="leave"]', { timeout: 30_000 });
    assert.equal(await bo.$(indicator), null, 'not recording yet');

    // Start: the indicator shows in both tabs (the media server's room update reaches everyone).
    await riya.bringToFront();
    await pressRecord(riya);
    await riya.waitForSelector(indicator, { timeout: 15_000 });
    const started = Date.now();
    await bo.waitForSelector(indicator, { timeout: 15_000 });
    // The length of the recording is the subject here: ten seconds of the call.
    await new Promise((resolve) => setTimeout(resolve, RECORD_MS - (Date.now() - started)));
    await pressRecord(riya);
    const stopped = Date.now();
    await riya.waitForSelector(indicator, { hidden: true, timeout: 15_000 });
    await bo.waitForSelector(indicator, { hidden: true, timeout: 15_000 });

    // recording.ready reaches the demo's endpoint and becomes a message of the channel, in both tabs.
    const selector = '#messages li.recording video';
    await riya.waitForSelector(selector, { timeout: 30_000 }).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; npm start said:\n${(start?.output() ?? '').slice(-4000)}`);
    });
    const readyMs = Date.now() - stopped;
    await bo.waitForSelector(selector, { timeout: 30_000 });
    const message = channel?.messages.find((m): m is Extract<ChannelMessage, { kind: 'recording' }> => m.kind === 'recording' && m.meetingId === meetingId);
    assert.ok(message, 'the channel has the recording message');
    assert.equal(message.title, '#design-review call');
    const { downloadUrl, recordingId } = message;
    assert.match(downloadUrl, new RegExp(`^http://localhost:\\d+/api/v1/meetings/${meetingId}/recordings/${recordingId}/file$`));
    const item = `#messages li.recording[data-recording-id="${recordingId}"]`;
    assert.ok(await riya.$(item), 'the message is the recording the server announced');

    // The player, fed with the file fetched with Riya's bearer, plays more than 5 s.
    const player = await riya.$eval(
      `${item} video`,
      (video) =>
        // (no named functions in here: the test's compiler would wrap them in a helper the page lacks)
        new Promise<{ duration: number; width: number }>((resolve, reject) => {
          if (video.readyState >= 1) resolve({ duration: video.duration, width: video.videoWidth });
          video.addEventListener('loadedmetadata', () => resolve({ duration: video.duration, width: video.videoWidth }), { once: true });
          video.addEventListener('error', () => reject(new Error(`the player failed: ${String(video.error?.message)}`)), { once: true });
        }),
    );
    assert.ok(player.duration > 5 && Number.isFinite(player.duration), `the player's duration: ${String(player.duration)} s`);
    assert.ok(player.width > 0, 'the player shows video');
    // The download link hands out the same file: a WebM.
    const link = await riya.$eval(`${item} a[download]`, (a) => a.getAttribute('href') ?? '');
    assert.ok(link.endsWith(`/recordings/${recordingId}/file`) || link.startsWith('blob:'), link);
    const downloaded = await riya.$eval(`${item} a[download]`, async (a) => {
      const bytes = new Uint8Array(await (await fetch(a.href)).arrayBuffer());
      return { head: [...bytes.subarray(0, 4)], size: bytes.length };
    });
    assert.deepEqual(downloaded.head, [0x1a, 0x45, 0xdf, 0xa3], 'the download is a WebM (EBML header)');

    // The file route itself, as the link names it.
    const url = downloadUrl.replace('localhost', '127.0.0.1');
    const auth = { authorization: `Bearer ${await session('Riya')}` };
    const response = await fetch(url, { headers: auth });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'video/webm');
    assert.match(response.headers.get('content-disposition') ?? '', /^attachment; filename="?[\w.-]+\.webm"?$/);
    const file = Buffer.from(await response.arrayBuffer());
    assert.equal(downloaded.size, file.length, 'the download link serves the whole file');
    // What each part on disk holds, for the report and for a failure's diagnosis.
    for (const name of (await readdir(recordings)).filter((n) => n.endsWith('.webm'))) {
      const part = probeWebm(await readFile(join(recordings, name)));
      console.log(`part ${name}: ${JSON.stringify({ tracks: part.tracks, durationMs: part.durationMs, startMs: part.startMs, spanMs: part.spanMs, blocks: part.blocks })}`);
    }
    assert.deepEqual([...file.subarray(0, 4)], [0x1a, 0x45, 0xdf, 0xa3], 'EBML header');
    const probe = probeWebm(file);
    const video = probe.tracks.find((t) => t.kind === 'video');
    const audio = probe.tracks.find((t) => t.kind === 'audio');
    assert.ok(video && audio, `a video and an audio track: ${JSON.stringify(probe.tracks)}`);
    const videoMs = probe.spanMs[video.number] ?? 0;
    const audioMs = probe.spanMs[audio.number] ?? 0;
    assert.ok(videoMs > 5000 && audioMs > 5000, `more than 5 s of media: video ${String(videoMs)} ms, audio ${String(audioMs)} ms`);
    assert.ok((probe.durationMs ?? 0) > 5000, `duration in the header: ${String(probe.durationMs)}`);
    // Range requests are answered (express's sendFile).
    const range = await fetch(url, { headers: { ...auth, range: 'bytes=0-3' } });
    assert.equal(range.status, 206);
    assert.deepEqual([...Buffer.from(await range.arrayBuffer())], [0x1a, 0x45, 0xdf, 0xa3]);
    // Nobody else gets it.
    assert.equal((await fetch(url)).status, 401);
    for (const line of (start?.output() ?? '').split('\n').filter((l) => /media: (egress|recording part)/.test(l))) console.log(line.trim());
    console.log(
      `recording of ${String(RECORD_MS / 1000)} s: ${String(file.length)} bytes; media ${String(Math.round(videoMs))} ms video (${String(probe.blocks[video.number])} blocks), ${String(Math.round(audioMs))} ms audio; header duration ${String(Math.round(probe.durationMs ?? 0))} ms; player ${player.duration.toFixed(1)} s; stop → recording message in the page ${String(readyMs)} ms; files: ${(await readdir(recordings)).join(', ')}`,
    );
  });

  it('a chat message, then the host ends the call: the summary message in both tabs, the card ended', async () => {
    assert.ok(meetingId, 'the call is running');
    const chat = await fetch(`${base}/api/v1/meetings/${meetingId}/chat`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await session('Bo')}` }, body: JSON.stringify({ text: 'Looks good to me' }) });
    assert.equal(chat.status, 201, await chat.text());
    const endedAt = Date.now();
    const end = await fetch(`${base}/api/v1/meetings/${meetingId}/end`, { method: 'POST', headers: { authorization: `Bearer ${await session('Riya')}` } });
    assert.equal(end.status, 200, await end.text());

    // The meeting.ended webhook reaches the demo and both tabs show the summary; the card says ended.
    await until(riya, 'the summary in Riya’s tab', async () => (await messagesText(riya)).includes('Call ended'));
    const summaryMs = Date.now() - endedAt;
    await until(bo, 'the summary in Bo’s tab', async () => (await messagesText(bo)).includes('Call ended'));
    const summary = await riya.$eval('#messages li.summary', (el) => el.textContent.replace(/\s+/g, ' '));
    assert.match(summary, /2 people came \((Riya, Bo|Bo, Riya)\)/);
    assert.match(summary, /1 chat message\b/);
    await until(riya, 'the card ended', async () => (await callCard(riya))?.status === 'ended');
    await riya.waitForFunction(() => document.querySelector('#call-room')?.hasAttribute('hidden'), { timeout: 15_000 });
    console.log(`end → summary message in the page (webhook delivery, the demo's receiver, its push): ${String(summaryMs)} ms`);
  });

  it("the demo's receiver refuses a forged or changed body and posts a repeated delivery once", async () => {
    assert.ok(meetingId, 'the call ran');
    // recording.ready, as the contract defines its body, signed with the demo's secret.
    const recordingId = randomUUID();
    const route = `/api/v1/meetings/${meetingId}/recordings/${recordingId}/file`;
    const now = new Date();
    const body = JSON.stringify({
      type: 'recording.ready',
      timestamp: now.toISOString(),
      data: {
        recording: { id: recordingId, meetingId, status: 'stopped', startedBy: 'riya', startedAt: new Date(now.getTime() - 10_000).toISOString(), endedAt: now.toISOString(), location: route },
        downloadUrl: route,
      },
    });
    const webhookId = `msg_${randomUUID()}`;
    const signature = new Webhook(secret).sign(webhookId, now, body);
    const hook = (headers: Record<string, string>, payload = body) => fetch(`${base}/chat-demo/hooks`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });
    const forged = await hook({ 'webhook-id': webhookId, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new Webhook(`whsec_${randomBytes(32).toString('base64')}`).sign(webhookId, now, body) });
    assert.equal(forged.status, 400, 'a body signed with another key is refused');
    const tampered = await hook({ 'webhook-id': webhookId, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signature }, body.replace('stopped', 'active'));
    assert.equal(tampered.status, 400, 'a changed body is refused');
    const signed = { 'webhook-id': webhookId, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signature };
    assert.equal((await hook(signed)).status, 204);
    assert.equal((await hook(signed)).status, 204, 'a repeated delivery is accepted');
    const item = `#messages li.recording[data-recording-id="${recordingId}"]`;
    await riya.waitForSelector(`${item} video`, { timeout: 10_000 });
    const link = await riya.$eval(`${item} a[download]`, (a) => a.getAttribute('href') ?? '');
    assert.ok(link.endsWith(`/recordings/${recordingId}/file`) || link.startsWith('blob:'), link);
    assert.equal(await riya.$$eval(item, (items) => items.length), 1, 'the repeated delivery posted nothing more');
    assert.equal(channel?.messages.filter((m) => m.kind === 'recording' && m.recordingId === recordingId).length, 1, 'the channel holds it once');
    assert.deepEqual(errors, []);
    if (browser) await closeTabs(browser);
  });

  it('serves the demo where two tabs meet and see each other; the chat-app and theming demos work', async () => {
    assert.ok(browser);
    // The chat-app tests' tabs are closed, even when one of them failed half-way: this call runs alone.
    await closeTabs(browser);
    const health = await fetch(`${base}/api/v1/healthz`);
    assert.deepEqual(await health.json(), { ok: true });

    const errors: string[] = [];
    // From the site's root, which sends the browser to the demo.
    await twoTabsInACall(browser, `${base}/`, errors);

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
    // The button eases into a new colour (a 120 ms CSS transition): wait for it to arrive, then
    // compare (the assertion shows the colour it stopped at, if it never does).
    await theming.waitForFunction((button) => getComputedStyle(button as Element).backgroundColor === 'rgb(170, 34, 0)', { timeout: 5_000 }, joinButton).catch(() => undefined);
    assert.equal(await joinButton?.evaluate((button) => getComputedStyle(button).backgroundColor), 'rgb(170, 34, 0)');
    assert.deepEqual(errors, []);
    await closeTabs(browser);
  });

  it('polls: one tab starts a poll, the other votes, both see the result and the close', async () => {
    assert.ok(browser);
    const errors: string[] = [];
    const { host, guest } = await twoTabsInACall(browser, `${base}/demo/`, errors);

    // The host writes and starts the poll in the panel.
    await openPolls(host);
    await host.locator(`${polls} >>> [part~="new"]`).click();
    await host.locator(`${polls} >>> [part~="question-input"]`).fill('Ready to ship?');
    const options = await host.$$(`${polls} >>> [part~="option-input"]`);
    await options[0]?.type('Yes');
    await options[1]?.type('Not yet');
    await host.locator(`${polls} >>> [part~="start"]`).click();
    await host.waitForSelector(`${polls} >>> [part~="poll"]`);

    // The guest is told, opens the panel and votes.
    await guest.bringToFront();
    await untilFrame(guest, 'the announcement at the guest', async () => (await texts(guest, 'meeting-room >>> [part~="announcer"]')).some((t) => t.includes('started a poll: Ready to ship?')));
    await openPolls(guest);
    await guest.locator(`${polls} >>> input[type="radio"]`).click();
    await guest.locator(`${polls} >>> [part~="vote"]`).click();
    await guest.waitForSelector(`${polls} >>> [part~="my-vote"]`);
    assert.deepEqual(await texts(guest, `${polls} >>> [part~="count"]`), ['1 of 1 (100%)', '0 of 1 (0%)']);

    // The host sees the guest's vote arrive, then closes the poll; the guest sees it closed.
    await host.bringToFront();
    await untilFrame(host, 'the vote at the host', async () => (await texts(host, `${polls} >>> [part~="count"]`))[0] === '1 of 1 (100%)');
    await host.locator(`${polls} >>> [part~="close"]`).click();
    await guest.bringToFront();
    await untilFrame(guest, 'the close at the guest', async () => (await texts(guest, `${polls} >>> [part~="meta"]`))[0]?.startsWith('Closed') === true);
    assert.deepEqual(await texts(guest, `${polls} >>> [part~="count"]`), ['1 of 1 (100%)', '0 of 1 (0%)']);
    assert.equal((await guest.$$(`${polls} >>> input`)).length, 0, 'a closed poll takes no votes');
    // Vite's dev client (the demo compiles the sources on request) reports its own socket to the
    // dev server failing under load, with this message only it uses; anything else counts.
    assert.deepEqual(errors.filter((e) => !e.includes('WebSocket closed without opened.')), []);
    await closeTabs(browser);
  });

  it('stops on Ctrl-C with exit code 0', async () => {
    assert.ok(browser && start);
    await channel?.stop();
    await browser.close();
    assert.equal(await start.stop(), 0, start.output());
  });
});
