// A silent, unmuted microphone costs next to nothing, as on LiveKit: the server's answer asks the
// publisher's Opus encoder for DTX (`usedtx=1`) unless the track was published without it. Without
// that, every open microphone sent 50 packets a second whatever it heard, and a room of a hundred
// kept the media server busy with silence. Two rtc-node bots, one published with DTX (the SDKs'
// default) and one without, both silent; the server counts what each sends.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dispose } from '@livekit/rtc-node';
import { startBotStack, type BotStack } from '../support/bots/bot-stack.js';
import { joinBots, signIn, startMeeting } from '../support/bots/meeting-bots.js';

const WINDOW_MS = 3000;

describe('silent microphones and DTX', { timeout: 120_000 }, () => {
  let stack: BotStack | undefined;

  before(async () => {
    stack = await startBotStack();
  });

  after(async () => {
    await dispose();
    await stack?.close();
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
    const started = Date.now();
    while (packets(withoutDtx.identity) === 0 && Date.now() - started < 20_000) await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const before = { on: packets(withDtx.identity), off: packets(withoutDtx.identity) };
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    const rate = (now: number, then: number) => ((now - then) * 1000) / WINDOW_MS;
    const on = rate(packets(withDtx.identity), before.on);
    const off = rate(packets(withoutDtx.identity), before.off);
    console.log(`silent microphone: ${on.toFixed(1)} packets/s with DTX, ${off.toFixed(1)} without`);
    assert.ok(off >= 40, `without DTX a 20 ms Opus stream sends ~50 packets/s (saw ${off.toFixed(1)})`);
    assert.ok(on <= 10, `with DTX silence costs a packet every 400 ms or so (saw ${on.toFixed(1)})`);
    await Promise.all([withDtx.leave(), withoutDtx.leave()]);
  });
});
