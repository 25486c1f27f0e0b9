// The core asks for a camera subscription once per change of what is on screen, however many times
// the room makes it refresh. livekit-client sends every setSubscribed() to the server, and a
// subscription it asked for stays unarrived (isSubscribed false) until the track comes: a core
// that compared with isSubscribed asked again on every refresh in between, and a page joining 25
// people was closed by the media server's signal rate limit (240 requests in two seconds).
import { expect } from '@open-wc/testing';
import { ConnectionQuality, RoomEvent, Track } from 'livekit-client';
import { MeetingController } from '../../src/core/controller/meeting-controller.js';
import { SyntheticRoom, syntheticMeetingApi } from '../../scripts/bench/controller-page/synthetic-room.js';

interface Camera {
  isSubscribed: boolean;
  isDesired: boolean;
  requests: number;
  setSubscribed(on: boolean): void;
}

/** Lets the core's end-of-task refresh run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('camera subscriptions under a busy room', () => {
  it('asks once per change, while the tracks it asked for have not arrived', async () => {
    const room = new SyntheticRoom(39);
    const cameras = new Map<string, Camera>();
    for (const participant of room.remoteParticipants.values()) {
      const camera = participant.getTrackPublication(Track.Source.Camera) as unknown as Camera;
      // As livekit-client right after the join: wanted (autoSubscribe), no track yet; and an
      // asked-for track never arrives in this test, so every refresh sees it unarrived.
      camera.isSubscribed = false;
      camera.setSubscribed = function (this: Camera, on: boolean) {
        this.requests++;
        this.isDesired = on;
      };
      cameras.set(participant.identity, camera);
    }
    const controller = new MeetingController({ api: syntheticMeetingApi('host'), meetingId: 'm', roomFactory: () => room.asRoom() });
    await controller.join({ displayName: 'Me' });
    controller.setPageSize(25);
    await settle();
    // A busy room: qualities change, people speak; each of these rebuilds the state.
    for (let i = 0; i < 30; i++) {
      const someone = [...room.remoteParticipants.values()][i % 39];
      room.emit(RoomEvent.ConnectionQualityChanged, ConnectionQuality.Poor, someone);
      await settle();
    }
    const onScreen = new Set(controller.state.visible);
    expect(onScreen.size).to.equal(25);
    for (const [identity, camera] of cameras) {
      // On screen: wanted from the start, never asked again. Off screen: one "no", once.
      expect(camera.requests, identity).to.equal(onScreen.has(identity) ? 0 : 1);
      expect(camera.isDesired, identity).to.equal(onScreen.has(identity));
    }

    // The next page: the ones leaving the screen are dropped once, the ones coming on asked for once.
    controller.setPage(1);
    await settle();
    for (let i = 0; i < 10; i++) {
      room.emit(RoomEvent.ConnectionQualityChanged, ConnectionQuality.Good, [...room.remoteParticipants.values()][i]);
      await settle();
    }
    const second = new Set(controller.state.visible);
    for (const [identity, camera] of cameras) {
      const was = onScreen.has(identity);
      const is = second.has(identity);
      expect(camera.requests, identity).to.equal(was === is ? (was ? 0 : 1) : was ? 1 : 2);
      expect(camera.isDesired, identity).to.equal(is);
    }
    await controller.leave();
  });
});
