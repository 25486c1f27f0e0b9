import { expect } from '@open-wc/testing';
import { RoomEvent, Track, type Room } from 'livekit-client';
import { joinRoom, playsVideo, until, useMediaServer } from '../support/media-client.js';

describe('embedded media server: two participants', function () {
  this.timeout(30000);
  const media = useMediaServer();

  it('each sees the other and plays the other camera with default room options (simulcast on)', async () => {
    const alice = await joinRoom(media.url, { room: 'r1', identity: 'alice' });
    media.rooms.push(alice);
    const bob = await joinRoom(media.url, { room: 'r1', identity: 'bob' });
    media.rooms.push(bob);
    await until(alice, () => alice.remoteParticipants.has('bob'), 'alice to see bob');
    expect(bob.remoteParticipants.has('alice')).to.equal(true);

    await alice.localParticipant.enableCameraAndMicrophone();
    await bob.localParticipant.enableCameraAndMicrophone();

    const cameraOf = (room: Room, identity: string) =>
      room.remoteParticipants.get(identity)?.getTrackPublication(Track.Source.Camera)?.track;
    await until(bob, () => cameraOf(bob, 'alice') !== undefined, 'bob to receive alice camera');
    await until(alice, () => cameraOf(alice, 'bob') !== undefined, 'alice to receive bob camera');
    const video = await playsVideo(cameraOf(bob, 'alice')!);
    expect(video.videoWidth).to.be.greaterThan(0);
    await playsVideo(cameraOf(alice, 'bob')!);
    const mic = bob.remoteParticipants.get('alice')?.getTrackPublication(Track.Source.Microphone);
    await until(bob, () => mic?.track !== undefined, 'bob to receive alice microphone');
    expect(mic?.track?.mediaStreamTrack.readyState).to.equal('live');
    RoomEvent;
  });
});
