// The chat-app demo end to end under `npm start`, two people in two tabs of one channel: Riya
// starts a call (a live <meeting-card> in the channel, her room opens), invites Bo (the invitation
// reaches Bo's tab only, through the server's webhook), Bo joins from the card, a chat message is
// sent, the call ends, and both tabs get the summary the meeting.ended webhook carried. Then a
// recording.ready webhook becomes a message with a player and a download link, and a body with a
// bad signature is refused by the demo's receiver.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Page } from 'puppeteer-core';
import { Webhook } from 'standardwebhooks';
import { chromiumFlags, chromiumPath } from '../support/chromium.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

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

describe('the chat-app demo under npm start', () => {
  it('start a call → card live → invite → join from the card → end → the summary message; a recording message from its webhook', async () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: root,
      env: { ...process.env, PORT: '0', MEDIA_PORT: '0', LOG_LEVEL: 'warn', PGLITE_DIR: 'memory://', WEBHOOK_SECRET: secret, WEBHOOK_URL: '' },
      // (an empty WEBHOOK_URL: npm start points the webhooks at the demo's own receiver)
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
        child.once('exit', (code) => reject(new Error(`npm start exited with ${String(code)}:\n${output}`)));
      });
      assert.match(output, /Webhooks: +http:\/\/127\.0\.0\.1:\d+\/chat-demo\/hooks/);
      const browser = await puppeteer.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags(), defaultViewport: { width: 1280, height: 800 } });
      try {
        const errors: string[] = [];
        const riya = await browser.newPage();
        riya.on('pageerror', (error) => errors.push(String(error)));
        await riya.goto(`${base}/demo/chat-app.html`, { waitUntil: 'load' });
        await signInAs(riya, 'Riya');
        const bo = await browser.newPage();
        bo.on('pageerror', (error) => errors.push(String(error)));
        await bo.goto(`${base}/demo/chat-app.html`, { waitUntil: 'load' });
        await signInAs(bo, 'Bo');

        // Riya starts a call: the card is posted to the channel, her room opens, and the card goes live.
        await riya.bringToFront();
        await riya.locator('#call:not([disabled])').click();
        await until(riya, 'the card live with Riya', async () => (await callCard(riya))?.count === 1);
        assert.equal((await callCard(riya))?.status, 'active');
        await riya.waitForFunction('document.querySelector("#messages")?.textContent.includes("Riya joined the call")', { timeout: 30_000 });
        const meetingId = await riya.$eval('#messages li.call meeting-card', (el) => el.getAttribute('meeting-id') ?? '');

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

        // One chat message in the call, then Riya (the host) ends the call for everyone.
        const session = async (name: string) => {
          const res = await fetch(`${base}/api/v1/dev/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, email: `${name.toLowerCase()}@chat.demo.localhost` }) });
          return ((await res.json()) as { token: string }).token;
        };
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

        // recording.ready, as the contract defines its body, signed with the demo's secret.
        const recordingId = randomUUID();
        const body = JSON.stringify({
          type: 'recording.ready',
          timestamp: new Date().toISOString(),
          data: {
            recording: { id: recordingId, meetingId, status: 'stopped', startedBy: 'riya', startedAt: new Date(endedAt - 10_000).toISOString(), endedAt: new Date(endedAt).toISOString(), location: `${recordingId}.webm` },
            downloadUrl: `/api/v1/meetings/${meetingId}/recordings/${recordingId}/file`,
          },
        });
        const webhookId = `msg_${randomUUID()}`;
        const now = new Date();
        const signature = new Webhook(secret).sign(webhookId, now, body);
        const hook = (headers: Record<string, string>, payload = body) => fetch(`${base}/chat-demo/hooks`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });
        const forged = await hook({ 'webhook-id': webhookId, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new Webhook(`whsec_${randomBytes(32).toString('base64')}`).sign(webhookId, now, body) });
        assert.equal(forged.status, 400, 'a body signed with another key is refused');
        const tampered = await hook({ 'webhook-id': webhookId, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signature }, body.replace('stopped', 'active'));
        assert.equal(tampered.status, 400, 'a changed body is refused');
        const signed = { 'webhook-id': webhookId, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signature };
        assert.equal((await hook(signed)).status, 204);
        assert.equal((await hook(signed)).status, 204, 'a repeated delivery is accepted');
        await riya.waitForSelector(`#messages li.recording[data-recording-id="${recordingId}"] video`, { timeout: 10_000 });
        const link = await riya.$eval(`#messages li.recording[data-recording-id="${recordingId}"] a[download]`, (a) => a.getAttribute('href') ?? '');
        assert.ok(link.endsWith(`/recordings/${recordingId}/file`) || link.startsWith('blob:'), link);
        assert.equal(await riya.$$eval('#messages li.recording', (items) => items.length), 1, 'the repeated delivery posted nothing more');
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
