// A track one participant publishes, and its fan-out to every participant subscribed to it.
// Simulcast publishers send up to three layers (rids q, h, f); each viewer receives the one layer it
// needs (layer-choice.ts: the smallest covering its tile, the best by default), switched on a
// keyframe so pictures never break.
import { TrackSource, TrackType, type TrackInfo } from '@livekit/protocol';
import {
  Vp8RtpPayload,
  type RtpPacket,
  type MediaStreamTrack,
  type RTCRtpHeaderExtensionParameters,
  type RTCRtpReceiver,
} from 'werift';
import { PASSED_THROUGH_EXTENSIONS, withExtensions, type SlotForwarder } from './forwarder.js';
import { BEST_LAYER, chooseLayer, type LayerWish } from './layer-choice.js';
/** A layer that has sent nothing for this long is considered gone (the publisher's encoder dropped it). */
const LAYER_SILENCE_MS = 1500;
/** How often a viewer still waiting for a keyframe (its first, or of the layer it switches to) asks the publisher again. */
const KEYFRAME_RETRY_MS = 1000;

interface Layer {
  track: MediaStreamTrack;
  /** Learnt from the packets: werift leaves `track.ssrc` unset for simulcast layers, which are named by rid. */
  ssrc: number | undefined;
  lastPacketAt: number;
  packets: number;
  stop: () => void;
}

/** One subscriber of this track: its receive slot, the layer it gets and the one it should get. */
interface Viewer {
  forwarder: SlotForwarder;
  wish: LayerWish;
  /** The layer being forwarded to it (undefined until its first keyframe). */
  current: string | undefined;
  /** The layer it should get; it switches on that layer's next keyframe. */
  target: string | undefined;
}

export interface PublishedTrackStats {
  sid: string;
  kind: 'audio' | 'video';
  source: string;
  muted: boolean;
  mid: string;
  /** The layers being forwarded to someone, e.g. "q,f". */
  activeLayer: string | undefined;
  layers: Array<{ rid: string; ssrc: number | undefined; packets: number; sinceLastPacketMs: number | null }>;
  viewers: number;
  /** Per viewer (session sid): the layer it gets and the one it is to get. */
  viewerLayers: Array<{ viewer: string; current: string | undefined; target: string | undefined }>;
  keyframes: number;
  keyframeRequests: number;
  sinceLastKeyframeMs: number | null;
}

export class PublishedTrack {
  private readonly layers = new Map<string, Layer>();
  /** By the viewer's session sid: a rejoin under the same identity is another viewer. */
  private readonly viewers = new Map<string, Viewer>();
  private receiver: RTCRtpReceiver | undefined;
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

