// Issue 15: per-viewer simulcast layers. A publisher sends three layers (1280×720, 640×360,
// 320×180); each viewer gets the smallest layer that covers the size it shows the video at (its
// UpdateTrackSettings), switched at a keyframe, while another viewer that asked for nothing keeps
// the best one. A small tile costs a small stream.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RoomEvent, TrackKind } from '@livekit/rtc-node';
import { suiteMediaTarget } from '../support/bots/suite-target.js';
import { receiveVideo, type VideoReceipt } from '../support/bots/receivers.js';
import { RtcBot } from '../support/bots/rtc-bot.js';
import { eventually } from '../support/bots/wait.js';
import { playsWithin, startBrowserFor } from './media-page/harness.js';

const MS = 30_000;

describe('media server: simulcast layer per viewer', { timeout: 180_000 }, () => {
  const mediaTarget = suiteMediaTarget();

  it('a small tile gets the low layer, a larger one the middle layer, a viewer that asks nothing the best', async () => {
    const t = mediaTarget();
    const room = t.roomName('layers');
    const browser = await startBrowserFor(t.url);
    const publisher = await RtcBot.connect(t.url, await t.token(room, 'camera'));
    const other = await RtcBot.connect(t.url, await t.token(room, 'other'), { autoSubscribe: true });
    try {
      let otherSees: VideoReceipt | undefined;
      other.room.on(RoomEvent.TrackSubscribed, (track, _p, participant) => {
        if (participant.identity === 'camera' && track.kind === TrackKind.KIND_VIDEO) otherSees ??= receiveVideo(track);
      });
      await publisher.publishVideo({ width: 1280, height: 720, fps: 10, simulcast: true });
      const page = await browser.open();
      await page.evaluate((u: string, k: string) => window.probe.join(u, k), t.url, await t.token(room, 'viewer'));
      await playsWithin(page, 'camera', MS, 'the page viewing the camera', t.embedded);
      const size = (): Promise<{ width: number; height: number }> => page.evaluate(() => window.probe.frameSize('camera'));
      const frameSizeIs = async (width: number, what: string): Promise<void> => {
        await eventually(async () => (await size()).width === width, what, MS, async () => JSON.stringify(await size()));
      };
      await frameSizeIs(1280, 'the best layer before any size is given');

      await page.evaluate(() => {
        window.probe.setVideoSize('camera', 160, 90);
      });
      await frameSizeIs(320, 'the low layer for a 160×90 tile');

      await page.evaluate(() => {
        window.probe.setVideoSize('camera', 600, 338);
      });
      await frameSizeIs(640, 'the middle layer for a 600×338 tile');

      // The viewer that asked for nothing kept the best layer throughout.
      await eventually(() => (otherSees?.frames ?? 0) >= 10, 'the other viewer receiving frames', MS);
      assert.deepEqual([otherSees?.width, otherSees?.height], [1280, 720]);
      otherSees?.stop();
      await page.evaluate(() => window.probe.leave());
    } finally {
      await publisher.leave();
      await other.leave();
      await browser.close();
    }
  });
});
