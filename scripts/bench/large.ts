// `npm run bench:large`: a meeting of N rtc-node bots (20 with a microphone, BENCH_MICS=all for every
// one, speaking in turn; four with a 320×180 camera: two on the first page, two on the last) and one Chromium page
// with the built widget, joined through the token server, against the embedded media server in its
// own process. For N = 25, 50, 100 (BENCH_SIZES) it prints: the page's join time, the media server's
// CPU and RSS, the page's main-thread busy share and JS heap, the video streams the page receives
// (and the server forwards to it) against the tiles on screen, the frame rate of those videos, and
// the time from a bot starting to speak to its tile showing it speaking (p50/p95; and, of it, the part from the page's livekit-client receiving the server's speaker update to the tile), half of the
// speakers starting off the first page. BENCH_PROFILE=1 writes a CPU profile of the media server
// per size and prints its top functions. Needs `npm run build` (the widget bundle).
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dispose } from '@livekit/rtc-node';
import { API_KEY, API_SECRET, startMediaProcess } from '../../test/e2e/media-page/harness.js';
import { startApp, type TestApp } from '../../test/support/app.js';
import { forwardedVideoSlots } from '../../test/support/bots/debug-view.js';
import { DESKTOP_PAGE_SIZE, launchBrowser, speakerChange, startLargeMeeting, type LargeMeeting } from '../../test/support/bots/large-meeting.js';
import { eventually, percentile } from '../../test/support/bots/wait.js';
import { activeVideo, closeWidgetSite } from '../../test/support/bots/widget-page.js';
import { median } from './stats.js';

const sizes = (process.env.BENCH_SIZES ?? '25,50,100').split(',').map(Number);
const WINDOW_S = Number(process.env.BENCH_WINDOW_S ?? 20);
const CHANGES = Number(process.env.BENCH_SPEAKER_CHANGES ?? 8);
const PROFILE = process.env.BENCH_PROFILE === '1';
/** Bots with a microphone: each costs its bot ~2 % of a core even silent (BENCH_MICS=all for every bot). */
const MICS = process.env.BENCH_MICS ?? '20';
const root = fileURLToPath(new URL('../..', import.meta.url));
const profileDir = join(root, '.bench-profiles');
const CLOCK_TICKS = 100;

interface Row {
  n: number;
  joinMs: number;
  cpuPercent: number;
  rssMb: number;
  busyPercent: number;
  heapMb: number;
  pages: string;
  visibleTiles: number;
  pageVideos: number;
  serverVideos: number;
  fps: number;
  speakerP50: number;
  speakerP95: number;
  offPageP95: number;
  widgetP50: number;
  widgetP95: number;
}

