// What one receive slot of a subscriber forwards: the RTP of whichever remote track the slot
// carries now. A slot outlives the tracks it carries (the browser's transceiver is reused after
// someone leaves or unsubscribes) and the browser sees one RTP stream per slot, under one SSRC for
// the slot's whole life. So when the slot starts carrying another source, its sequence numbers and
// timestamps must go on from where the previous source stopped: passed through as the new publisher
// numbers them, they land anywhere in the 16-bit sequence space, and when they land "behind" the
// last packets of the previous source the browser drops them all as old, and the tile stays black
// (issue 19). A new source also starts at a keyframe: its delta frames mean nothing to the decoder.
import { RtpHeader, RtpPacket, type RTCRtpTransceiver } from 'werift';

const CLOCK_RATE = { audio: 48_000, video: 90_000 } as const;

/**
 * Header extensions that travel from publisher to viewer (under the viewer's id for them). The rest
 * describe the publisher's own connection (its MID, its simulcast RIDs) and must not reach a viewer.
 */
export const PASSED_THROUGH_EXTENSIONS: readonly string[] = ['urn:ietf:params:rtp-hdrext:ssrc-audio-level'];

/** A copy of `packet` with other header extensions; the payload is shared. */
export function withExtensions(packet: RtpPacket, extensions: RtpHeader['extensions']): RtpPacket {
  // RtpHeader's constructor copies the fields it is given: werift's own RtpPacket.clone() does this.
  // eslint-disable-next-line @typescript-eslint/no-misused-spread
  return new RtpPacket(new RtpHeader({ ...packet.header, extensions }), packet.payload);
}

/** Names a publisher's header extension id by its URI. */
export interface ExtensionSource {
  extensionUri(id: number): string | undefined;
}

export interface ForwarderStats {
  mid: string;
  kind: 'audio' | 'video';
  /** The track whose packets this slot forwarded last. */
  lastSource: string | undefined;
  ssrc: number;
  packets: number;
  bytes: number;
  keyframes: number;
  /** Packets of the current source not sent because no keyframe had come yet. */
  awaitingKeyframe: boolean;
  droppedBeforeKeyframe: number;
  /** Milliseconds since the last packet / keyframe went out, or null when none has. */
  sinceLastPacketMs: number | null;
  sinceLastKeyframeMs: number | null;
}

export class SlotForwarder {
  private source: string | undefined;
  private awaitingKeyframe = false;
  private continuityPending = false;
  /** The SSRC of the last packet forwarded: another one from the same source is another simulcast layer. */
  private lastInputSsrc: number | undefined;
  private packets = 0;
  private bytes = 0;
  private keyframes = 0;
  private droppedBeforeKeyframe = 0;
  private lastPacketAt = 0;
  private lastKeyframeAt = 0;

  constructor(
    readonly mid: string,
    readonly kind: 'audio' | 'video',
    private readonly transceiver: RTCRtpTransceiver,
  ) {}

  private get sender(): RTCRtpTransceiver['sender'] {
    return this.transceiver.sender;
  }

  get waitingForKeyframe(): boolean {
    return this.awaitingKeyframe;
  }

  /** The slot (re)starts forwarding `trackSid`: a new source continues the slot's numbering. */
  carry(trackSid: string): void {
    if (this.source !== undefined && this.source !== trackSid && this.packets > 0) this.continuityPending = true;
    this.source = trackSid;
    // A video that starts, or resumes after a pause, can only be decoded from a keyframe.
    this.awaitingKeyframe = this.kind === 'video';
    this.droppedBeforeKeyframe = 0;
  }

  /** `keyframe`: the packet starts a keyframe (always false for audio). */
  forward(packet: RtpPacket, keyframe: boolean, source: ExtensionSource): void {
    const now = Date.now();
    if (this.awaitingKeyframe) {
      if (!keyframe) {
        this.droppedBeforeKeyframe++;
        return;
      }
      this.awaitingKeyframe = false;
    }
    if (keyframe) {
      this.keyframes++;
      this.lastKeyframeAt = now;
    }
    if (this.continuityPending) {
      this.continuityPending = false;
      // The timestamp advances by the time the slot was silent, so the browser's playout clock
      // sees a pause, not a burst of late frames.
      const silentMs = this.lastPacketAt > 0 ? now - this.lastPacketAt : 0;
      const step = Math.max(1, Math.round((silentMs * CLOCK_RATE[this.kind]) / 1000));
      this.sender.replaceRTP(packet.header, false, step);
    } else if (this.lastInputSsrc !== undefined && packet.header.ssrc !== this.lastInputSsrc) {
      // Another layer of the same track (a switch, or the viewer came back on another layer): its
      // numbering continues from the last layer's, or the browser drops its packets as old.
      this.sender.replaceRTP(packet.header);
    }
    this.lastInputSsrc = packet.header.ssrc;
    this.packets++;
    this.bytes += packet.payload.length;
    this.lastPacketAt = now;
    // werift's sender copies the packet before rewriting its header, so sharing it is safe.
    void this.sender.sendRtp(this.withViewerExtensionIds(packet, source)).catch(() => undefined);
  }

  /** The same packet when both sides negotiated the same ids (the usual case), else a copy re-labelled. */
  private withViewerExtensionIds(packet: RtpPacket, source: ExtensionSource): RtpPacket {
    const extensions = packet.header.extensions;
    if (extensions.length === 0) return packet;
    let same = true;
    const relabelled: RtpHeader['extensions'] = [];
    for (const extension of extensions) {
      const uri = source.extensionUri(extension.id);
      const id = this.transceiver.headerExtensions.find((h) => h.uri === uri)?.id;
      if (id === undefined) {
        same = false;
        continue;
      }
      if (id !== extension.id) same = false;
      relabelled.push({ id, payload: extension.payload });
    }
    return same ? packet : withExtensions(packet, relabelled);
  }

  stats(): ForwarderStats {
    const now = Date.now();
    return {
      mid: this.mid,
      kind: this.kind,
      lastSource: this.source,
      ssrc: this.sender.ssrc,
      packets: this.packets,
      bytes: this.bytes,
      keyframes: this.keyframes,
      awaitingKeyframe: this.awaitingKeyframe,
      droppedBeforeKeyframe: this.droppedBeforeKeyframe,
      sinceLastPacketMs: this.lastPacketAt > 0 ? now - this.lastPacketAt : null,
      sinceLastKeyframeMs: this.lastKeyframeAt > 0 ? now - this.lastKeyframeAt : null,
    };
  }
}
