import { expect } from '@open-wc/testing';
import { RoomEvent, Track, type Participant, type Room } from 'livekit-client';
import { joinRoom, playsVideo, until, useMediaServer } from '../support/media-client.js';

const small = { videoCaptureDefaults: { resolution: { width: 320, height: 180, frameRate: 15 } } };

describe('embedded media server: subscriptions, speakers, attributes', function () {
  this.timeout(30000);
  const media = useMediaServer();

  async function join(room: string, identity: string, grant: Record<string, unknown> = {}): Promise<Room> {
    const joined = await joinRoom(media.url, { room, identity, grant }, small);
    media.rooms.push(joined);
    return joined;
  }

  it('subscribes only on request when autoSubscribe is off, and can unsubscribe and subscribe again', async () => {
    const publisher = await join('subs', 'pub');
    await publisher.localParticipant.setCameraEnabled(true);
    const { Room: RoomClass } = await import('livekit-client');
    const { mediaToken } = await import('../support/media-client.js');
    const viewer = new RoomClass(small);
    media.rooms.push(viewer);
    await viewer.connect(media.url, await mediaToken({ room: 'subs', identity: 'viewer' }), { autoSubscribe: false });
    const camera = () => viewer.remoteParticipants.get('pub')?.getTrackPublication(Track.Source.Camera);
    await until(viewer, () => camera() !== undefined, 'the publication to be announced');
    expect(camera()?.isSubscribed).to.equal(false);

    camera()!.setSubscribed(true);
    await until(viewer, () => camera()?.track !== undefined, 'the subscription');
    await playsVideo(camera()!.track!);

    camera()!.setSubscribed(false);
    await until(viewer, () => camera()?.track === undefined, 'the unsubscription');

    // The slot that carried the track is reused for it: a new track must still arrive and play.
    camera()!.setSubscribed(true);
    await until(viewer, () => camera()?.track !== undefined, 'the second subscription');
    await playsVideo(camera()!.track!);
  });

  it('reports the participant with an open microphone as an active speaker', async () => {
    const speaker = await join('speak', 'speaker');
    const listener = await join('speak', 'listener');
    const seen: string[][] = [];
    listener.on(RoomEvent.ActiveSpeakersChanged, (speakers: Participant[]) => seen.push(speakers.map((p) => p.identity)));
    await speaker.localParticipant.setMicrophoneEnabled(true);
    await until(listener, () => seen.some((list) => list.includes('speaker')), 'speaker to be reported active', 10000);
    const remote = listener.remoteParticipants.get('speaker')!;
    expect(remote.audioLevel).to.be.greaterThan(0);
  });

  it('relays attributes and metadata a participant sets when its token allows it, and refuses them otherwise', async () => {
    const setter = await join('attrs', 'setter', { canUpdateOwnMetadata: true });
    const watcher = await join('attrs', 'watcher');
    await setter.localParticipant.setAttributes({ hand: 'raised' });
    await until(watcher, () => watcher.remoteParticipants.get('setter')?.attributes.hand === 'raised', 'attribute to arrive');
    await setter.localParticipant.setAttributes({ hand: '' });
    await until(watcher, () => watcher.remoteParticipants.get('setter')?.attributes.hand === undefined, 'attribute removal to arrive');

    let refused: unknown;
    await watcher.localParticipant.setAttributes({ hand: 'raised' }).catch((e: unknown) => {
      refused = e;
    });
    expect(refused).to.be.instanceOf(Error);
    expect(setter.remoteParticipants.get('watcher')?.attributes.hand).to.equal(undefined);
  });
});
