// Attack: a modified client announces a microphone with audio features no client has (numbers
// outside the enum, thousands of repeats) and updates them with more of the same. The server keeps
// only the features LiveKit knows, each once, so what it tells everyone else, and how it asks the
// browser's Opus encoder to run, stay within what a real client could have asked for.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AddTrackRequest, AudioTrackFeature, SignalRequest, TrackSource, TrackType, UpdateLocalAudioTrack, type SignalResponse, type TrackInfo } from '@livekit/protocol';
import { AccessToken } from 'livekit-server-sdk';
import { startMediaServer, type MediaServer } from '../../server/src/media/media-server.js';
import { connectRaw, type RawParticipant } from './helpers/raw-participant.js';

const KEY = 'featureskey';
const SECRET = 'a-secret-long-enough-for-the-hs256-signature';

async function token(identity: string): Promise<string> {
  const at = new AccessToken(KEY, SECRET, { identity, ttl: 600 });
  at.addGrant({ roomJoin: true, room: 'features', canPublish: true });
  return at.toJwt();
}

/** The attacker's microphone as a participant update to someone else describes it. */
function announced(response: SignalResponse): TrackInfo | undefined {
  if (response.message.case !== 'update') return undefined;
  return response.message.value.participants.find((p) => p.identity === 'attacker')?.tracks.find((t) => t.type === TrackType.AUDIO);
}

function addMicrophone(audioFeatures: AudioTrackFeature[] = []): SignalRequest['message'] {
  const value = new AddTrackRequest({ cid: 'mic', name: 'mic', type: TrackType.AUDIO, source: TrackSource.MICROPHONE, audioFeatures });
  return new SignalRequest({ message: { case: 'addTrack', value } }).message;
}

function updateFeatures(trackSid: string, features: AudioTrackFeature[]): SignalRequest['message'] {
  const value = new UpdateLocalAudioTrack({ trackSid, features });
  return new SignalRequest({ message: { case: 'updateAudioTrack', value } }).message;
}

/** What a client still reads besides the features: the deprecated stereo and DTX flags. */
function flags(track: TrackInfo | undefined): { stereo: boolean; disableDtx: boolean } {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- clients read them, so the server keeps them in step
  return { stereo: track?.stereo ?? false, disableDtx: track?.disableDtx ?? false };
}

const sorted = (features: readonly AudioTrackFeature[]) => [...features].sort((a, b) => a - b);

describe('attack: junk audio features on a published microphone', () => {
  let media: MediaServer;
  const sockets: RawParticipant[] = [];

  before(async () => {
    media = await startMediaServer({ apiKey: KEY, apiSecret: SECRET, port: 0 });
  });
  after(async () => {
    for (const socket of sockets) socket.close();
    await media.close();
  });

  it('keeps each known feature once and drops the rest, on publish and on update', async () => {
    const observer = await connectRaw(media.url, await token('observer'));
    const attacker = await connectRaw(media.url, await token('attacker'));
    sockets.push(observer, attacker);
    // Numbers outside the enum, as a hand-made client puts them on the wire.
    const junk = [999, -1, 2 ** 31 - 1, 42].map((n) => n as unknown as AudioTrackFeature);
    const repeated = Array.from({ length: 5000 }, () => AudioTrackFeature.TF_STEREO);
    attacker.send(addMicrophone([...junk, ...repeated, AudioTrackFeature.TF_NO_DTX]));
    const published = await attacker.next((r) => r.message.case === 'trackPublished');
    assert.equal(published.message.case, 'trackPublished');
    const track = published.message.value.track;
    assert.ok(track);
    assert.deepEqual(sorted(track.audioFeatures), [AudioTrackFeature.TF_STEREO, AudioTrackFeature.TF_NO_DTX]);
    const seen = announced(await observer.next((r) => announced(r) !== undefined));
    assert.deepEqual(sorted(seen?.audioFeatures ?? []), [AudioTrackFeature.TF_STEREO, AudioTrackFeature.TF_NO_DTX]);
    // As LiveKit: on publish the flags are the request's own (not set here); an update derives them.
    assert.deepEqual(flags(seen), { stereo: false, disableDtx: false });

    attacker.send(updateFeatures(track.sid, [...junk, AudioTrackFeature.TF_ECHO_CANCELLATION, AudioTrackFeature.TF_ECHO_CANCELLATION]));
    const updated = announced(await observer.next((r) => announced(r)?.audioFeatures.includes(AudioTrackFeature.TF_ECHO_CANCELLATION) === true));
    assert.deepEqual(updated?.audioFeatures, [AudioTrackFeature.TF_ECHO_CANCELLATION]);
    assert.deepEqual(flags(updated), { stereo: false, disableDtx: false });
  });

  it("refuses features for a track that is not the sender's, and stays up for the next participant", async () => {
    const owner = await connectRaw(media.url, await token('owner'));
    const attacker = await connectRaw(media.url, await token('attacker-2'));
    sockets.push(owner, attacker);
    owner.send(addMicrophone());
    const published = await owner.next((r) => r.message.case === 'trackPublished');
    assert.equal(published.message.case, 'trackPublished');
    const sid = published.message.value.track?.sid ?? '';
    attacker.send(updateFeatures(sid, [AudioTrackFeature.TF_STEREO]));
    const refused = await attacker.next((r) => r.message.case === 'requestResponse');
    assert.equal(refused.message.case, 'requestResponse');
    assert.match(refused.message.value.message, /not published by this participant/);
    const info = media.registry.get('features')?.participant('owner')?.info.tracks.find((t) => t.sid === sid);
    assert.deepEqual(info?.audioFeatures, []);
    const late = await connectRaw(media.url, await token('late'));
    sockets.push(late);
    assert.equal(late.self.identity, 'late');
  });
});
