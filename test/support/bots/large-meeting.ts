// A large meeting on one machine: N rtc-node bots (all with a microphone, a few with a 320×180
// camera) and one Chromium page with the built widget, all joined through the token server. Shared
// by the large-meeting end-to-end test and `npm run bench:large`; the media server is whatever the
// given token server points at.
import puppeteer, { type Browser } from 'puppeteer-core';
import { chromiumFlags, chromiumPath } from '../chromium.mjs';
import { yieldToMeasured, type Yielded } from './bot-priority.js';
import { joinBots, signIn, startMeeting, type MeetingBot } from './meeting-bots.js';
import { eventually, percentile } from './wait.js';
import { openWidgetPage, type WidgetPage } from './widget-page.js';

/** Tiles on one page of the desktop grid (5×5). */
export const DESKTOP_PAGE_SIZE = 25;

export interface LargeMeeting {
  meetingId: string;
  hostToken: string;
  bots: MeetingBot[];
  /** The bots that publish a camera, and those that publish a microphone (and so may speak). */
  cameras: MeetingBot[];
  speakers: MeetingBot[];
  page: WidgetPage;
  browser: Browser;
  /** What `yieldToMeasured()` changed once everyone was in (zero counts when not asked). */
  yielded: Yielded;
  close(): Promise<void>;
}

export interface LargeMeetingOptions {
  apiUrl: string;
  bots: number;
  /** Indexes (in join order) of the bots that publish a camera. */
  cameraIndexes: readonly number[];
  /**
   * Indexes of the bots that publish a microphone (default: all). Each published microphone costs
   * its bot about 2 % of a core here even while silent (the SDK's audio pipeline runs every 10 ms,
   * muted or not), so a hundred of them would starve a 2-core machine of everything else.
   */
  micIndexes?: readonly number[];
  parallelJoins?: number;
  /** Whether the page publishes its own camera and microphone (default true). */
  pageMedia?: boolean;
  /** Reuse a browser (closed by the caller); else one is launched and closed with the meeting. */
  browser?: Browser;
  /**
   * Whether this process (the bots) yields the CPU to the page and the media server once all are in
   * (default true; see bot-priority.ts). After the browser's launch, which would inherit it.
   */
  yieldCpu?: boolean;
}

export async function launchBrowser(): Promise<Browser> {
  // Background pages are throttled unless told otherwise; a loaded machine makes that worse.
  const args = [...chromiumFlags(), '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows'];
  return puppeteer.launch({ executablePath: chromiumPath, headless: true, args, protocolTimeout: 180_000 });
}

export async function startLargeMeeting(options: LargeMeetingOptions): Promise<LargeMeeting> {
  const hostToken = await signIn(options.apiUrl, 'Page Host');
  // The policy's default cap is 100 people; the page is the 101st at N = 100.
  const meeting = await startMeeting(options.apiUrl, hostToken, { maxParticipants: 1000 });
  const bots = await joinBots(options.apiUrl, meeting.id, options.bots, {
    parallel: options.parallelJoins ?? 4,
    setup: async (bot, index) => {
      if (!options.micIndexes || options.micIndexes.includes(index)) await bot.rtc.publishAudio({ speaking: false });
      if (options.cameraIndexes.includes(index)) await bot.rtc.publishVideo({ width: 320, height: 180, fps: 10 });
    },
  });
  const browser = options.browser ?? (await launchBrowser());
  let page: WidgetPage;
  try {
    page = await openWidgetPage(browser, { apiUrl: options.apiUrl, meetingId: meeting.id, userToken: hostToken, displayName: 'Page Host', media: options.pageMedia ?? true });
  } catch (error) {
    if (!options.browser) await browser.close();
    await Promise.allSettled(bots.map((b) => b.leave()));
    throw error;
  }
  const yielded = options.yieldCpu === false ? { threads: 0, realtime: 0, restore: () => true } : yieldToMeasured();
  const speakers = bots.filter((_, i) => !options.micIndexes || options.micIndexes.includes(i));
  const cameras = options.cameraIndexes.map((i) => bots[i]).filter((b): b is MeetingBot => b !== undefined);
  return {
    meetingId: meeting.id,
    hostToken,
    bots,
    cameras,
    speakers,
    page,
    browser,
    yielded,
    async close() {
      await page.close();
      if (!options.browser) await browser.close();
      await Promise.allSettled(bots.map((b) => b.leave()));
      if (!yielded.restore()) console.warn('the bots process could not take back its normal priority: what it starts next runs at nice 19');
    },
  };
}

export interface SpeakerChange {
  /** From the bot starting to speak to its tile showing it speaking (Date.now() in both; one machine's clock). */
  shownMs: number;
  /** From the page's livekit-client hearing the server name the speaker to the tile: the widget's share. NaN when not seen. */
  widgetMs: number;
}

/** Makes `speaker` the only one speaking and times how long the page took to show its tile speaking. */
export async function speakerChange(meeting: LargeMeeting, speaker: MeetingBot, ms = 15_000): Promise<SpeakerChange> {
  // Everyone silent first, the speaker too (it may be speaking from the last change): the time is from silence to speech.
  for (const bot of meeting.bots) if (bot.rtc.isSpeaking) bot.rtc.speak(false);
  // The last speaker's hold (about a second on the server) must pass first, or it still leads.
  // The page's own tile may speak (Chromium's fake microphone beeps): only the bots count.
  const isBot = (identity: string) => meeting.bots.some((b) => b.identity === identity);
  const shownSpeaking = async (): Promise<string> => {
    const names = new Map(meeting.bots.map((b) => [b.identity, `${b.displayName}${b.rtc.isSpeaking ? ' (told to speak)' : ''}`]));
    return (await meeting.page.grid()).tiles
      .filter((t) => t.speaking && isBot(t.identity))
      .map((t) => names.get(t.identity) ?? t.identity)
      .join(', ');
  };
  await eventually(async () => (await shownSpeaking()) === '', 'no bot shown speaking', ms, shownSpeaking, 100);
  const started = Date.now();
  speaker.rtc.speak(true);
  await eventually(
    async () => (await meeting.page.speakingLog()).some((e) => e.identity === speaker.identity && e.speaking && e.at >= started),
    `${speaker.displayName} shown speaking`,
    ms,
    async () => JSON.stringify((await meeting.page.grid()).tiles.filter((t) => t.speaking)),
    50,
  );
  const shown = (await meeting.page.speakingLog()).find((e) => e.identity === speaker.identity && e.speaking && e.at >= started);
  const heard = (await meeting.page.speakerSignals()).find((e) => e.identities.includes(speaker.identity) && e.at >= started);
  const shownAt = shown?.at ?? Date.now();
  return { shownMs: shownAt - started, widgetMs: heard ? shownAt - heard.at : Number.NaN };
}

export { percentile };
