import { expect } from '@open-wc/testing';
import { AddTrackRequest, TrackSource as ProtoSource, TrackType } from '@livekit/protocol';
import { ConnectionError, RoomEvent, Track, type Room } from 'livekit-client';
import { joinRoom, mediaToken, until, useMediaServer } from '../support/media-client.js';

describe('embedded media server: grants are enforced by the server', function () {
  this.timeout(30000);
  const media = useMediaServer({ maxParticipants: 3 });

  async function join(room: string, identity: string, grant: Record<string, unknown> = {}): Promise<Room> {
    const joined = await joinRoom(media.url, { room, identity, grant });
    media.rooms.push(joined);
    return joined;
  }

  /** Sends an addTrack straight over the signal socket, as a modified client could, and waits for the verdict. */
  function rawPublish(room: Room, source: ProtoSource, type: TrackType): Promise<'published' | 'refused'> {
    const engine = room.engine;
    return new Promise((resolve) => {
      const onResponse = (response: { request: { case?: string } }) => {
        if (response.request.case === 'addTrack') resolve('refused');
      };
      engine.on('signalRequestResponse' as never, onResponse as never);
      const cid = `forged-${String(Math.random())}`;
      const previous = engine.client.onLocalTrackPublished;
      engine.client.onLocalTrackPublished = (res) => {
        if (res.cid === cid) resolve('published');
        else previous?.(res);
      };
      engine.client.sendAddTrack(new AddTrackRequest({ cid, name: 'forged', type, source }));
    });
  }

  it('refuses to publish for a token without canPublish, even when the client is bypassed', async () => {
    const viewer = await join('g1', 'viewer', { canPublish: false });
    let error: unknown;
    await viewer.localParticipant.setCameraEnabled(true).catch((e: unknown) => {
      error = e;
    });
    expect(error, 'the client itself refuses').to.be.instanceOf(Error);
    expect(await rawPublish(viewer, ProtoSource.CAMERA, TrackType.VIDEO)).to.equal('refused');
  });

  it('refuses screen sharing to a token limited to camera and microphone', async () => {
    const limited = await join('g2', 'limited', { canPublishSources: ['camera', 'microphone'] });
    expect(await rawPublish(limited, ProtoSource.SCREEN_SHARE, TrackType.VIDEO)).to.equal('refused');
    expect(await rawPublish(limited, ProtoSource.CAMERA, TrackType.VIDEO)).to.equal('published');
    expect(limited.localParticipant.permissions?.canPublishSources).to.have.members([
      ProtoSource.CAMERA,
      ProtoSource.MICROPHONE,
    ]);
  });

  it('a token for one room puts its holder in that room only', async () => {
    const inA = await join('room-a', 'holder-a');
    const inB = await join('room-b', 'holder-b');
    const other = await join('room-b', 'other-b');
    await until(other, () => other.remoteParticipants.has('holder-b'), 'room b to fill');
    expect(inA.name).to.equal('room-a');
    expect([...other.remoteParticipants.keys()]).to.deep.equal(['holder-b']);
    expect(inB.remoteParticipants.has('holder-a')).to.equal(false);
  });

  it('refuses expired, forged and room-less tokens with a clear reason', async () => {
    const attempts = {
      expired: await mediaToken({ room: 'g4', identity: 'late', ttl: -60 }),
      forged: await mediaToken({ room: 'g4', identity: 'forger', secret: 'not-the-server-secret-at-all-000000' }),
      noJoin: await mediaToken({ room: 'g4', identity: 'nojoin', grant: { roomJoin: false } }),
    };
    for (const [what, token] of Object.entries(attempts)) {
      const { Room: RoomClass } = await import('livekit-client');
      const room = new RoomClass();
      let error: unknown;
      await room.connect(media.url, token).catch((e: unknown) => {
        error = e;
      });
      expect(error, what).to.be.instanceOf(ConnectionError);
      expect((error as ConnectionError).status, what).to.be.oneOf([401, 403]);
      await room.disconnect();
    }
  });

  it('refuses a participant beyond the room limit, with the reason', async () => {
    await join('full', 'p1');
    await join('full', 'p2');
    await join('full', 'p3');
    let error: unknown;
    await join('full', 'p4').catch((e: unknown) => {
      error = e;
    });
    expect(error).to.be.instanceOf(ConnectionError);
    expect((error as ConnectionError).message).to.contain('full');
    RoomEvent;
    Track;
  });
});
