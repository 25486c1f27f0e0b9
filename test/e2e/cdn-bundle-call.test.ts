// The CDN bundle in a real call. The bundle carries its own build of livekit-client (compiled from the
// package's TypeScript sources, without webrtc-adapter: scripts/livekit-from-sources.ts), which no
// other suite runs: the component tests and the media suites use livekit-client as published. Here a
// page loads `dist/cdn/meeting-widget.js`, joins through the token server with its fake camera and
// microphone, and a LiveKit Rust-SDK bot in the same meeting checks both directions: the page shows
// the bot's video and speaking, the bot decodes the page's camera, chat reaches the page, and muting
// on either side is seen on the other.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RoomEvent, TrackKind, dispose } from '@livekit/rtc-node';
import puppeteer, { type Browser } from 'puppeteer-core';
import { assertChromiumInstalled, chromiumFlags, chromiumPath } from '../support/chromium.mjs';
import { startBotStack, type BotStack } from '../support/bots/bot-stack.js';
import { MeetingBot, signIn, startMeeting } from '../support/bots/meeting-bots.js';
import { receiveVideo, type VideoReceipt } from '../support/bots/receivers.js';
import { eventually } from '../support/bots/wait.js';
import { closeWidgetSite, openWidgetPage, type WidgetPage } from '../support/bots/widget-page.js';

const MS = 30_000;

describe('CDN bundle in a real call', { timeout: 240_000 }, () => {
  let stack: BotStack | undefined;
  let browser: Browser | undefined;
  let widget: WidgetPage | undefined;

  before(async () => {
    assertChromiumInstalled();
    stack = await startBotStack();
    browser = await puppeteer.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags() });
  });

  after(async () => {
    await widget?.close();
    await browser?.close();
    await closeWidgetSite();
    await dispose();
    await stack?.close();
  });

  it('publishes and receives audio, video and chat with a Rust-SDK participant', async () => {
    assert.ok(stack && browser);
    const { apiUrl } = stack;
    const hostToken = await signIn(apiUrl, 'Page host');
    const meeting = await startMeeting(apiUrl, hostToken);
    widget = await openWidgetPage(browser, { apiUrl, meetingId: meeting.id, userToken: hostToken, displayName: 'Page host', media: true });
    // What the page's livekit-client logged, told when a wait times out.
    const consoleLines: string[] = [];
    widget.page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warn') consoleLines.push(`${message.type()}: ${message.text()}`);
    });
    widget.page.on('pageerror', (error) => consoleLines.push(`page error: ${String(error)}`));
    const pageLog = () => consoleLines.slice(-20).join('\n');

    const bot = await MeetingBot.join(apiUrl, meeting.id, 'Bot guest', { autoSubscribe: true });
    const pageVideo: { receipt?: VideoReceipt } = {};
    bot.rtc.room.on(RoomEvent.TrackSubscribed, (track) => {
      if (track.kind === TrackKind.KIND_VIDEO) pageVideo.receipt ??= receiveVideo(track);
    });
    await bot.rtc.publishAudio({ speaking: false });
    await bot.rtc.publishVideo();

    // The page sees the bot, with its picture decoding.
    const botTile = async () => (await widget?.grid())?.tiles.find((tile) => tile.identity === bot.identity);
    await eventually(async () => (await botTile())?.video === true, "the bot's video in its tile on the page", MS, async () => `${JSON.stringify(await widget?.grid())}\n${pageLog()}`);
    const before = await widget.inboundVideo();
    await eventually(
      async () => (await widget?.inboundVideo())?.some((now) => now.framesDecoded >= (before.find((b) => b.ssrc === now.ssrc)?.framesDecoded ?? 0) + 15) === true,
      'fifteen more decoded frames of the bot on the page',
      MS,
    );

    // The bot decodes the page's camera: the bundle's publishing path works.
    await eventually(() => (pageVideo.receipt?.frames ?? 0) >= 15, "fifteen frames of the page's camera at the bot", MS, () => `frames ${String(pageVideo.receipt?.frames)}\n${pageLog()}`);
    assert.ok((pageVideo.receipt?.width ?? 0) > 0 && (pageVideo.receipt?.height ?? 0) > 0, 'the page sends a picture with a size');
    const pageParticipant = [...bot.rtc.room.remoteParticipants.values()][0];
    assert.ok(pageParticipant, 'the bot sees the page');
    assert.equal(pageParticipant.name, 'Page host');
    const pageAudio = [...pageParticipant.trackPublications.values()].find((publication) => publication.kind === TrackKind.KIND_AUDIO);
    assert.ok(pageAudio, "the page's microphone is published");

    // Speaking, detected by the media server from the bot's tone, shows on its tile.
    bot.rtc.speak(true);
    await eventually(async () => (await botTile())?.speaking === true, 'the bot speaking on the page', MS);
    bot.rtc.speak(false);
    await eventually(async () => (await botTile())?.speaking === false, 'the bot quiet again on the page', MS);

    // Chat through the token server reaches the page as news.
    await bot.chat('hello from the bot');
    await eventually(
      async () => (await widget?.events())?.some((event) => event.type === 'meeting-chat-message' && JSON.stringify(event.detail).includes('hello from the bot')) === true,
      'the chat message as a meeting-chat-message event on the page',
      MS,
    );

    // The bot turns its camera off: the page's tile loses the picture.
    bot.rtc.setMuted('video', true);
    await eventually(async () => (await botTile())?.video === false, "the bot's muted camera on the page", MS);

    // The page mutes its microphone from the control bar: the bot is told.
    const muted = new Promise<void>((resolve) => {
      bot.rtc.room.on(RoomEvent.TrackMuted, (publication) => {
        if (publication.kind === TrackKind.KIND_AUDIO) resolve();
      });
    });
    const microphone = await widget.page.waitForSelector('meeting-room >>> meeting-controls >>> button[part~="microphone"]');
    assert.ok(microphone, 'a microphone button in the control bar');
    await microphone.click();
    await muted;

    pageVideo.receipt?.stop();
    await bot.leave();
    await eventually(async () => (await botTile()) === undefined, 'the bot gone from the page', MS);
  });
});
