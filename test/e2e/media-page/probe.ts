// A bare livekit-client page for the media server's end-to-end tests: joins, publishes a small
// camera and microphone, shows every remote camera in a <video> named by its publisher, and counts
// what a user would notice (reconnections, who is in the room). Bundled by esbuild at test start.
import { Room, RoomEvent, Track, type RemoteParticipant, type RemoteTrack } from 'livekit-client';

export interface VideoFacts {
  /** The <video>'s own width: 0 while nothing was ever shown. */
  width: number;
  /** Frames the decoder produced for this track (the inbound stream's framesDecoded). */
  frames: number;
}

export interface Probe {
  join(url: string, token: string): Promise<void>;
  video(identity: string): Promise<VideoFacts | null>;
  identity(): string;
  remotes(): string[];
  inbound(identity: string): Promise<Record<string, unknown>[]>;
  reconnects(): number;
  /** Why the room disconnected (a livekit-client DisconnectReason), or null while connected or never. */
  disconnectReason(): number | null;
  leave(): Promise<void>;
  /** Sends `count` reliable data packets of `bytes` each as fast as livekit-client takes them; the bytes sent. */
  flood(count: number, bytes: number): Promise<number>;
  /** livekit-client's own fault injection (`Room.simulateScenario`), e.g. 'signal-reconnect'. */
  simulate(scenario: string): Promise<void>;
  /** Resumes and full reconnects completed (RoomEvent.Reconnected), and who was seen leaving. */
  reconnected(): number;
  departures(): string[];
  sid(): string;
  /** The ICE username fragments of this page's connection, both sides (an ICE restart changes them). */
  iceUfrags(): Promise<{ local: string | null; remote: string | null }>;
  /** Tells the server how large this page shows `identity`'s camera (what adaptive stream does for a tile). */
  setVideoSize(identity: string, width: number, height: number): void;
  /** The size of the last decoded frame of `identity`'s camera, from the inbound stream. */
  frameSize(identity: string): Promise<{ width: number; height: number }>;
  /** Who may subscribe to this page's tracks: the identities given, or everyone with null. */
  allowSubscribers(identities: string[] | null): void;
  /** One ordinary chat-topic message. */
  say(text: string): Promise<void>;
  /** Bytes of data packets received so far, and the last small one as `topic:text`. */
  dataBytes(): number;
  lastData(): string | null;
}

const room = new Room({
  videoCaptureDefaults: { resolution: { width: 320, height: 180, frameRate: 15 } },
});
let reconnects = 0;
let reconnected = 0;
const departures: string[] = [];
room.on(RoomEvent.Reconnected, () => reconnected++);
room.on(RoomEvent.ParticipantDisconnected, (participant) => departures.push(participant.identity));
let disconnectReason: number | null = null;
let dataBytes = 0;
let lastData: string | null = null;
room.on(RoomEvent.DataReceived, (payload, _participant, _kind, topic) => {
  dataBytes += payload.byteLength;
  if (payload.byteLength < 256) lastData = `${topic ?? ''}:${new TextDecoder().decode(payload)}`;
});
room.on(RoomEvent.Disconnected, (reason) => {
  disconnectReason = reason ?? -1;
});
room.on(RoomEvent.Reconnecting, () => reconnects++);
room.on(RoomEvent.SignalReconnecting, () => reconnects++);
room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack, _publication, participant: RemoteParticipant) => {
  if (track.kind !== Track.Kind.Video) return;
  const video = track.attach() as HTMLVideoElement;
  video.muted = true;
  video.width = 160;
  video.dataset.identity = participant.identity;
  document.body.append(video);
});
room.on(RoomEvent.TrackUnsubscribed, (track: RemoteTrack) => {
  for (const element of track.detach()) element.remove();
});

const probe: Probe = {
  async join(url, token) {
    disconnectReason = null;
    await room.connect(url, token);
    await room.localParticipant.enableCameraAndMicrophone();
  },
  async video(identity) {
    const videos = [...document.querySelectorAll('video')].filter((v) => v.dataset.identity === identity);
    const video = videos.at(-1);
    if (!video) return null;
    // Decoded frames, not painted ones: a page Chromium does not paint (in the background, on a
    // loaded machine) still decodes what arrives.
    let frames = 0;
    for (const stats of await probe.inbound(identity)) frames += typeof stats.framesDecoded === 'number' ? stats.framesDecoded : 0;
    return { width: video.videoWidth, frames };
  },
  identity: () => room.localParticipant.identity,
  remotes: () => [...room.remoteParticipants.keys()].sort(),
  async inbound(identity) {
    const out: Record<string, unknown>[] = [];
    const publication = room.remoteParticipants.get(identity)?.getTrackPublication(Track.Source.Camera);
    const stats = await publication?.track?.receiver?.getStats();
    stats?.forEach((s: Record<string, unknown>) => {
      if (s.type === 'inbound-rtp') out.push(s);
    });
    return out;
  },
  reconnects: () => reconnects,
  disconnectReason: () => disconnectReason,
  async leave() {
    await room.disconnect();
  },
  async flood(count, bytes) {
    const payload = new Uint8Array(bytes).fill(120);
    let sent = 0;
    for (let i = 0; i < count; i++) {
      await room.localParticipant.publishData(payload, { reliable: true, topic: 'flood' });
      sent += bytes;
    }
    return sent;
  },
  async say(text) {
    await room.localParticipant.publishData(new TextEncoder().encode(text), { reliable: true, topic: 'chat' });
  },
  async simulate(scenario) {
    await room.simulateScenario(scenario as Parameters<Room['simulateScenario']>[0]);
  },
  setVideoSize(identity, width, height) {
    room.remoteParticipants.get(identity)?.getTrackPublication(Track.Source.Camera)?.setVideoDimensions({ width, height });
  },
  async frameSize(identity) {
    const [stats] = await probe.inbound(identity);
    return { width: Number(stats?.frameWidth ?? 0), height: Number(stats?.frameHeight ?? 0) };
  },
  allowSubscribers(identities) {
    room.localParticipant.setTrackSubscriptionPermissions(identities === null, (identities ?? []).map((participantIdentity) => ({ participantIdentity, allowAll: true })));
  },
  reconnected: () => reconnected,
  departures: () => [...departures],
  sid: () => room.localParticipant.sid,
  async iceUfrags() {
    const sender = room.localParticipant.getTrackPublication(Track.Source.Camera)?.track?.sender;
    const stats = await sender?.getStats();
    let local: string | null = null;
    let remote: string | null = null;
    const byId = new Map<string, Record<string, unknown>>();
    stats?.forEach((s: Record<string, unknown>) => byId.set(String(s.id), s));
    for (const s of byId.values()) {
      if (s.type !== 'transport') continue;
      local = typeof s.iceLocalUsernameFragment === 'string' ? s.iceLocalUsernameFragment : null;
      const pair = byId.get(String(s.selectedCandidatePairId));
      const candidate = pair ? byId.get(String(pair.remoteCandidateId)) : undefined;
      remote = typeof candidate?.usernameFragment === 'string' ? candidate.usernameFragment : null;
    }
    return { local, remote };
  },
  dataBytes: () => dataBytes,
  lastData: () => lastData,
};

Object.assign(window, { probe });
