import { expect } from '@open-wc/testing';
import { DisconnectReason, RoomEvent, Track, type Room } from 'livekit-client';
import { joinRoom, playsVideo, until, useMediaServer } from '../support/media-client.js';

const small = { videoCaptureDefaults: { resolution: { width: 320, height: 180, frameRate: 15 } } };

describe('embedded media server: three participants', function () {
  this.timeout(40000);
  const media = useMediaServer();

  async function join(identity: string, room = 'three'): Promise<Room> {
    const joined = await joinRoom(media.url, { room, identity }, small);
    media.rooms.push(joined);
    return joined;
  }

  const cameraOf = (room: Room, identity: string) =>
    room.remoteParticipants.get(identity)?.getTrackPublication(Track.Source.Camera);

  it('everyone plays everyone else, including a late publisher', async () => {
    const [a, b] = [await join('a'), await join('b')];
    await a.localParticipant.setCameraEnabled(true);
    await b.localParticipant.setCameraEnabled(true);
    const c = await join('c');
    await c.localParticipant.setCameraEnabled(true);
    const all = { a, b, c };
    const failures: string[] = [];
    for (const [viewerName, viewer] of Object.entries(all)) {
      for (const other of Object.keys(all).filter((n) => n !== viewerName)) {
        try {
        await until(viewer, () => cameraOf(viewer, other)?.track !== undefined, `${viewerName} to receive ${other}`);
        const video = await playsVideo(cameraOf(viewer, other)!.track!).catch((e: unknown) => {
          throw new Error(`${viewerName} viewing ${other}: ${(e as Error).message}`);
        });
        expect(video.videoWidth, `${viewerName} sees ${other}`).to.be.greaterThan(0);
        } catch (e) { failures.push((e as Error).message); }
      }
    }
    expect(failures).to.deep.equal([]);
  });

  it('mute and unmute reach the others', async () => {
    const a = await join('m-a', 'mute');
    const b = await join('m-b', 'mute');
    await a.localParticipant.setMicrophoneEnabled(true);
    const micAtB = () => b.remoteParticipants.get('m-a')?.getTrackPublication(Track.Source.Microphone);
    await until(b, () => micAtB()?.track !== undefined, 'b to receive the microphone');
    expect(micAtB()?.isMuted).to.equal(false);
    await a.localParticipant.setMicrophoneEnabled(false);
    await until(b, () => micAtB()?.isMuted === true, 'mute to reach b');
    await a.localParticipant.setMicrophoneEnabled(true);
    await until(b, () => micAtB()?.isMuted === false, 'unmute to reach b');
  });

  it('data on a topic reaches only the addressed participant', async () => {
    const a = await join('d-a', 'data');
    const b = await join('d-b', 'data');
    const c = await join('d-c', 'data');
    await until(a, () => a.remoteParticipants.size === 2, 'a to see both');
    const got: Record<string, string[]> = { b: [], c: [] };
    b.on(RoomEvent.DataReceived, (payload, from, _kind, topic) => {
      got.b!.push(`${from?.identity ?? '?'}:${topic ?? ''}:${new TextDecoder().decode(payload)}`);
    });
    c.on(RoomEvent.DataReceived, (payload, from, _kind, topic) => {
      got.c!.push(`${from?.identity ?? '?'}:${topic ?? ''}:${new TextDecoder().decode(payload)}`);
    });
    await a.localParticipant.publishData(new TextEncoder().encode('only for b'), { reliable: true, topic: 'chat', destinationIdentities: ['d-b'] });
    await a.localParticipant.publishData(new TextEncoder().encode('for all'), { reliable: true, topic: 'chat' });
    await until(c, () => got.c!.length === 1 && got.b!.length === 2, 'data to arrive');
    expect(got.b).to.deep.equal(['d-a:chat:only for b', 'd-a:chat:for all']);
    expect(got.c).to.deep.equal(['d-a:chat:for all']);
  });

  it('a participant that leaves, or whose page goes away, is gone for the others within 2 s', async () => {
    const stay = await join('stay', 'leave');
    const leaver = await joinRoom(media.url, { room: 'leave', identity: 'leaver' }, small);
    await until(stay, () => stay.remoteParticipants.has('leaver'), 'stay to see leaver');
    const left = Date.now();
    await leaver.disconnect();
    await until(stay, () => !stay.remoteParticipants.has('leaver'), 'leaver to be gone', 2000);
    expect(Date.now() - left).to.be.lessThan(2000);

    // A page that disappears (tab closed) never says goodbye: an iframe removed from the document.
    const frame = document.createElement('iframe');
    const token = await (await import('../support/media-client.js')).mediaToken({ room: 'leave', identity: 'tab' });
    frame.srcdoc = `<script type="module">
      import { Room } from '${new URL('/node_modules/livekit-client/dist/livekit-client.esm.mjs', location.href).href}';
      const room = new Room();
      await room.connect(${JSON.stringify(media.url)}, ${JSON.stringify(token)});
      parent.postMessage('tab-joined', '*');
    </script>`;
    const joined = new Promise((resolve) => {
      window.addEventListener('message', function onMessage(e) {
        if (e.data === 'tab-joined') {
          window.removeEventListener('message', onMessage);
          resolve(undefined);
        }
      });
    });
    document.body.append(frame);
    await joined;
    await until(stay, () => stay.remoteParticipants.has('tab'), 'stay to see the tab');
    const closed = Date.now();
    frame.remove();
    await until(stay, () => !stay.remoteParticipants.has('tab'), 'the closed tab to be gone', 2000);
    expect(Date.now() - closed).to.be.lessThan(2000);
    DisconnectReason;
  });
});
