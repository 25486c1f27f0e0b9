// Issue 15: UpdateSubscriptionPermission. A publisher says who may receive its tracks, and the
// server holds to it against subscribers that ask anyway: a participant left out is never sent the
// media, even when its client subscribes to the track explicitly; it is told the track is not
// allowed, gets it once allowed, and loses it again when the permission is taken back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RoomEvent, TrackKind, type RemoteTrackPublication } from '@livekit/rtc-node';
import { suiteMediaTarget } from '../support/bots/suite-target.js';
import { receiveVideo, type VideoReceipt } from '../support/bots/receivers.js';
import { RtcBot } from '../support/bots/rtc-bot.js';
import { eventually } from '../support/bots/wait.js';
import { startBrowserFor } from './media-page/harness.js';

const MS = 20_000;

describe('media server: subscription permissions against subscribers that ask anyway', { timeout: 180_000 }, () => {
  const mediaTarget = suiteMediaTarget();

  it("only the allowed get a publisher's camera; an explicit subscription from anyone else gets nothing", async () => {
    const t = mediaTarget();
    const room = t.roomName('permission');
    const browser = await startBrowserFor(t.url);
    const viewers: RtcBot[] = [];
    try {
      const page = await browser.open();
      await page.evaluate((u: string, k: string) => window.probe.join(u, k), t.url, await t.token(room, 'publisher'));
      await page.evaluate(() => {
        window.probe.allowSubscribers(['bob']);
      });
      const watch = async (identity: string): Promise<{ bot: RtcBot; video: () => VideoReceipt | undefined }> => {
        const bot = await RtcBot.connect(t.url, await t.token(room, identity), { autoSubscribe: true });
        viewers.push(bot);
        let video: VideoReceipt | undefined;
        bot.room.on(RoomEvent.TrackSubscribed, (track, _p, participant) => {
          if (participant.identity === 'publisher' && track.kind === TrackKind.KIND_VIDEO) video = receiveVideo(track);
        });
        return { bot, video: () => video };
      };
      const cy = await watch('cy');
      const bob = await watch('bob');
      const camera = (bot: RtcBot): RemoteTrackPublication | undefined =>
        [...(bot.room.remoteParticipants.get('publisher')?.trackPublications.values() ?? [])].find((p) => p.kind === TrackKind.KIND_VIDEO);
      await eventually(() => camera(cy.bot) !== undefined, "cy to learn of the publisher's camera", MS);
      // Cy's client insists: an explicit subscription, as a modified client would send.
      camera(cy.bot)?.setSubscribed(true);
      await eventually(() => (bob.video()?.frames ?? 0) >= 30, 'bob (allowed) receiving 30 frames', MS, () => String(bob.video()?.frames));
      assert.equal(cy.video(), undefined, 'cy was sent the camera it is not allowed');

      // Allowed for everyone, cy gets it without asking again.
      await page.evaluate(() => {
        window.probe.allowSubscribers(null);
      });
      await eventually(() => (cy.video()?.frames ?? 0) >= 10, 'cy receiving frames once allowed', MS, () => String(cy.video()?.frames));

      // Taken back from bob: his frames stop (the Rust SDK raises no event for a subscription the
      // server ends), while cy's go on.
      await page.evaluate(() => {
        window.probe.allowSubscribers(['cy']);
      });
      let seen = bob.video()?.frames ?? 0;
      let since = Date.now();
      await eventually(
        () => {
          const now = bob.video()?.frames ?? 0;
          if (now !== seen) {
            seen = now;
            since = Date.now();
          }
          return Date.now() - since > 2000;
        },
        "bob's frames to stop for 2 s",
        MS,
        () => String(bob.video()?.frames),
      );
      const cyFrames = cy.video()?.frames ?? 0;
      await eventually(() => (cy.video()?.frames ?? 0) >= cyFrames + 20, 'cy receiving 20 more frames', MS);
      assert.equal(bob.video()?.frames ?? 0, seen, 'bob received frames again');
      await page.evaluate(() => window.probe.leave());
    } finally {
      await Promise.allSettled(viewers.map((v) => v.leave()));
      await browser.close();
    }
  });
});