/** User + system CPU seconds of a process so far, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${String(pid)}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function rssMb(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'));
  return Number(line?.[1] ?? 0) / 1024;
}

async function measure(n: number): Promise<Row> {
  const media = await startMediaProcess({ MEDIA_MAX_PARTICIPANTS: '0' }, PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=media-${String(n)}.cpuprofile`] : []);
  let app: TestApp | undefined;
  let meeting: LargeMeeting | undefined;
  const browser = await launchBrowser();
  try {
    app = await startApp({ LIVEKIT_URL: media.url, LIVEKIT_API_KEY: API_KEY, LIVEKIT_API_SECRET: API_SECRET });
    // Two cameras on the first page, two on the last (the page itself is the first tile).
    const cameraIndexes = [0, 1, n - 2, n - 1];
    const joinStarted = Date.now();
    // Microphones spread over the pages, so half the speakers start off the first one.
    const micCount = MICS === 'all' ? n : Math.min(n, Number(MICS));
    const micIndexes = Array.from({ length: micCount }, (_, i) => Math.floor((i * n) / micCount));
    meeting = await startLargeMeeting({ apiUrl: app.url, bots: n, cameraIndexes, micIndexes, browser });
    const m = meeting;
    console.log(`  N=${String(n)}: bots joined and the page in after ${((Date.now() - joinStarted) / 1000).toFixed(1)} s; the bots' ${String(m.yielded.threads)} threads at nice 19, ${String(m.yielded.realtime)} of them taken off real-time scheduling`);
    const onFirstPage = Math.min(n + 1, DESKTOP_PAGE_SIZE);
    await eventually(async () => (await m.page.grid()).tiles.length === onFirstPage, `${String(onFirstPage)} tiles on the first page`, 60_000);
    // Settle: subscriptions, first keyframes, layer choices.
    await new Promise((resolve) => setTimeout(resolve, 5000));

    const pageIdentity = (await m.page.grid()).tiles.map((t) => t.identity).find((id) => !m.bots.some((b) => b.identity === id)) ?? '';
    const cpu0 = cpuSeconds(media.child.pid ?? 0);
    const cost0 = await m.page.cost();
    const inbound0 = await m.page.inboundVideo();
    const started = Date.now();
    // Speakers in turn, alternately one already on the first page and one that is not.
    const firstPage = new Set((await m.page.grid()).tiles.map((t) => t.identity));
    const onPage = m.speakers.filter((b) => firstPage.has(b.identity));
    const offPage = m.speakers.filter((b) => !firstPage.has(b.identity));
    const all: number[] = [];
    const fromOffPage: number[] = [];
    const widget: number[] = [];
    for (let i = 0; i < CHANGES || Date.now() - started < WINDOW_S * 1000; i++) {
      const off = i % 2 === 1 && offPage.length > 0;
      const list = off ? offPage : onPage;
      const speaker = list[Math.floor(i / 2) % list.length];
      if (!speaker) continue;
      const wasOnScreen = (await m.page.grid()).tiles.some((t) => t.identity === speaker.identity);
      const change = await speakerChange(m, speaker);
      all.push(change.shownMs);
      if (Number.isFinite(change.widgetMs)) widget.push(change.widgetMs);
      if (!wasOnScreen) fromOffPage.push(change.shownMs);
    }
    for (const bot of m.bots) bot.rtc.speak(false);
    const seconds = (Date.now() - started) / 1000;
    const cpu1 = cpuSeconds(media.child.pid ?? 0);
    const cost1 = await m.page.cost();
    const inbound1 = await m.page.inboundVideo();
    const grid = await m.page.grid();
    const videos = activeVideo(inbound0, inbound1, seconds);
    return {
      n,
      joinMs: m.page.joinMs,
      cpuPercent: ((cpu1 - cpu0) / seconds) * 100,
      rssMb: rssMb(media.child.pid ?? 0),
      busyPercent: ((cost1.taskSeconds - cost0.taskSeconds) / ((cost1.at - cost0.at) / 1000)) * 100,
      heapMb: cost1.jsHeapBytes / 1024 / 1024,
      pages: grid.pager ?? '1 / 1',
      visibleTiles: grid.tiles.filter((t) => t.identity !== pageIdentity).length,
      pageVideos: videos.length,
      serverVideos: await forwardedVideoSlots(media.url, API_KEY, API_SECRET, pageIdentity),
      fps: median(videos.map((v) => v.fps)),
      speakerP50: percentile(all, 0.5),
      speakerP95: percentile(all, 0.95),
      offPageP95: percentile(fromOffPage, 0.95),
      widgetP50: percentile(widget, 0.5),
      widgetP95: percentile(widget, 0.95),
    };
  } finally {
    await meeting?.close();
    await browser.close();
    await app?.close();
    await media.stop();
  }
}

/** The functions with the most self time in a V8 CPU profile, as "12.3 % name (file:line)". */
function topFunctions(file: string, count = 12): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: Array<{ id: number; hitCount?: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
    samples: number[];
  };
  const byName = new Map<string, number>();
  for (const node of profile.nodes) {
    const frame = node.callFrame;
    const name = `${frame.functionName || '(anonymous)'} (${frame.url.split('/node_modules/').pop()?.split('/').slice(-2).join('/') ?? ''}:${String(frame.lineNumber + 1)})`;
    byName.set(name, (byName.get(name) ?? 0) + (node.hitCount ?? 0));
  }
  const total = [...byName.values()].reduce((a, b) => a + b, 0) || 1;
  return [...byName.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, hits]) => `${((hits / total) * 100).toFixed(1).padStart(5)} % ${name}`);
}

const rows: Row[] = [];
if (PROFILE) mkdirSync(profileDir, { recursive: true });
console.log(`large meeting: N bots (${MICS === 'all' ? 'all' : MICS} with a microphone, 4 with a 320x180 camera) + one widget page; window >= ${String(WINDOW_S)} s, ${String(CHANGES)}+ speaker changes`);
try {
  for (const n of sizes) {
    rows.push(await measure(n));
    if (PROFILE) {
      const file = readdirSync(profileDir).find((f) => f === `media-${String(n)}.cpuprofile`);
      if (file) console.log(`  media server profile at N=${String(n)} (self time):\n${topFunctions(join(profileDir, file)).map((l) => `    ${l}`).join('\n')}`);
    }
  }
} finally {
  await closeWidgetSite();
  await dispose();
}

const f = (v: number, digits = 0): string => (Number.isFinite(v) ? v.toFixed(digits) : '-');
console.log('\n|   N | page join | media CPU | media RSS | page busy | JS heap | pages | visible tiles | video streams (page / server) | fps | speaker→grid p50 / p95 (off page p95) | server update→grid p50 / p95 |');
console.log('| --: | --: | --: | --: | --: | --: | :-: | --: | :-: | --: | :-: | :-: |');
for (const r of rows) {
  console.log(
    `| ${String(r.n).padStart(3)} | ${f(r.joinMs)} ms | ${f(r.cpuPercent)} % | ${f(r.rssMb)} MB | ${f(r.busyPercent)} % | ${f(r.heapMb, 1)} MB | ${r.pages} | ${String(r.visibleTiles)} | ${String(r.pageVideos)} / ${String(r.serverVideos)} | ${f(r.fps, 1)} | ${f(r.speakerP50)} / ${f(r.speakerP95)} (${f(r.offPageP95)}) ms | ${f(r.widgetP50)} / ${f(r.widgetP95)} ms |`,
  );
}
