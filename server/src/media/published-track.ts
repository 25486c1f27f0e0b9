// A track one participant publishes, and its fan-out to every participant subscribed to it.
// Simulcast publishers send up to three layers (rids q, h, f); each viewer receives one layer, the
// best one arriving, switched on a keyframe so pictures never break.
import { TrackType, type TrackInfo } from '@livekit/protocol';
import { Vp8RtpPayload, type MediaStreamTrack, type RTCRtpReceiver, type RTCRtpSender, type RtpPacket } from 'werift';

const LAYER_RANK: Record<string, number> = { '': 0, q: 1, h: 2, f: 3 };
/** A layer that has sent nothing for this long is considered gone (the publisher's encoder dropped it). */
const LAYER_SILENCE_MS = 1500;

interface Layer {
  track: MediaStreamTrack;
  /** Learnt from the packets: werift leaves `track.ssrc` unset for simulcast layers, which are named by rid. */
  ssrc: number | undefined;
  lastPacketAt: number;
  stop: () => void;
}


export class PublishedTrack {
  private readonly layers = new Map<string, Layer>();
  private readonly viewers = new Map<string, RTCRtpSender>();
  private receiver: RTCRtpReceiver | undefined;
  private activeRid: string | undefined;
  private pendingRid: string | undefined;
  private readonly healthTimer: NodeJS.Timeout;

  constructor(
    readonly info: TrackInfo,
    readonly publisherIdentity: string,
    readonly publisherSid: string,
    /** The client's own id for the track (the msid track id in its SDP). */
    readonly cid: string,
    private readonly onAudioLevel: (level: number) => void,
  ) {
    this.healthTimer = setInterval(() => {
      this.dropSilentLayer();
    }, LAYER_SILENCE_MS);
    this.healthTimer.unref();
  }

  get sid(): string {
    return this.info.sid;
  }

  get kind(): 'audio' | 'video' {
    return this.info.type === TrackType.VIDEO ? 'video' : 'audio';
  }

  get hasMedia(): boolean {
    return this.layers.size > 0;
  }

  /** Called for each incoming RTP stream of this track: one, or one per simulcast layer. */
  /** Returns whether this was a new source. */
  attachSource(track: MediaStreamTrack, receiver: RTCRtpReceiver): boolean {
    const rid = track.rid ?? '';
    if (this.layers.has(rid)) return false;
    this.receiver = receiver;
    const { unSubscribe } = track.onReceiveRtp.subscribe((packet, extensions) => {
      this.onPacket(rid, packet, extensions);
    });
    this.layers.set(rid, { track, ssrc: track.ssrc, lastPacketAt: 0, stop: unSubscribe });
    return true;
  }

  addViewer(identity: string, sender: RTCRtpSender): void {
    this.viewers.set(identity, sender);
    // A new viewer can only start decoding from a keyframe.
    this.requestKeyframe();
  }

  removeViewer(identity: string): void {
    this.viewers.delete(identity);
  }

  viewerIdentities(): string[] {
    return [...this.viewers.keys()];
  }

  requestKeyframe(): void {
    if (this.kind !== 'video') return;
    const rid = this.pendingRid ?? this.activeRid;
    const ssrc = rid === undefined ? undefined : this.layers.get(rid)?.ssrc;
    if (ssrc !== undefined && this.receiver) void this.receiver.sendRtcpPLI(ssrc).catch(() => undefined);
  }

  close(): void {
    clearInterval(this.healthTimer);
    for (const layer of this.layers.values()) layer.stop();
    this.layers.clear();
    this.viewers.clear();
  }

  private onPacket(rid: string, packet: RtpPacket, extensions: Record<string, unknown> | undefined): void {
    const layer = this.layers.get(rid);
    if (!layer) return;
    layer.lastPacketAt = Date.now();
    layer.ssrc = packet.header.ssrc;
    if (this.kind === 'audio') this.readAudioLevel(extensions);
    this.considerLayer(rid, packet);
    if (rid !== this.activeRid) return;
    for (const sender of this.viewers.values()) {
      // werift's sender copies the packet before rewriting its header, so sharing it is safe.
      void sender.sendRtp(packet).catch(() => undefined);
    }
  }

  private considerLayer(rid: string, packet: RtpPacket): void {
    if (this.activeRid === undefined) {
      this.activeRid = rid;
      return;
    }
    if (rid === this.activeRid) return;
    const better = (LAYER_RANK[rid] ?? 0) > (LAYER_RANK[this.activeRid] ?? 0);
    if (better && this.pendingRid === undefined) {
      this.pendingRid = rid;
      this.requestKeyframe();
    }
    if (rid === this.pendingRid && isKeyframe(packet)) this.switchTo(rid, packet);
  }

  private switchTo(rid: string, packet: RtpPacket): void {
    this.activeRid = rid;
    this.pendingRid = undefined;
    for (const sender of this.viewers.values()) sender.replaceRTP(packet.header);
  }

  private dropSilentLayer(): void {
    if (this.activeRid === undefined) return;
    const now = Date.now();
    const active = this.layers.get(this.activeRid);
    if (!active || now - active.lastPacketAt < LAYER_SILENCE_MS) return;
    const alive = [...this.layers.entries()]
      .filter(([, layer]) => now - layer.lastPacketAt < LAYER_SILENCE_MS)
      .sort(([a], [b]) => (LAYER_RANK[b] ?? 0) - (LAYER_RANK[a] ?? 0));
    const next = alive[0]?.[0];
    if (next === undefined) return;
    this.pendingRid = next;
    this.requestKeyframe();
  }

  private readAudioLevel(extensions: Record<string, unknown> | undefined): void {
    const value = extensions?.['urn:ietf:params:rtp-hdrext:ssrc-audio-level'] as { level?: number } | undefined;
    if (typeof value?.level === 'number') this.onAudioLevel(value.level);
  }
}

function isKeyframe(packet: RtpPacket): boolean {
  try {
    return Vp8RtpPayload.deSerialize(packet.payload).isKeyframe;
  } catch {
    return false;
  }
}
