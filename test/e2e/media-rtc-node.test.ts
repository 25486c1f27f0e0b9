// Issue 15: LiveKit's Rust SDK for Node (`@livekit/rtc-node`) against the media server, as the
// livekit-client suites do for the browser: join, see each other, tone audio and synthetic video both
// ways, data by topic and destination, attributes and metadata as the token grants, leave, and a
// forged token refused; then an rtc-node participant and a livekit-client page in one room. Every
// check is what a client or the server API observes, so the same file proves a real LiveKit
// (`npm run test:livekit`).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RemoteAudioTrack, RemoteVideoTrack, Room, RoomEvent, TrackKind, type RemoteTrack } from '@livekit/rtc-node';
import type { MediaTarget } from '../support/bots/media-target.js';
import { suiteMediaTarget } from '../support/bots/suite-target.js';
import { receiveAudio, receiveVideo, type AudioReceipt, type VideoReceipt } from '../support/bots/receivers.js';
import { RtcBot } from '../support/bots/rtc-bot.js';
import { eventually } from '../support/bots/wait.js';
import { playsWithin, startBrowserFor } from './media-page/harness.js';

/** Generous: the machine is shared, and each rtc-node participant encodes and decodes in this process. */
const MEDIA_MS = 20_000;

describe('media server: LiveKit Rust SDK (rtc-node) conformance', { timeout: 240_000 }, () => {
  const bots: RtcBot[] = [];
  // Registered first, so the bots leave before the target and rtc-node's runtime close.
  after(async () => {
    await Promise.allSettled(bots.splice(0).map((b) => b.leave()));
  });
  const mediaTarget = suiteMediaTarget();

  async function join(room: string, identity: string, options: { autoSubscribe?: boolean; grant?: Parameters<MediaTarget['token']>[2] } = {}): Promise<RtcBot> {
    const target = mediaTarget();
    const bot = await RtcBot.connect(target.url, await target.token(room, identity, options.grant), { autoSubscribe: options.autoSubscribe ?? true });
    bots.push(bot);
    return bot;
  }

  async function leave(bot: RtcBot): Promise<void> {
    bots.splice(bots.indexOf(bot), 1);
    await bot.leave();
  }

  /** What `viewer` receives of `publisher`'s tracks, from the moment each is subscribed. */
  function watch(viewer: RtcBot, publisher: string): { audio?: AudioReceipt; video?: VideoReceipt; stop(): void } {
    const seen: { audio?: AudioReceipt; video?: VideoReceipt } = {};
    const take = (track: RemoteTrack, identity: string): void => {
      if (identity !== publisher) return;
      if (track.kind === TrackKind.KIND_AUDIO) seen.audio ??= receiveAudio(track);
      if (track.kind === TrackKind.KIND_VIDEO) seen.video ??= receiveVideo(track);
    };
    for (const participant of viewer.room.remoteParticipants.values()) {
      for (const { track } of participant.trackPublications.values()) {
        if (track instanceof RemoteAudioTrack || track instanceof RemoteVideoTrack) take(track, participant.identity);
      }
    }
    viewer.room.on(RoomEvent.TrackSubscribed, (track, _publication, participant) => {
      take(track, participant.identity);
    });
    return Object.assign(seen, {
      stop: () => {
        seen.audio?.stop();
        seen.video?.stop();
      },
    });
  }

  it('two participants connect and see each other, named by their tokens', async () => {
    const target = mediaTarget();
    const room = target.roomName('rtc-see');
    const ada = await join(room, 'ada', { grant: { name: 'Ada Lovelace' } });
    const bob = await join(room, 'bob', { grant: { name: 'Bob' } });
    assert.match(ada.sid, /^PA_/);
    assert.equal(ada.room.name, room);
    await eventually(() => ada.room.remoteParticipants.has('bob'), 'ada to see bob');
    assert.equal(bob.room.remoteParticipants.get('ada')?.name, 'Ada Lovelace');
    assert.equal(ada.room.remoteParticipants.get('bob')?.name, 'Bob');
    assert.equal(bob.room.remoteParticipants.get('ada')?.sid, ada.sid);
    await leave(ada);
    await leave(bob);
  });

  it('tone audio and 320×180 video go both ways', async () => {
    const target = mediaTarget();
    const room = target.roomName('rtc-media');
    const ada = await join(room, 'ada');
    const bob = await join(room, 'bob');
    const adaSees = watch(ada, 'bob');
    const bobSees = watch(bob, 'ada');
    for (const bot of [ada, bob]) {
      await bot.publishAudio({ speaking: true });
      await bot.publishVideo({ width: 320, height: 180, fps: 15 });
    }
    const describe = (): string => JSON.stringify({ adaSees: counts(adaSees), bobSees: counts(bobSees) });
    await eventually(
      () => (adaSees.audio?.loudFrames ?? 0) >= 50 && (bobSees.audio?.loudFrames ?? 0) >= 50 && (adaSees.video?.frames ?? 0) >= 20 && (bobSees.video?.frames ?? 0) >= 20,
      'a second of tone and 20 video frames each way',
      MEDIA_MS,
      describe,
    );
    // The tone is the other's, not noise: its pitch within 10 %.
    assert.ok(Math.abs((adaSees.audio?.pitchHz() ?? 0) - bob.toneHz) < bob.toneHz * 0.1, `ada heard ${String(adaSees.audio?.pitchHz())} Hz of bob's ${String(bob.toneHz)}`);
    assert.ok(Math.abs((bobSees.audio?.pitchHz() ?? 0) - ada.toneHz) < ada.toneHz * 0.1, `bob heard ${String(bobSees.audio?.pitchHz())} Hz of ada's ${String(ada.toneHz)}`);
    assert.deepEqual([adaSees.video?.width, adaSees.video?.height], [320, 180]);
    assert.deepEqual([bobSees.video?.width, bobSees.video?.height], [320, 180]);

    // Muted, the microphone stops being heard and the other side is told.
    const muted = new Promise<void>((resolve) => {
      bob.room.on(RoomEvent.TrackMuted, (publication, participant) => {
        if (participant.identity === 'ada' && publication.kind === TrackKind.KIND_AUDIO) resolve();
      });
    });
    ada.setMuted('audio', true);
    await muted;
    assert.equal([...(bob.room.remoteParticipants.get('ada')?.trackPublications.values() ?? [])].find((p) => p.kind === TrackKind.KIND_AUDIO)?.muted, true);
    const unmuted = new Promise<void>((resolve) => {
      bob.room.on(RoomEvent.TrackUnmuted, (publication, participant) => {
        if (participant.identity === 'ada' && publication.kind === TrackKind.KIND_AUDIO) resolve();
      });
    });
    ada.setMuted('audio', false);
    await unmuted;
    const loudBefore = bobSees.audio?.loudFrames ?? 0;
    await eventually(() => (bobSees.audio?.loudFrames ?? 0) >= loudBefore + 20, 'the tone again after unmuting', MEDIA_MS, describe);
    adaSees.stop();
    bobSees.stop();
    await leave(ada);
    await leave(bob);
  });

  it('data goes by topic and destination, with the sender set by the server', async () => {
    const target = mediaTarget();
    const room = target.roomName('rtc-data');
    const ada = await join(room, 'ada');
    const bob = await join(room, 'bob');
    const cy = await join(room, 'cy');
    await eventually(() => ada.room.remoteParticipants.size === 2, 'ada to see both others');
    const inbox = (bot: RtcBot): string[] => {
      const got: string[] = [];
      bot.room.on(RoomEvent.DataReceived, (payload, participant, _kind, topic) => {
        got.push(`${participant?.identity ?? '?'}>${topic ?? ''}:${new TextDecoder().decode(payload)}`);
      });
      return got;
    };
    const bobGot = inbox(bob);
    const cyGot = inbox(cy);
    await ada.send('hello all', 'chat');
    await ada.send('for bob only', 'direct', ['bob']);
    await eventually(() => bobGot.length >= 2 && cyGot.length >= 1, 'the messages', MEDIA_MS, () => JSON.stringify({ bobGot, cyGot }));
    assert.deepEqual([...bobGot].sort(), ['ada>chat:hello all', 'ada>direct:for bob only']);
    // Cy hears the message for everyone; what was for bob alone never reaches it. A later message
    // from the same sender fences the check.
    await ada.send('fence', 'chat');
    await eventually(() => cyGot.includes('ada>chat:fence'), 'the fence message', MEDIA_MS);
    assert.deepEqual(cyGot, ['ada>chat:hello all', 'ada>chat:fence']);
    await leave(ada);
    await leave(bob);
    await leave(cy);
  });

  it('attributes and metadata change when the token grants it, and not otherwise', async () => {
    const target = mediaTarget();
    const room = target.roomName('rtc-attrs');
    const allowed = await join(room, 'allowed', { grant: { canUpdateOwnMetadata: true, attributes: { role: 'guest' } } });
    const denied = await join(room, 'denied');
    const watcher = await join(room, 'watcher');
    await eventually(() => watcher.room.remoteParticipants.size === 2, 'the watcher to see both');
    assert.deepEqual(watcher.room.remoteParticipants.get('allowed')?.attributes, { role: 'guest' });

    await allowed.room.localParticipant?.setAttributes({ mood: 'curious' });
    await allowed.room.localParticipant?.updateMetadata('{"seat":3}');
    await eventually(
      () => watcher.room.remoteParticipants.get('allowed')?.attributes.mood === 'curious' && watcher.room.remoteParticipants.get('allowed')?.metadata === '{"seat":3}',
      'the granted changes at the watcher',
      MEDIA_MS,
      () => JSON.stringify(watcher.room.remoteParticipants.get('allowed')?.attributes),
    );
    assert.equal(watcher.room.remoteParticipants.get('allowed')?.attributes.role, 'guest');

    // Without the grant the server refuses. The SDK call returns either way, so a later change by
    // the server API fences the check: once it shows, the refused one would have too.
    await denied.room.localParticipant?.setAttributes({ hand: 'up' });
    await denied.room.localParticipant?.updateMetadata('self-set');
    await target.rooms.updateParticipant(room, 'denied', { metadata: 'set by the server' });
    await eventually(() => watcher.room.remoteParticipants.get('denied')?.metadata === 'set by the server', 'the server-set metadata', MEDIA_MS);
    assert.deepEqual(watcher.room.remoteParticipants.get('denied')?.attributes, {});
    const listed = await target.rooms.getParticipant(room, 'denied');
    assert.deepEqual(listed.attributes, {});
    assert.equal(listed.metadata, 'set by the server');
    await leave(allowed);
    await leave(denied);
    await leave(watcher);
  });

  it('leaves: the other is told, and the server lists only who stayed', async () => {
    const target = mediaTarget();
    const room = target.roomName('rtc-leave');
    const ada = await join(room, 'ada');
    const bob = await join(room, 'bob');
    await eventually(() => ada.room.remoteParticipants.has('bob'), 'ada to see bob');
    const gone = new Promise<string>((resolve) => {
      ada.room.on(RoomEvent.ParticipantDisconnected, (participant) => {
        resolve(participant.identity);
      });
    });
    await leave(bob);
    assert.equal(await gone, 'bob');
    assert.equal(ada.room.remoteParticipants.size, 0);
    await eventually(async () => (await target.rooms.listParticipants(room)).map((p) => p.identity).join() === 'ada', 'the server to list only ada', MEDIA_MS);
    await leave(ada);
  });

  it('a forged token is refused, and nobody sees its holder', async () => {
    const target = mediaTarget();
    const room = target.roomName('rtc-forged');
    const ada = await join(room, 'ada');
    const forged = await target.token(room, 'intruder', {}, 'not-the-server-secret-but-long-enough');
    const intruder = new Room();
    await assert.rejects(intruder.connect(target.url, forged, { autoSubscribe: true, dynacast: false }));
    assert.equal(ada.room.remoteParticipants.size, 0);
    assert.deepEqual((await target.rooms.listParticipants(room)).map((p) => p.identity), ['ada']);
    await leave(ada);
  });

  it('an rtc-node participant and a livekit-client page see each other', async () => {
    const target = mediaTarget();
    const room = target.roomName('rtc-browser');
    const browser = await startBrowserFor(target.url);
    try {
      const page = await browser.open();
      const pageToken = await target.token(room, 'page');
      await page.evaluate((u: string, t: string) => window.probe.join(u, t), target.url, pageToken);
      const bot = await join(room, 'bot');
      const botSees = watch(bot, 'page');
      await bot.publishAudio({ speaking: true });
      await bot.publishVideo();
      await playsWithin(page, 'bot', MEDIA_MS, 'the page viewing the rtc-node camera', target.embedded);
      await eventually(() => (botSees.video?.frames ?? 0) >= 10 && (botSees.audio?.frames ?? 0) >= 20, 'the page camera and microphone at the bot', MEDIA_MS, () => JSON.stringify(counts(botSees)));
      assert.ok((botSees.video?.width ?? 0) > 0);
      assert.equal(await page.evaluate(() => window.probe.reconnects()), 0);
      botSees.stop();
      await leave(bot);
      await page.waitForFunction(() => !window.probe.remotes().includes('bot'), { timeout: MEDIA_MS });
      await page.evaluate(() => window.probe.leave());
    } finally {
      await browser.close();
    }
  });
});

function counts(seen: { audio?: AudioReceipt; video?: VideoReceipt }): Record<string, number> {
  return { audio: seen.audio?.frames ?? -1, loud: seen.audio?.loudFrames ?? -1, video: seen.video?.frames ?? -1 };
}
