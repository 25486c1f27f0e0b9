// Issue 15: the widget in a real large meeting. Thirty rtc-node bots (four with a camera: two on the
// first page, two on the second; a third with a microphone) and one page with the built `<meeting-room>`, all joined through
// the token server. The grid pages at 25 tiles; the page receives video only for the tiles on
// screen; a bot on the second page that starts speaking comes onto the first, with its video; a
// bot's chat message and raised hand reach the page; bots leaving shrink the grid to one page.
// Part of `npm test` (the end-to-end phase), and alone with `npm run test:large`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dispose } from '@livekit/rtc-node';
import { startBotStack, type BotStack } from '../support/bots/bot-stack.js';
import { DESKTOP_PAGE_SIZE, speakerChange, startLargeMeeting, type LargeMeeting } from '../support/bots/large-meeting.js';
import { forwardedVideoSlots } from '../support/bots/debug-view.js';
import { eventually } from '../support/bots/wait.js';
import { activeVideo, closeWidgetSite } from '../support/bots/widget-page.js';

const BOTS = 30;
/** Two cameras among the first page's tiles (the page itself is the first), two on the second page. */
const CAMERAS = [0, 1, 27, 28];
/** Microphones for a third of the bots (they cost their bot CPU even silent), the speaker below among them. */
const MICS = Array.from({ length: BOTS }, (_, i) => i).filter((i) => i % 3 === 0 || i === 28);
const MS = 30_000;

describe('the widget in a meeting of 30 bots', { timeout: 300_000 }, () => {
  let stack: BotStack | undefined;
  let meeting: LargeMeeting | undefined;

  before(async () => {
    // The media server in its own process: thirty bots here and the server would share one event loop.
    stack = await startBotStack({ mediaProcess: true });
    meeting = await startLargeMeeting({ apiUrl: stack.apiUrl, bots: BOTS, cameraIndexes: CAMERAS, micIndexes: MICS, parallelJoins: 2 }).catch((error: unknown) => {
      // What the media server saw, for a join that failed.
      console.log(stack?.process?.output().split('\n').slice(-30).join('\n'));
      throw error;
    });
  });

  after(async () => {
    await meeting?.close();
    await closeWidgetSite();
    await dispose();
    await stack?.close();
  });

  it('pages, subscribes for the tiles on screen, brings a speaker onto the first page, shows chat and hands, shrinks', async () => {
    assert.ok(stack && meeting);
    const m = meeting;
    const started = Date.now();
    const step = (what: string) => console.log(`# ${String(Date.now() - started)} ms: ${what}`);
    const { page, bots } = m;
    const grid = () => page.grid();
    const describeGrid = async (): Promise<string> => {
      const g = await grid();
      return JSON.stringify({ pager: g.pager, tiles: g.tiles.length, video: g.tiles.filter((t) => t.video).map((t) => t.identity), speaking: g.tiles.filter((t) => t.speaking).map((t) => t.identity) });
    };

    // 31 people, 25 a page.
    await eventually(async () => (await grid()).tiles.length === DESKTOP_PAGE_SIZE && (await grid()).pager === '1 / 2', 'a full first page of two', MS, describeGrid);
    const onScreen = (await grid()).tiles.map((t) => t.identity);
    const [first = '', second = '', third = '', fourth = ''] = CAMERAS.map((i) => bots[i]?.identity ?? '');
    assert.ok(onScreen.includes(first) && onScreen.includes(second), 'the first two cameras are on the first page');
    assert.ok(!onScreen.includes(third) && !onScreen.includes(fourth), 'the last two cameras are on the second page');

    step('a full first page');
    // Video for the two cameras on screen, none for the two off it.
    // The page's own tile shows its own camera, which it does not receive: only the bots' tiles count.
    const isBot = (identity: string) => bots.some((b) => b.identity === identity);
    await eventually(async () => (await grid()).tiles.filter((t) => t.video && isBot(t.identity)).length === 2, 'the two cameras on screen playing', MS, describeGrid);
    const videoStreams = async (): Promise<number> => {
      const before = await page.inboundVideo();
      await new Promise((resolve) => setTimeout(resolve, 2000));
      return activeVideo(before, await page.inboundVideo(), 2).length;
    };
    assert.equal(await videoStreams(), 2, 'video streams received by the page');
    const pageIdentity = onScreen.find((id) => !bots.some((b) => b.identity === id)) ?? '';
    if (stack.process) {
      const forwarded = await forwardedVideoSlots(stack.target.url, stack.target.apiKey, stack.target.apiSecret, pageIdentity);
      assert.equal(forwarded, 2, 'video streams the server forwards to the page');
    }

    step('video only for the tiles on screen');
    // A camera on the second page speaks: its tile comes onto the first page, speaking, with video.
    const speaker = bots[28];
    assert.ok(speaker);
    const { shownMs, widgetMs } = await speakerChange(m, speaker, MS);
    await eventually(async () => (await grid()).tiles.some((t) => t.identity === speaker.identity && t.video), "the speaker's video on the first page", MS, describeGrid);
    assert.equal((await grid()).tiles.length, DESKTOP_PAGE_SIZE, 'the page stays full: someone else moved to the second page');
    assert.ok((await videoStreams()) <= (await grid()).tiles.length, 'more video streams than tiles on screen');
    console.log(`speaker from the second page shown speaking after ${String(shownMs)} ms (${String(widgetMs)} ms of it from the server's update reaching the page)`);
    speaker.rtc.speak(false);

    step('the speaker on the first page');
    // A chat message and a raised hand from bots, as the page's user sees them.
    const talker = bots[5];
    const hand = bots[6];
    assert.ok(talker && hand);
    await talker.chat('hello from bot 6');
    await hand.raiseHand(true);
    await eventually(
      async () => (await page.events()).some((e) => e.type === 'meeting-chat-message' && e.detail.text === 'hello from bot 6' && e.detail.identity === talker.identity),
      'the chat message at the page',
      MS,
      async () => JSON.stringify(await page.events()),
    );
    await eventually(async () => (await page.events()).some((e) => e.type === 'meeting-hand-raised' && e.detail.identity === hand.identity && e.detail.raised === true), 'the raised hand event', MS);
    await eventually(async () => (await grid()).tiles.some((t) => t.identity === hand.identity && t.hand), 'the hand on its tile', MS, describeGrid);

    step('chat and hand seen');
    // Ten bots leave: 21 people fit on one page.
    const leaving = bots.slice(BOTS - 10);
    await Promise.all(leaving.map((b) => b.leave()));
    step('ten bots left');
    m.bots.splice(BOTS - 10);
    await eventually(async () => (await grid()).pager === null && (await grid()).tiles.length === BOTS - 10 + 1, 'one page of 21 tiles', MS, describeGrid);
  });
});
