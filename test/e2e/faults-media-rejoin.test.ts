// Issue 18, items 1 and 2, the media server's half: someone reloads the page, opens the meeting in a
// second tab, or loses the network for a few seconds, and comes back under the same identity. The
// new session replaces the old one cleanly (after a blip the same session may resume instead,
// issue 15): video flows both ways again within 5 s, the other
// page never reconnects and sees one participant, and the webhooks tell the story in order, each
// event carrying the session's sid, so the old session's leave cannot pass for the new one's.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DisconnectReason } from '@livekit/protocol';
import type { Page } from 'puppeteer-core';
import { playsWithin, startMediaHarness, startWebhookLog, type MediaHarness, type WebhookLog } from './media-page/harness.js';

const BACK_WITHIN_MS = 5000;

describe('faults: a participant comes back under the same identity', { timeout: 300_000 }, () => {
  let harness: MediaHarness | undefined;
  let hooks: WebhookLog | undefined;

  before(async () => {
    hooks = await startWebhookLog();
    harness = await startMediaHarness({ webhookUrl: hooks.url, departureTimeoutS: 1 });
  });

  after(async () => {
    await harness?.close();
    await hooks?.close();
  });

  beforeEach(() => {
    hooks?.events.splice(0);
  });

  async function inCall(room: string): Promise<{ a: Page; b: Page }> {
    assert.ok(harness);
    const a = await harness.open();
    const b = await harness.open(await harness.browser.createBrowserContext());
    await harness.join(a, room, 'a');
    await harness.join(b, room, 'b');
    await playsWithin(a, 'b', 10_000, 'a viewing b', harness.media);
    await playsWithin(b, 'a', 10_000, 'b viewing a', harness.media);
    return { a, b };
  }

  /** Both directions play within the bar, the other page never reconnected and sees only `b`. */
  async function backTogether(a: Page, b: Page): Promise<number> {
    assert.ok(harness);
    const started = Date.now();
    await playsWithin(a, 'b', BACK_WITHIN_MS, 'a viewing b after the rejoin', harness.media);
    await playsWithin(b, 'a', BACK_WITHIN_MS - (Date.now() - started), 'b viewing a after the rejoin', harness.media);
    assert.equal(await a.evaluate(() => window.probe.reconnects()), 0, 'a reconnected');
    assert.deepEqual(await a.evaluate(() => window.probe.remotes()), ['b']);
    return Date.now() - started;
  }

  function sessionsOf(room: string, identity: string): string[] {
    assert.ok(harness);
    return harness.media
      .stats()
      .rooms.filter((r) => r.name === room)
      .flatMap((r) => r.participants)
      .filter((p) => p.identity === identity)
      .map((p) => p.sid);
  }

  /** The webhooks about `identity` in `room`, as `event:sid`, once `count` of them arrived. */
  async function hooksFor(room: string, identity: string, count: number): Promise<string[]> {
    assert.ok(harness && hooks);
    const log = hooks;
    const about = () => log.events.filter((e) => e.room?.name === room && e.participant?.identity === identity && e.event.startsWith('participant_'));
    const deadline = Date.now() + 10_000;
    while (about().length < count && Date.now() < deadline) {
      await harness.media.webhooks.flush();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return about().map((e) => `${e.event}:${e.participant?.sid ?? ''}`);
  }

  it('a reload: the new session replaces the old one, video both ways within 5 s', async () => {
    assert.ok(harness && hooks);
    const { a, b } = await inCall('reload');
    const [oldSid] = sessionsOf('reload', 'b');
    await b.reload({ waitUntil: 'load' });
    await b.waitForFunction(() => 'probe' in window, { timeout: 20_000 });
    const rejoined = Date.now();
    await harness.join(b, 'reload', 'b');
    const back = await backTogether(a, b);
    console.log(`reload: video both ways ${String(Date.now() - rejoined)} ms after the rejoin (${String(back)} ms after it connected)`);
    const [newSid] = sessionsOf('reload', 'b');
    assert.deepEqual(sessionsOf('reload', 'b'), [newSid]);
    assert.notEqual(newSid, oldSid);
    // The old page's socket may or may not have said goodbye before the new one came: either way
    // there is one leave, for the old sid, and it comes before the new join.
    assert.deepEqual(await hooksFor('reload', 'b', 3), [`participant_joined:${oldSid ?? ''}`, `participant_left:${oldSid ?? ''}`, `participant_joined:${newSid ?? ''}`]);
    await a.close();
    await b.close();
  });

  it('a second tab: the first tab is told it was replaced, the others see the second within 5 s', async () => {
    assert.ok(harness && hooks);
    const { a, b } = await inCall('second-tab');
    const [oldSid] = sessionsOf('second-tab', 'b');
    const second = await harness.open(await harness.browser.createBrowserContext());
    const opened = Date.now();
    await harness.join(second, 'second-tab', 'b');
    await b.waitForFunction(() => window.probe.disconnectReason() !== null, { timeout: 10_000 });
    assert.equal(await b.evaluate(() => window.probe.disconnectReason()), DisconnectReason.DUPLICATE_IDENTITY);
    await backTogether(a, second);
    console.log(`second tab: video both ways ${String(Date.now() - opened)} ms after it connected`);
    const [newSid] = sessionsOf('second-tab', 'b');
    assert.deepEqual(await hooksFor('second-tab', 'b', 3), [`participant_joined:${oldSid ?? ''}`, `participant_left:${oldSid ?? ''}`, `participant_joined:${newSid ?? ''}`]);
    const left = hooks.events.find((e) => e.event === 'participant_left' && e.participant?.sid === oldSid);
    assert.equal(left?.participant?.disconnectReason, DisconnectReason.DUPLICATE_IDENTITY);
    await a.close();
    await b.close();
    await second.close();
  });

  it('a network blip of 5 s: the page comes back (resumed, or rejoined when its connection dropped too), video both ways within 5 s of the network', async () => {
    assert.ok(harness && hooks);
    const { a, b } = await inCall('blip');
    const [oldSid] = sessionsOf('blip', 'b');
    const session = await b.createCDPSession();
    await session.send('Network.enable');
    await session.send('Network.emulateNetworkConditions', { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await new Promise((resolve) => setTimeout(resolve, 5000));
    await session.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    const online = Date.now();
    const back = await backTogether(a, b).catch(async (error: unknown) => {
      throw new Error(`${(error as Error).message}; b: reconnects ${String(await b.evaluate(() => window.probe.reconnects()))}, disconnected ${String(await b.evaluate(() => window.probe.disconnectReason()))}; sessions ${JSON.stringify(sessionsOf('blip', 'b'))} (was ${oldSid ?? ''})`);
    });
    console.log(`network blip: video both ways ${String(Date.now() - online)} ms after the network came back (${String(back)}); b reconnected ${String(await b.evaluate(() => window.probe.reconnects()))} times, session ${oldSid ?? ''} → ${sessionsOf('blip', 'b').join(',')}`);
    const [newSid] = sessionsOf('blip', 'b');
    assert.equal(sessionsOf('blip', 'b').length, 1);
    if (newSid === oldSid) {
      // Resumed (issue 15): the same session went on, so nobody was told of a leave.
      await harness.media.webhooks.flush();
      assert.deepEqual(await hooksFor('blip', 'b', 1), [`participant_joined:${oldSid ?? ''}`]);
      assert.deepEqual(await a.evaluate(() => window.probe.departures()), []);
    } else {
      // The connection went down with the signalling: a full rejoin, told in order.
      assert.deepEqual(await hooksFor('blip', 'b', 3), [`participant_joined:${oldSid ?? ''}`, `participant_left:${oldSid ?? ''}`, `participant_joined:${newSid ?? ''}`]);
    }
    await a.close();
    await b.close();
  });

  it('webhooks go out in order, one at a time, each with its own id and a creation time', async () => {
    assert.ok(harness && hooks);
    const { a, b } = await inCall('order');
    await b.evaluate(() => window.probe.leave());
    await a.evaluate(() => window.probe.leave());
    const deadline = Date.now() + 10_000;
    while (!hooks.events.some((e) => e.event === 'room_finished' && e.room?.name === 'order') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const events = hooks.events.filter((e) => e.room?.name === 'order');
    const story = events.map((e) => `${e.event}${e.participant ? `:${e.participant.identity}` : ''}`).filter((e) => !e.startsWith('track_'));
    assert.deepEqual(story, ['room_started', 'participant_joined:a', 'participant_joined:b', 'participant_left:b', 'participant_left:a', 'room_finished']);
    assert.equal(new Set(events.map((e) => e.id)).size, events.length);
    assert.ok(events.every((e) => e.id.startsWith('EV_') && e.createdAt > 0n));
    for (let i = 1; i < events.length; i++) assert.ok((events[i]?.createdAt ?? 0n) >= (events[i - 1]?.createdAt ?? 0n));
    assert.equal(hooks.rejected, 0);
    await a.close();
    await b.close();
  });
});
