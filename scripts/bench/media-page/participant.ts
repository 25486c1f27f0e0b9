// One benchmark participant: joins, publishes, and reports what it receives. Driven by scripts/bench/media.ts.
import { Room, RoomEvent, Track, type RemoteTrack } from 'livekit-client';

interface Totals {
  packetsReceived: number;
  packetsLost: number;
  framesDecoded: number;
  videos: number;
}

let room: Room | undefined;
let firstFrameMs: number | undefined;

async function join(url: string, token: string, publish: boolean): Promise<{ joinMs: number }> {
  room = new Room({ videoCaptureDefaults: { resolution: { width: 640, height: 360, frameRate: 30 } } });
  const started = performance.now();
  // Registered before connecting: tracks already in the room are subscribed during the join.
  room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack) => {
    if (track.kind !== Track.Kind.Video) return;
    const video = track.attach() as HTMLVideoElement;
    video.muted = true;
    video.width = 160;
    document.body.append(video);
    // `loadeddata`: the first frame is decoded and can be shown.
    video.addEventListener(
      'loadeddata',
      () => {
        firstFrameMs ??= performance.now() - started;
      },
      { once: true },
    );
  });
  await room.connect(url, token);
  const joinMs = performance.now() - started;
  if (publish) await room.localParticipant.enableCameraAndMicrophone();
  return { joinMs };
}

async function totals(): Promise<Totals> {
  const sum: Totals = { packetsReceived: 0, packetsLost: 0, framesDecoded: 0, videos: 0 };
  for (const participant of room?.remoteParticipants.values() ?? []) {
    for (const publication of participant.trackPublications.values()) {
      const receiver = publication.track?.receiver;
      if (!receiver) continue;
      const stats = await receiver.getStats();
      stats.forEach((s: { type: string; kind?: string; packetsReceived?: number; packetsLost?: number; framesDecoded?: number }) => {
        if (s.type !== 'inbound-rtp') return;
        sum.packetsReceived += s.packetsReceived ?? 0;
        sum.packetsLost += Math.max(0, s.packetsLost ?? 0);
        if (s.kind === 'video') {
          sum.framesDecoded += s.framesDecoded ?? 0;
          sum.videos++;
        }
      });
    }
  }
  return sum;
}

async function detail(): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const participant of room?.remoteParticipants.values() ?? []) {
    for (const publication of participant.trackPublications.values()) {
      const stats = await publication.track?.receiver?.getStats();
      stats?.forEach((s: Record<string, unknown>) => {
        if (s.type === 'inbound-rtp') out.push({ kind: s.kind, p: s.packetsReceived, fd: s.framesDecoded, kf: s.keyFramesDecoded, pli: s.pliCount, w: s.frameWidth });
      });
    }
  }
  const local = room?.localParticipant.getTrackPublication(Track.Source.Camera)?.track?.sender;
  (await local?.getStats())?.forEach((s: Record<string, unknown>) => {
    if (s.type === 'outbound-rtp') out.push({ out: s.rid, p: s.packetsSent, kf: s.keyFramesEncoded, pli: s.pliCount, w: s.frameWidth, q: s.qualityLimitationReason });
  });
  return out;
}

async function leave(): Promise<void> {
  await room?.disconnect();
  room = undefined;
  firstFrameMs = undefined;
  document.body.replaceChildren();
}

Object.assign(window, {
  bench: { join, totals, leave, detail, firstFrame: () => firstFrameMs },
});
