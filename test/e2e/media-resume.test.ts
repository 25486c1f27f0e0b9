// Issue 15: signal resume. A client whose signalling socket drops while its media connection is up
// comes back with `reconnect=1` and its participant sid, and the same session goes on: same sid, the
// others never see it leave, its tracks and subscriptions stay, the connection restarts ICE, and
// frames flow again. Both livekit-client (its "resuming" path) and rtc-node are checked, with each
// SDK's own way of dropping the socket. A resume naming a session that is not the token's own is
// refused with a leave that asks for a full reconnect.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JoinRequest, LeaveRequest_Action, SignalResponse } from '@livekit/protocol';
import { RoomEvent, SimulateScenarioKind, TrackKind } from '@livekit/rtc-node';
import { WebSocket } from 'ws';
import { suiteMediaTarget } from '../support/bots/suite-target.js';
import { receiveVideo, type VideoReceipt } from '../support/bots/receivers.js';
import { RtcBot } from '../support/bots/rtc-bot.js';
import { eventually } from '../support/bots/wait.js';
import { decodedFrames, playsWithin, startBrowserFor } from './media-page/harness.js';
import { joinRequestParam, plainJoinRequest, rtcUrl } from './media-page/raw-client.js';

const MS = 20_000;

describe('media server: signal resume', { timeout: 240_000 }, () => {
  const mediaTarget = suiteMediaTarget();

  it('livekit-client resumes after its socket drops: same session, ICE restarted, video both ways again', async () => {
    const t = mediaTarget();
    const room = t.roomName('resume-browser');
    const browser = await startBrowserFor(t.url);
    try {
      const ada = await browser.open();
      const bob = await browser.open(await browser.browser.createBrowserContext());
      await ada.evaluate((u: string, k: string) => window.probe.join(u, k), t.url, await t.token(room, 'ada'));
      await bob.evaluate((u: string, k: string) => window.probe.join(u, k), t.url, await t.token(room, 'bob'));
      await playsWithin(ada, 'bob', MS, 'ada viewing bob', t.embedded);
      await playsWithin(bob, 'ada', MS, 'bob viewing ada', t.embedded);
      const sid = await ada.evaluate(() => window.probe.sid());
      const ufrags = await ada.evaluate(() => window.probe.iceUfrags());
      assert.ok(ufrags.local, `the page reads its ICE parameters: ${JSON.stringify(ufrags)}`);

      await ada.evaluate(() => window.probe.simulate('signal-reconnect'));
      await ada.waitForFunction(() => window.probe.reconnected() >= 1, { timeout: MS, polling: 100 });

      assert.equal(await ada.evaluate(() => window.probe.sid()), sid, 'a resume keeps the participant sid (a full rejoin gets a new one)');
      assert.deepEqual(await bob.evaluate(() => window.probe.departures()), [], 'bob saw ada leave');
      assert.deepEqual(await bob.evaluate(() => window.probe.remotes()), ['ada']);
      const listed = await t.rooms.listParticipants(room);
      assert.deepEqual(listed.map((p) => `${p.identity}:${p.sid === sid ? 'same' : p.identity === 'ada' ? 'new' : '-'}`).sort(), ['ada:same', 'bob:-']);
      // An ICE restart: the page's connection has new credentials (and frames flow below, so the
      // server took the restart).
      await eventually(
        async () => {
          const now = await ada.evaluate(() => window.probe.iceUfrags());
          return now.local !== null && now.local !== ufrags.local;
        },
        'an ICE restart',
        MS,
        async () => JSON.stringify({ before: ufrags, now: await ada.evaluate(() => window.probe.iceUfrags()) }),
      );

      // Frames flow again both ways: the subscriptions and the forwarding were kept.
      const from = { ada: await decodedFrames(ada, 'bob'), bob: await decodedFrames(bob, 'ada') };
      await eventually(
        async () => (await decodedFrames(ada, 'bob')) >= from.ada + 10 && (await decodedFrames(bob, 'ada')) >= from.bob + 10,
        'ten more frames each way after the resume',
        MS,
        async () => {
          const inbound = (await ada.evaluate((who: string) => window.probe.inbound(who), 'bob')).map((s) => ({ p: s.packetsReceived, fd: s.framesDecoded, kf: s.keyFramesDecoded, pli: s.pliCount, nack: s.nackCount, lost: s.packetsLost }));
          return `ada ${String(await decodedFrames(ada, 'bob'))} (from ${String(from.ada)}), bob ${String(await decodedFrames(bob, 'ada'))} (from ${String(from.bob)}); ada's inbound from bob ${JSON.stringify(inbound)}`;
        },
      );
      await ada.evaluate(() => window.probe.leave());
      await bob.evaluate(() => window.probe.leave());
    } finally {
      await browser.close();
    }
  });

  it('rtc-node resumes after its socket drops: same session, the other keeps receiving its camera', async () => {
    const target = mediaTarget();
    const room = target.roomName('resume-rtc');
    const ada = await RtcBot.connect(target.url, await target.token(room, 'ada'));
    const bob = await RtcBot.connect(target.url, await target.token(room, 'bob'), { autoSubscribe: true });
    try {
      let video: VideoReceipt | undefined;
      bob.room.on(RoomEvent.TrackSubscribed, (track, _publication, participant) => {
        if (participant.identity === 'ada' && track.kind === TrackKind.KIND_VIDEO) video ??= receiveVideo(track);
      });
      const departures: string[] = [];
      bob.room.on(RoomEvent.ParticipantDisconnected, (participant) => departures.push(participant.identity));
      await ada.publishVideo({ fps: 15 });
      await eventually(() => (video?.frames ?? 0) >= 10, "bob receiving ada's camera", MS);
      const sid = ada.sid;
      const resumed = new Promise<void>((resolve) => ada.room.once(RoomEvent.Reconnected, () => resolve()));
      await ada.room.simulateScenario(SimulateScenarioKind.SIMULATE_SIGNAL_RECONNECT);
      await resumed;
      assert.equal(ada.sid, sid);
      assert.equal((await target.rooms.getParticipant(room, 'ada')).sid, sid);
      const frames = video?.frames ?? 0;
      await eventually(() => (video?.frames ?? 0) >= frames + 15, 'fifteen more frames after the resume', MS, () => String(video?.frames));
      assert.deepEqual(departures, []);
      video?.stop();
    } finally {
      await ada.leave();
      await bob.leave();
    }
  });

  it("a resume naming someone else's session is refused with a leave asking for a full reconnect", async () => {
    const target = mediaTarget();
    const room = target.roomName('resume-hijack');
    const bob = await RtcBot.connect(target.url, await target.token(room, 'bob'));
    const cy = await RtcBot.connect(target.url, await target.token(room, 'cy'), { autoSubscribe: true });
    try {
      await eventually(() => cy.room.remoteParticipants.has('bob'), 'cy to see bob', MS);
      // Mallory's own token, and bob's sid (every participant in the room knows it).
      const request = plainJoinRequest({ reconnect: true, participantSid: bob.sid } satisfies Partial<JoinRequest>);
      const first = await firstResponse(rtcUrl(target.url, await target.token(room, 'mallory'), joinRequestParam(request)));
      const leave = first.message.case === 'leave' ? first.message.value : undefined;
      assert.equal(first.message.case, 'leave');
      assert.equal(leave?.action, LeaveRequest_Action.RECONNECT);
      // Bob's session goes on, untouched, and nobody was told of a mallory.
      assert.deepEqual([...cy.room.remoteParticipants.keys()], ['bob']);
      assert.equal((await target.rooms.getParticipant(room, 'bob')).sid, bob.sid);
      assert.deepEqual((await target.rooms.listParticipants(room)).map((p) => p.identity).sort(), ['bob', 'cy']);
    } finally {
      await bob.leave();
      await cy.leave();
    }
  });
});

/** The first signal response a raw socket gets on `url`. */
function firstResponse(url: string): Promise<SignalResponse> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('no first response within 10 s'));
    }, 10_000);
    ws.once('message', (data: Buffer) => {
      clearTimeout(timer);
      ws.close();
      resolve(SignalResponse.fromBinary(new Uint8Array(data)));
    });
    ws.once('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      reject(new Error(`upgrade refused: HTTP ${String(res.statusCode)}`));
    });
    ws.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
