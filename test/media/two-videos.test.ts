import { expect } from '@open-wc/testing';
import { LocalVideoTrack, Track } from 'livekit-client';
import { joinRoom, playsVideo, until, useMediaServer } from '../support/media-client.js';

/** A 4:3 moving picture, so it cannot be mistaken for the 16:9 camera. */
function canvasTrack(): MediaStreamTrack {
  const canvas = document.createElement('canvas');
  canvas.width = 960;
  canvas.height = 720;
  const context = canvas.getContext('2d')!;
  let frame = 0;
  const draw = () => {
    context.fillStyle = `hsl(${String(frame++ % 360)} 80% 50%)`;
    context.fillRect(0, 0, canvas.width, canvas.height);
  };
  draw();
  setInterval(draw, 33);
  return canvas.captureStream(30).getVideoTracks()[0]!;
}

describe('embedded media server: camera and screen share at once', function () {
  this.timeout(30000);
  const media = useMediaServer();

  it('forwards two simulcast videos of one publisher, each to its own tile', async () => {
    const presenter = await joinRoom(media.url, { room: 'share', identity: 'presenter' }, { videoCaptureDefaults: { resolution: { width: 640, height: 360 } } });
    const viewer = await joinRoom(media.url, { room: 'share', identity: 'viewer' });
    media.rooms.push(presenter, viewer);
    await presenter.localParticipant.setCameraEnabled(true);
    await presenter.localParticipant.publishTrack(new LocalVideoTrack(canvasTrack()), {
      source: Track.Source.ScreenShare,
      simulcast: true,
      videoEncoding: { maxBitrate: 1_500_000, maxFramerate: 30 },
    });
    const publication = (source: Track.Source) => viewer.remoteParticipants.get('presenter')?.getTrackPublication(source);
    await until(viewer, () => publication(Track.Source.Camera)?.track !== undefined, 'the camera');
    await until(viewer, () => publication(Track.Source.ScreenShare)?.track !== undefined, 'the screen share');
    const camera = await playsVideo(publication(Track.Source.Camera)!.track!);
    const screen = await playsVideo(publication(Track.Source.ScreenShare)!.track!);
    expect(camera.videoWidth / camera.videoHeight).to.be.closeTo(16 / 9, 0.05);
    expect(screen.videoWidth / screen.videoHeight).to.be.closeTo(4 / 3, 0.05);
  });
});