  /** Milliseconds since any layer of this track last sent a packet; null before the first. */
  get sinceLastPacketMs(): number | null {
    let latest = 0;
    for (const layer of this.layers.values()) latest = Math.max(latest, layer.lastPacketAt);
    return latest > 0 ? Date.now() - latest : null;
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

  /**
   * The incoming stream a recorder takes: the lowest simulcast layer arriving (q, then h, then f),
   * or the only stream of a track without layers. A recording part is bound to one stream for its
   * whole length (werift's writer), and the lowest layer is the one a browser keeps sending when
   * CPU or bandwidth make it drop the others: with the best layer, parts lost their video after
   * two seconds on this loaded machine.
   */
  recordingSource(): { track: MediaStreamTrack; rid: string } | undefined {
    const alive = this.aliveRids();
    for (const rid of ['q', 'h', 'f', '']) {
      const layer = this.layers.get(rid);
      if (layer && alive.includes(rid)) return { track: layer.track, rid };
    }
    return undefined;
  }

  addViewer(viewerSid: string, forwarder: SlotForwarder, wish: LayerWish = BEST_LAYER): void {
    forwarder.carry(this.sid);
    const viewer: Viewer = { forwarder, wish, current: undefined, target: undefined };
    viewer.target = this.choose(wish);
    this.viewers.set(viewerSid, viewer);
    // A new viewer can only start decoding from a keyframe.
    this.requestKeyframe(viewer.target);
  }

  /** A viewer's new track settings: it moves to the layer they call for at that layer's next keyframe. */
  setWish(viewerSid: string, wish: LayerWish): void {
    const viewer = this.viewers.get(viewerSid);
    if (!viewer) return;
    viewer.wish = wish;
    this.retarget(viewer);
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

  /** The layer `viewerSid` receives now (undefined before its first keyframe). */
  layerOf(viewerSid: string): string | undefined {
    return this.viewers.get(viewerSid)?.current;
  }

  /**
   * Asks the publisher for a keyframe of `rid`, or of every layer someone receives or switches to
   * (a viewer's browser lost its picture: the request names the slot, not the layer).
   */
  requestKeyframe(rid?: string): void {
    if (this.kind !== 'video' || !this.receiver) return;
    this.lastKeyframeRequestAt = Date.now();
    this.keyframeRequests++;
    const rids = new Set<string>();
    if (rid !== undefined) rids.add(rid);
    else {
      for (const viewer of this.viewers.values()) {
        if (viewer.current !== undefined) rids.add(viewer.current);
        if (viewer.target !== undefined) rids.add(viewer.target);
      }
    }
    for (const each of rids) {
      const ssrc = this.layers.get(each)?.ssrc;
      if (ssrc !== undefined) void this.receiver.sendRtcpPLI(ssrc).catch(() => undefined);
    }
  }

  stats(): PublishedTrackStats {
    const now = Date.now();
    return {
      sid: this.sid,
      kind: this.kind,
      source: TrackSource[this.info.source],
      muted: this.info.muted,
      mid: this.info.mid,
      activeLayer: [...new Set([...this.viewers.values()].map((v) => v.current).filter((r) => r !== undefined))].sort().join(',') || undefined,
      layers: [...this.layers.entries()].map(([rid, layer]) => ({
        rid,
        ssrc: layer.ssrc,
        packets: layer.packets,
        sinceLastPacketMs: layer.lastPacketAt > 0 ? now - layer.lastPacketAt : null,
      })),
      viewers: this.viewers.size,
      viewerLayers: [...this.viewers.entries()].map(([viewer, v]) => ({ viewer, current: v.current, target: v.target })),
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
    const now = Date.now();
    const fresh = layer.lastPacketAt === 0 || now - layer.lastPacketAt > LAYER_SILENCE_MS;
    layer.lastPacketAt = now;
    layer.packets++;
    layer.ssrc = packet.header.ssrc;
    if (this.kind === 'audio') this.readAudioLevel(extensions);
    // A layer that starts (or comes back) may be what some viewer should have.
    if (fresh) for (const viewer of this.viewers.values()) this.retarget(viewer);
    if (this.viewers.size === 0) return;
    const keyframe = this.kind === 'video' && isKeyframe(packet);
    if (keyframe) {
      this.keyframes++;
      this.lastKeyframeAt = now;
    }
    let outgoing: RtpPacket | undefined;
    let waiting = false;
    for (const viewer of this.viewers.values()) {
      // Audio starts anywhere; video at a keyframe of the layer.
      if (viewer.target === rid && viewer.current !== rid && (keyframe || this.kind === 'audio')) {
        // The switch (the forwarder carries the numbering over from the old layer).
        viewer.current = rid;
      }
      if (viewer.current === rid) {
        outgoing ??= this.outgoing(packet);
        viewer.forwarder.forward(outgoing, keyframe, this);
      }
      waiting ||= viewer.current !== viewer.target || viewer.forwarder.waitingForKeyframe;
    }
    // A keyframe request can be lost, or answered before the viewer's browser was listening.
    if (waiting && now - this.lastKeyframeRequestAt > KEYFRAME_RETRY_MS) this.requestKeyframe();
  }

  /** The layers arriving now (all known ones before any has sent anything). */
  private aliveRids(): string[] {
    const now = Date.now();
    const alive = [...this.layers.entries()].filter(([, l]) => l.lastPacketAt > 0 && now - l.lastPacketAt < LAYER_SILENCE_MS).map(([rid]) => rid);
    return alive.length > 0 ? alive : [...this.layers.keys()];
  }

  private choose(wish: LayerWish): string | undefined {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the layers clients announce with addTrack
    return chooseLayer(this.aliveRids(), this.info.layers, wish);
  }

  private retarget(viewer: Viewer): void {
    const target = this.choose(viewer.wish);
    if (target === viewer.target) return;
    viewer.target = target;
    if (target !== undefined && target !== viewer.current) this.requestKeyframe(target);
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

  /** Viewers of a layer that went silent move to one still arriving. */
  private dropSilentLayer(): void {
    for (const viewer of this.viewers.values()) this.retarget(viewer);
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
