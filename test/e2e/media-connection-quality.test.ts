// Issue 15: connection-quality updates. Every participant hears how good each connection is, as
// LiveKit tells it: EXCELLENT once connected, POOR for a participant whose unmuted camera stops
// sending, EXCELLENT again when it comes back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionQuality, RoomEvent } from '@livekit/rtc-node';
import { suiteMediaTarget } from '../support/bots/suite-target.js';
import { RtcBot } from '../support/bots/rtc-bot.js';
import { eventually } from '../support/bots/wait.js';

const MS = 20_000;

describe('media server: connection quality', { timeout: 120_000 }, () => {
  const mediaTarget = suiteMediaTarget();

  it("each participant hears its own and the others' quality, and a stalled camera makes it poor", async () => {
    const target = mediaTarget();
    const room = target.roomName('quality');
    const ada = await RtcBot.connect(target.url, await target.token(room, 'ada'));
    const bob = await RtcBot.connect(target.url, await target.token(room, 'bob'));
    try {
      const heard = new Map<string, ConnectionQuality>();
      bob.room.on(RoomEvent.ConnectionQualityChanged, (quality, participant) => heard.set(participant.identity, quality));
      await ada.publishVideo({ fps: 15 });
      await eventually(
        () => heard.get('ada') === ConnectionQuality.QUALITY_EXCELLENT && heard.get('bob') === ConnectionQuality.QUALITY_EXCELLENT,
        'bob to hear both connections excellent',
        MS,
        () => JSON.stringify([...heard]),
      );
      ada.freezeVideo(true);
      await eventually(() => heard.get('ada') === ConnectionQuality.QUALITY_POOR, "ada's connection poor once her camera stalls", MS, () => JSON.stringify([...heard]));
      assert.equal(heard.get('bob'), ConnectionQuality.QUALITY_EXCELLENT);
      ada.freezeVideo(false);
      await eventually(() => heard.get('ada') === ConnectionQuality.QUALITY_EXCELLENT, "ada's connection excellent again", MS, () => JSON.stringify([...heard]));
    } finally {
      await ada.leave();
      await bob.leave();
    }
  });
});
