// Attack (issue 12, item 8): one joined participant announces tracks without end (1,500 addTrack
// requests) so that the server pushes an ever longer participant update to everyone else; before
// the limits this relayed about 40 MB to each other participant in 15 s. Now: at most 16 tracks per
// participant, participant updates batched, and a client past the signal rate is closed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AddTrackRequest, ParticipantInfo_State, RequestResponse_Reason, SignalRequest, TrackSource, TrackType } from '@livekit/protocol';
import { AccessToken } from 'livekit-server-sdk';
import { API_KEY, API_SECRET, startMediaProcess, type MediaProcess } from './media-page/harness.js';
import { rawJoin, type RawClient } from './media-page/raw-client.js';

async function token(room: string, identity: string): Promise<string> {
  const at = new AccessToken(API_KEY, API_SECRET, { identity, ttl: 600 });
  at.addGrant({ roomJoin: true, room });
  return at.toJwt();
}

function addTrack(i: number): SignalRequest {
  const request = new AddTrackRequest({ cid: `flood-${String(i)}`, name: `track ${String(i)}`, type: TrackType.AUDIO, source: TrackSource.MICROPHONE });
  return new SignalRequest({ message: { case: 'addTrack', value: request } });
}

/** The observer has heard the end of the flood: the flooder left, or was announced with every track. */
function floodOver(observer: RawClient): boolean {
  return observer.received.some(
    (r) =>
      r.message.case === 'update' &&
      r.message.value.participants.some((p) => p.identity === 'flooder' && (p.state === ParticipantInfo_State.DISCONNECTED || p.tracks.length >= 1500)),
  );
}

function sawJoin(observer: RawClient, identity: string): boolean {
  return observer.received.some((r) => r.message.case === 'update' && r.message.value.participants.some((p) => p.identity === identity));
}

describe('attack: a participant floods the room with track announcements', { timeout: 180_000 }, () => {
  let media: MediaProcess | undefined;

  before(async () => {
    // Its own process, as `npm run media-server`: its work does not stall this test's clock.
    media = await startMediaProcess();
  });

  after(async () => {
    await media?.stop();
  });

  it('1,500 addTrack requests relay little to the others, and the flooder is cut off with a reason', async () => {
    assert.ok(media);
    const observers = [await rawJoin(media.url, await token('flood', 'observer-1')), await rawJoin(media.url, await token('flood', 'observer-2'))];
    const attacker = await rawJoin(media.url, await token('flood', 'flooder'));
    for (const observer of observers) await observer.until(() => sawJoin(observer, 'flooder'), 'the flooder to be announced');
    const before = observers.map((o) => o.bytes());
    for (let i = 0; i < 1500; i++) attacker.send(addTrack(i));
    const relayed = (): number[] => observers.map((o, i) => o.bytes() - (before[i] ?? 0));
    try {
      for (const observer of observers) await observer.until(() => floodOver(observer), 'the end of the flood', 150_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}; bytes relayed to each bystander by then: ${relayed().join(', ')}`);
    }
    console.log(`bytes relayed to each other participant during the flood: ${relayed().join(', ')}`);
    for (const bytes of relayed()) assert.ok(bytes < 100_000, `${String(bytes)} bytes relayed to a bystander`);
    const closedBy = await attacker.closed;
    assert.equal(closedBy.code, 1008);
    assert.match(closedBy.reason, /rate limit/);
    for (const observer of observers) observer.close();
  });

  it('a participant gets at most 16 published tracks, however slowly it asks', async () => {
    assert.ok(media);
    const publisher = await rawJoin(media.url, await token('cap', 'collector'));
    for (let i = 0; i < 20; i++) publisher.send(addTrack(i));
    // Under the signal rate: the socket stays open and every request gets an answer.
    const answers = () => publisher.received.filter((r) => r.message.case === 'trackPublished' || (r.message.case === 'requestResponse' && r.message.value.request.case === 'addTrack'));
    await publisher.until(() => answers().length >= 20, 'an answer to each addTrack');
    const published = answers().filter((r) => r.message.case === 'trackPublished');
    const refused = answers().filter((r) => r.message.case === 'requestResponse');
    assert.equal(published.length, 16);
    assert.equal(refused.length, 4);
    for (const r of refused) {
      assert.ok(r.message.case === 'requestResponse');
      assert.equal(r.message.value.reason, RequestResponse_Reason.LIMIT_EXCEEDED);
    }
    publisher.close();
  });
});
