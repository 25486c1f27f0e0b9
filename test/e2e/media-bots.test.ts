// Issue 15: the bots the large-meeting suites are made of, checked as one participant sees them.
// Each bot signs in, joins through the token server, publishes a tone microphone (speaking or silent)
// and a small camera, mutes, raises its hand and chats through the token server's API, and leaves.
// And a silent, unmuted microphone costs next to nothing, as on LiveKit: the server's answer asks
// the publisher's Opus encoder for DTX (`usedtx=1`) unless the track was published without it;
// without that, every open microphone sent 50 packets a second whatever it heard.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RoomEvent, TrackKind, dispose } from '@livekit/rtc-node';
import { startBotStack, type BotStack } from '../support/bots/bot-stack.js';
import { callApi, joinBots, MeetingBot, signIn, startMeeting } from '../support/bots/meeting-bots.js';
import { receiveVideo, type VideoReceipt } from '../support/bots/receivers.js';
import { eventually } from '../support/bots/wait.js';

const MS = 20_000;
const DTX_WINDOW_MS = 3000;

describe('media bots: people in a meeting, as another participant sees them', { timeout: 180_000 }, () => {
  let stack: BotStack | undefined;

  before(async () => {
    stack = await startBotStack();
  });

  after(async () => {
    await dispose();
    await stack?.close();
  });

  it('join through the token server, speak, show video, mute, raise a hand, chat and leave', async () => {
    assert.ok(stack);
    const { apiUrl } = stack;
    const hostToken = await signIn(apiUrl, 'Host');
    const meeting = await startMeeting(apiUrl, hostToken);
    // The host, listening to everything, is the one who watches.
    const host = await MeetingBot.join(apiUrl, meeting.id, 'Host', { autoSubscribe: true });
    assert.equal(host.admission.role, 'host');
    const room = host.rtc.room;
    const speakers: string[][] = [];
    room.on(RoomEvent.ActiveSpeakersChanged, (active) => speakers.push(active.map((p) => p.identity)));
    const chat: string[] = [];
    room.on(RoomEvent.DataReceived, (payload, _participant, _kind, topic) => {
      if (topic === 'chat') chat.push(new TextDecoder().decode(payload));
    });
    // Heard before the bots join: the camera can be subscribed before joinBots returns.
    const videos = new Map<string, VideoReceipt>();
    room.on(RoomEvent.TrackSubscribed, (track, _publication, participant) => {
      if (track.kind === TrackKind.KIND_VIDEO && !videos.has(participant.identity)) videos.set(participant.identity, receiveVideo(track));
    });

    const bots = await joinBots(apiUrl, meeting.id, 3, {
      setup: async (bot, index) => {
        await bot.rtc.publishAudio({ speaking: false });
        if (index === 0) await bot.rtc.publishVideo();
      },
    });
    const [camera, speaker, talker] = bots;
    assert.ok(camera && speaker && talker);
    await eventually(() => room.remoteParticipants.size === 3, 'the host to see three bots', MS);
    assert.deepEqual([...room.remoteParticipants.values()].map((p) => p.name).sort(), ['Bot 001', 'Bot 002', 'Bot 003']);

    const video = () => videos.get(camera.identity);
    await eventually(() => (video()?.frames ?? 0) >= 10, "ten frames of the first bot's camera", MS, () => `video ${String(video()?.frames)}`);
    assert.deepEqual([video()?.width, video()?.height], [320, 180]);

    // Speaking is detected from the tone, and stops with it.
    speaker.rtc.speak(true);
    await eventually(() => speakers.at(-1)?.includes(speaker.identity) === true, 'the speaking bot among the active speakers', MS, () => JSON.stringify(speakers));
    assert.ok(!speakers.some((list) => list.includes(talker.identity)), 'a silent bot counted as speaking');
    speaker.rtc.speak(false);
    await eventually(() => speakers.at(-1)?.includes(speaker.identity) === false, 'the bot to stop being an active speaker', MS, () => JSON.stringify(speakers));

    // Muting the camera is told to the room.
    const muted = new Promise<void>((resolve) => {
      room.on(RoomEvent.TrackMuted, (publication, participant) => {
        if (participant.identity === camera.identity && publication.kind === TrackKind.KIND_VIDEO) resolve();
      });
    });
    camera.rtc.setMuted('video', true);
    await muted;

    // The hand goes up and down through the token server; the room sees the server-set attribute.
    await talker.raiseHand(true);
    await eventually(() => (room.remoteParticipants.get(talker.identity)?.attributes.hand ?? '') !== '', 'the raised hand at the host', MS);
    await talker.raiseHand(false);
    await eventually(() => (room.remoteParticipants.get(talker.identity)?.attributes.hand ?? '') === '', 'the lowered hand at the host', MS);

    await talker.chat('hello from a bot');
    await eventually(() => chat.length > 0, 'the chat message at the host', MS);
    const message = JSON.parse(chat[0] ?? '{}') as { type?: string; identity?: string; text?: string; displayName?: string };
    assert.deepEqual([message.type, message.identity, message.text, message.displayName], ['chat', talker.identity, 'hello from a bot', 'Bot 003']);

    for (const receipt of videos.values()) receipt.stop();
    await Promise.all(bots.map((b) => b.leave()));
    await eventually(() => room.remoteParticipants.size === 0, 'the bots to be gone at the host', MS);
    const present = await callApi<Array<{ identity: string }>>(apiUrl, 'GET', `/meetings/${meeting.id}/participants`, hostToken);
    assert.deepEqual(present.map((p) => p.identity), [host.identity]);
    await host.leave();
  });

  it('a silent microphone with DTX sends a few packets a second, one without it fifty', async (t) => {
    assert.ok(stack);
    const server = stack.target.embedded;
    if (!server) {
      t.skip('counts packets on the embedded media server; LiveKit does not show them to a client');
      return;
    }
    const host = await signIn(stack.apiUrl, 'Host');
    const meeting = await startMeeting(stack.apiUrl, host);
    const [withDtx, withoutDtx] = await joinBots(stack.apiUrl, meeting.id, 2, {
      parallel: 1,
      setup: async (bot, index) => {
        await bot.rtc.publishAudio({ speaking: false, dtx: index === 0 });
      },
    });
    assert.ok(withDtx && withoutDtx);
    const packets = (identity: string): number =>
      server
        .stats()
        .rooms.flatMap((r) => r.participants)
        .filter((p) => p.identity === identity)
        .flatMap((p) => p.publishes)
        .flatMap((track) => track.layers)
        .reduce((sum, layer) => sum + layer.packets, 0);
    // Both microphones sending first (the encoder starts, then settles into silence).
    await eventually(() => packets(withoutDtx.identity) > 0, 'the microphone without DTX sending', MS);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const before = { on: packets(withDtx.identity), off: packets(withoutDtx.identity) };
    await new Promise((resolve) => setTimeout(resolve, DTX_WINDOW_MS));
    const rate = (now: number, then: number) => ((now - then) * 1000) / DTX_WINDOW_MS;
    const on = rate(packets(withDtx.identity), before.on);
    const off = rate(packets(withoutDtx.identity), before.off);
    console.log(`silent microphone: ${on.toFixed(1)} packets/s with DTX, ${off.toFixed(1)} without`);
    assert.ok(off >= 40, `without DTX a 20 ms Opus stream sends ~50 packets/s (saw ${off.toFixed(1)})`);
    assert.ok(on <= 10, `with DTX silence costs a packet every 400 ms or so (saw ${on.toFixed(1)})`);
    await Promise.all([withDtx.leave(), withoutDtx.leave()]);
  });
});
