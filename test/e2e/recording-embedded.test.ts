// Recording without LiveKit Egress, end to end under `npm start`: a host with a fake camera and
// microphone records about ten seconds while a guest is in the call. Both see the recording
// indicator come and go; the embedded media server writes the WebM, recording.ready reaches the
// host application's webhook receiver with a download link, and that link serves the file: an EBML
// header, a video and an audio track, more than 5 s of media.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Page } from 'puppeteer-core';
import { chromiumFlags, chromiumPath } from '../support/chromium.mjs';
import { probeWebm } from '../support/webm-probe.js';
import { startWebhookReceiver } from '../server/helpers/webhook-receiver.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const RECORD_MS = 10_000;
const indicator = 'meeting-room >>> [part~="recording"][role="status"]';

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

describe('recording on the embedded media server under npm start', () => {
  it('records 10 s: indicator at host and guest, recording.ready with a working download of a WebM with video and audio', async () => {
    const recordings = await mkdtemp(join(tmpdir(), 'mw-recordings-'));
    const receiver = await startWebhookReceiver();
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: '0',
        MEDIA_PORT: '0',
        LOG_LEVEL: 'warn',
        PGLITE_DIR: 'memory://',
        RECORDINGS_DIR: recordings,
        WEBHOOK_URL: receiver.url,
        WEBHOOK_SECRET: receiver.secret,
      },
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
      const browser = await puppeteer.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags(), defaultViewport: { width: 1280, height: 800 } });
      try {
        const host = await browser.newPage();
        await host.goto(`${base}/demo/`, { waitUntil: 'load' });
        await host.locator('#start button').click();
        await host.waitForFunction(() => document.querySelector<HTMLAnchorElement>('#share-link')?.href.includes('?meeting='), { timeout: 20_000 });
        const link = await host.$eval('#share-link', (a) => (a as HTMLAnchorElement).href);
        const meetingId = new URL(link).searchParams.get('meeting') ?? '';
        await (await host.waitForSelector('meeting-room >>> [part~="name-input"]'))?.press('Enter');
        await host.waitForFunction(() => document.querySelector('#event-log')?.textContent.includes('"phase":"connected"'), { timeout: 30_000 });
        const hostToken = await host.evaluate((id) => {
          for (let i = 0; i < sessionStorage.length; i++) {
            const key = sessionStorage.key(i) ?? '';
            if (key.includes(id)) return sessionStorage.getItem(key) ?? '';
          }
          return '';
        }, meetingId);
        assert.notEqual(hostToken, '', 'the demo keeps the host token in sessionStorage');

        const guest = await browser.newPage();
        await guest.goto(link.replace('localhost', '127.0.0.1'), { waitUntil: 'load' });
        await guest.locator('meeting-room >>> [part~="name-input"]').fill('Guest Tab');
        await (await guest.$('meeting-room >>> [part~="name-input"]'))?.press('Enter');
        await guest.waitForSelector('meeting-room >>> meeting-controls >>> [part~="leave"]', { timeout: 30_000 });
        assert.equal(await guest.$(indicator), null, 'not recording yet');

        // Start: the indicator shows in both tabs (the media server's room update reaches everyone).
        await host.bringToFront();
        await pressRecord(host);
        await host.waitForSelector(indicator, { timeout: 15_000 });
        const started = Date.now();
        await guest.waitForSelector(indicator, { timeout: 15_000 });
        // The length of the recording is the subject here: ten seconds of the call.
        await new Promise((resolve) => setTimeout(resolve, RECORD_MS - (Date.now() - started)));
        await pressRecord(host);
        await host.waitForSelector(indicator, { hidden: true, timeout: 15_000 });
        await guest.waitForSelector(indicator, { hidden: true, timeout: 15_000 });

        const events = await receiver.until((e) => e.some((x) => x.type === 'recording.ready'), 30_000, 'recording.ready');
        const ready = events.find((e) => e.type === 'recording.ready');
        assert.ok(ready?.type === 'recording.ready');
        const { downloadUrl, recording } = ready.data;
        assert.equal(recording.meetingId, meetingId);
        assert.match(downloadUrl, new RegExp(`^http://localhost:\\d+/api/v1/meetings/${meetingId}/recordings/${recording.id}/file$`));

        const url = downloadUrl.replace('localhost', '127.0.0.1');
        const auth = { authorization: `Bearer ${hostToken}` };
        const response = await fetch(url, { headers: auth });
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('content-type'), 'video/webm');
        assert.match(response.headers.get('content-disposition') ?? '', /^attachment; filename="?[\w.-]+\.webm"?$/);
        const file = Buffer.from(await response.arrayBuffer());
        // What each part on disk holds, for the report and for a failure's diagnosis.
        for (const name of (await readdir(recordings)).filter((n) => n.endsWith('.webm'))) {
          const part = probeWebm(await readFile(join(recordings, name)));
          console.log(`part ${name}: ${JSON.stringify({ tracks: part.tracks, durationMs: part.durationMs, spanMs: part.spanMs, blocks: part.blocks })}`);
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
        console.log(
          `recording of ${String(RECORD_MS / 1000)} s: ${String(file.length)} bytes; media ${String(Math.round(videoMs))} ms video (${String(probe.blocks[video.number])} blocks), ${String(Math.round(audioMs))} ms audio; header duration ${String(Math.round(probe.durationMs ?? 0))} ms; files: ${(await readdir(recordings)).join(', ')}`,
        );
      } finally {
        await browser.close();
      }
    } finally {
      child.kill('SIGINT');
      const [code] = child.exitCode !== null ? [child.exitCode] : ((await once(child, 'exit')) as [number | null]);
      await receiver.close();
      await rm(recordings, { recursive: true, force: true });
      assert.equal(code, 0, output);
    }
  });
});
