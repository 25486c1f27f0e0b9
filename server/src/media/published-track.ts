// A track one participant publishes, and its fan-out to every participant subscribed to it.
// Simulcast publishers send up to three layers (rids q, h, f); each viewer receives one layer, the
// best one arriving, switched on a keyframe so pictures never break.
import { TrackSource, TrackType, type TrackInfo } from '@livekit/protocol';
import {
  Vp8RtpPayload,
  type RtpPacket,
  type MediaStreamTrack,
  type RTCRtpHeaderExtensionParameters,
  type RTCRtpReceiver,
} from 'werift';
import { PASSED_THROUGH_EXTENSIONS, withExtensions, type SlotForwarder } from './forwarder.js';

const LAYER_RANK: Record<string, number> = { '': 0, q: 1, h: 2, f: 3 };
/** A layer that has sent nothing for this long is considered gone (the publisher's encoder dropped it). */
const LAYER_SILENCE_MS = 1500;
/** How often a viewer still waiting for its first keyframe asks the publisher again. */
const KEYFRAME_RETRY_MS = 1000;

interface Layer {
  track: MediaStreamTrack;
  /** Learnt from the packets: werift leaves `track.ssrc` unset for simulcast layers, which are named by rid. */
  ssrc: number | undefined;
  lastPacketAt: number;
  packets: number;
  stop: () => void;
}

export interface PublishedTrackStats {
  sid: string;
  kind: 'audio' | 'video';
  source: string;
  muted: boolean;
  mid: string;
  activeLayer: string | undefined;
  layers: Array<{ rid: string; ssrc: number | undefined; packets: number; sinceLastPacketMs: number | null }>;
  viewers: number;
  keyframes: number;
  keyframeRequests: number;
  sinceLastKeyframeMs: number | null;
}

export class PublishedTrack {
  private readonly layers = new Map<string, Layer>();
  /** By the viewer's session sid: a rejoin under the same identity is another viewer. */
  private readonly viewers = new Map<string, SlotForwarder>();
  private receiver: RTCRtpReceiver | undefined;
  private activeRid: string | undefined;
  private pendingRid: string | undefined;
  private readonly healthTimer: NodeJS.Timeout;
  private lastKeyframeRequestAt = 0;
  private keyframes = 0;
  private keyframeRequests = 0;
  private lastKeyframeAt = 0;
  /** The publisher's header extension ids that are passed on to viewers, by id. */
  private passedExtensionIds = new Map<number, string>();

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

  /** The header extensions negotiated on the publisher's section for this track. */
  setExtensions(extensions: readonly RTCRtpHeaderExtensionParameters[]): void {
    this.passedExtensionIds = new Map(extensions.filter((e) => PASSED_THROUGH_EXTENSIONS.includes(e.uri)).map((e) => [e.id, e.uri]));
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
    this.layers.set(rid, { track, ssrc: track.ssrc, lastPacketAt: 0, packets: 0, stop: unSubscribe });
    return true;
  }

  addViewer(viewerSid: string, forwarder: SlotForwarder): void {
    forwarder.carry(this.sid);
    this.viewers.set(viewerSid, forwarder);
    // A new viewer can only start decoding from a keyframe.
    this.requestKeyframe();
  }

  removeViewer(viewerSid: string): void {
    this.viewers.delete(viewerSid);
  }

  hasViewer(viewerSid: string): boolean {
    return this.viewers.has(viewerSid);
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  requestKeyframe(): void {
    if (this.kind !== 'video') return;
    this.lastKeyframeRequestAt = Date.now();
    this.keyframeRequests++;
    const rid = this.pendingRid ?? this.activeRid;
    const ssrc = rid === undefined ? undefined : this.layers.get(rid)?.ssrc;
    if (ssrc !== undefined && this.receiver) void this.receiver.sendRtcpPLI(ssrc).catch(() => undefined);
  }

  stats(): PublishedTrackStats {
    const now = Date.now();
    return {
      sid: this.sid,
      kind: this.kind,
      source: TrackSource[this.info.source],
      muted: this.info.muted,
      mid: this.info.mid,
      activeLayer: this.activeRid,
      layers: [...this.layers.entries()].map(([rid, layer]) => ({
        rid,
        ssrc: layer.ssrc,
        packets: layer.packets,
        sinceLastPacketMs: layer.lastPacketAt > 0 ? now - layer.lastPacketAt : null,
      })),
      viewers: this.viewers.size,
      keyframes: this.keyframes,
      keyframeRequests: this.keyframeRequests,
      sinceLastKeyframeMs: this.lastKeyframeAt > 0 ? now - this.lastKeyframeAt : null,
    };
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
    layer.packets++;
    layer.ssrc = packet.header.ssrc;
    if (this.kind === 'audio') this.readAudioLevel(extensions);
    const keyframe = this.kind === 'video' && isKeyframe(packet);
    this.considerLayer(rid, packet, keyframe);
    if (rid !== this.activeRid) return;
    if (keyframe) {
      this.keyframes++;
      this.lastKeyframeAt = layer.lastPacketAt;
    }
    if (this.viewers.size === 0) return;
    const outgoing = this.outgoing(packet);
    let waiting = false;
    for (const forwarder of this.viewers.values()) {
      forwarder.forward(outgoing, keyframe, this);
      waiting ||= forwarder.waitingForKeyframe;
    }
    // A keyframe request can be lost, or answered before the viewer's browser was listening.
    if (waiting && Date.now() - this.lastKeyframeRequestAt > KEYFRAME_RETRY_MS) this.requestKeyframe();
  }

  /**
   * The packet as viewers get it: without the publisher's own MID and RID header extensions. werift's
   * sender writes the viewer's MID but then copies the packet's extensions over its own when their
   * ids match, so the publisher's MID reached the viewer's browser, which demultiplexes BUNDLE by MID
   * first and dropped the packets, or handed them to one of its own sections (issue 19).
   */
  private outgoing(packet: RtpPacket): RtpPacket {
    const kept = packet.header.extensions.filter((e) => this.passedExtensionIds.has(e.id));
    return withExtensions(packet, kept);
  }

  /** The URI of a passed-through extension id of the publisher's. */
  extensionUri(id: number): string | undefined {
    return this.passedExtensionIds.get(id);
  }

  private considerLayer(rid: string, packet: RtpPacket, keyframe: boolean): void {
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
    if (rid === this.pendingRid && keyframe) this.switchTo(rid, packet);
  }

  private switchTo(rid: string, packet: RtpPacket): void {
    this.activeRid = rid;
    this.pendingRid = undefined;
    for (const forwarder of this.viewers.values()) forwarder.switchLayer(packet.header);
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
