import { expect } from '@open-wc/testing';
import { RoomEvent, Track, type Room } from 'livekit-client';
import { joinRoom, playsVideo, startMediaServer, stopMediaServer, until } from '../support/media-client.js';

describe('embedded media server: two participants', function () {
  this.timeout(30000);
  let url: string;
  const rooms: Room[] = [];

  before(async () => {
    url = await startMediaServer();
  });
  afterEach(async () => {
    await Promise.all(rooms.splice(0).map((r) => r.disconnect()));
  });
  after(async () => {
    await stopMediaServer();
  });

  it('each sees the other and plays the other camera with default room options (simulcast on)', async () => {
    const alice = await joinRoom(url, { room: 'r1', identity: 'alice' });
    rooms.push(alice);
    const bob = await joinRoom(url, { room: 'r1', identity: 'bob' });
    rooms.push(bob);
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
