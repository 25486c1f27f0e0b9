// The subscribing side of one participant: which remote tracks it wants, which of its receive slots
// carries each one, and the keyframe requests its browser sends back. The server cannot offer in
// single-connection mode, so a new subscription asks the client for a fresh offer
// (`mediaSectionsRequirement`) and is placed in a slot when that offer is answered.
import { MediaSectionsRequirement, SubscriptionPermissionUpdate, type ParticipantPermission, type UpdateTrackSettings } from '@livekit/protocol';
import {
  PictureLossIndication,
  RtcpPayloadSpecificFeedback,
  type RTCDtlsTransport,
  type RTCPeerConnection,
  type RTCRtpTransceiver,
} from 'werift';
import type { ForwarderStats } from './forwarder.js';
import type { LayerWish } from './layer-choice.js';
import type { PublishedTrack } from './published-track.js';
import { receives, type MediaSection } from './sdp-sections.js';
import type { SignalResponseMessage } from './signal-codec.js';
import { SubscriptionSlots } from './subscription-slots.js';

export interface SlotStats extends ForwarderStats {
  /** The track the slot carries now, if any, and who publishes it. */
  trackSid: string | undefined;
  publisher: string | undefined;
  /** Whether packets of that track are being forwarded to this slot (false while paused or not yet answered). */
  forwarding: boolean;
}

/** What the subscriber needs from its session and, through it, from the room. */
export interface SubscriberHost {
  readonly identity: string;
  readonly sid: string;
  isClosed(): boolean;
  permission(): ParticipantPermission | undefined;
  send(message: SignalResponseMessage): void;
  trackBySid(sid: string): PublishedTrack | undefined;
  /** Whether the track's publisher lets this participant subscribe (its subscription permission). */
  maySubscribe(track: PublishedTrack): boolean;
}

export class Subscriber {
  private readonly slots = new SubscriptionSlots();
  /** Remote tracks this participant wants to receive, whether or not a slot carries them yet. */
  private readonly wanted = new Set<string>();
  private readonly paused = new Set<string>();
  /** What each subscribed video should look like here (track settings): it picks the simulcast layer. */
  private readonly wishes = new Map<string, LayerWish>();
  /** Tracks this participant asked for that their publisher does not let it have (yet). */
  private readonly denied = new Set<string>();
  private slotsRequested = false;
  private readonly watchedTransports = new Set<RTCDtlsTransport>();
  /** Viewers to start once the answer that places them has gone out. */
  private pendingStarts: Array<() => void> = [];

  constructor(
    private readonly host: SubscriberHost,
    private readonly pc: RTCPeerConnection,
    readonly autoSubscribe: boolean,
  ) {}

  /** A remote track was published or got media: subscribe when this participant subscribes automatically. */
  consider(track: PublishedTrack): void {
    if (!this.autoSubscribe) return;
    this.subscribe(track.sid);
  }

  subscribe(trackSid: string): void {
    if (!this.host.permission()?.canSubscribe) return;
    const track = this.host.trackBySid(trackSid);
    if (!track || track.publisherIdentity === this.host.identity) return;
    if (!this.host.maySubscribe(track)) {
      // Told, as LiveKit does, so the client shows the track as not allowed; it is subscribed
      // later if its publisher allows it.
      if (!this.denied.has(trackSid)) this.tellPermission(track, false);
      this.denied.add(trackSid);
      return;
    }
    this.wanted.add(trackSid);
    this.requestNegotiation();
  }

  /** The publisher of `tracks` changed who may subscribe: drop what is no longer allowed, take up what now is. */
  recheckPermissions(tracks: readonly PublishedTrack[]): void {
    for (const track of tracks) {
      const allowed = this.host.maySubscribe(track);
      if (!allowed && this.wanted.has(track.sid)) {
        this.unsubscribe(track.sid);
        this.denied.add(track.sid);
        this.tellPermission(track, false);
      } else if (allowed && this.denied.delete(track.sid)) {
        this.tellPermission(track, true);
        this.subscribe(track.sid);
      }
    }
  }

  unsubscribe(trackSid: string): void {
    this.denied.delete(trackSid);
    this.wishes.delete(trackSid);
    this.wanted.delete(trackSid);
    this.host.trackBySid(trackSid)?.removeViewer(this.host.sid);
    if (this.slots.release(trackSid)) this.requestNegotiation();
  }

  /** A subscriber that may no longer subscribe loses every subscription. */
  applyPermission(permission: ParticipantPermission): void {
    if (!permission.canSubscribe) for (const sid of [...this.wanted]) this.unsubscribe(sid);
  }

  applyTrackSettings(settings: UpdateTrackSettings): void {
    for (const sid of settings.trackSids) {
      const track = this.host.trackBySid(sid);
      // The size wished for is kept even before the track has a slot here: it is sent at that size from the start.
      const wish: LayerWish = { width: settings.width, height: settings.height, quality: settings.quality };
      if (!settings.disabled && track) this.wishes.set(sid, wish);
      const slot = this.slots.slotOf(sid);
      if (!track || !slot) continue;
      if (settings.disabled) {
        this.paused.add(sid);
        track.removeViewer(this.host.sid);
        continue;
      }
      if (this.paused.delete(sid)) track.addViewer(this.host.sid, slot.forwarder, wish);
      else track.setWish(this.host.sid, wish);
    }
  }

  /** A fresh offer is being answered: a subscription change from now on needs another one. */
  offerReceived(): void {
    this.slotsRequested = false;
  }

  /** Takes note of the receive slots in the client's offer (it adds some, takes some over to publish). */
  applyOffer(sections: readonly MediaSection[], transceivers: ReadonlyMap<string, RTCRtpTransceiver>): void {
    for (const section of sections) {
      if (section.kind === 'application') continue;
      const transceiver = transceivers.get(section.mid);
      if (!transceiver) continue;
      if (receives(section.direction) && section.port !== 0) {
        if (!this.slots.has(section.mid)) this.slots.add(section.mid, section.kind, transceiver);
      } else if (this.slots.has(section.mid)) {
        const lost = this.slots.forget(section.mid);
        if (lost) this.host.trackBySid(lost)?.removeViewer(this.host.sid);
      }
    }
  }

  /**
   * Places wanted tracks in free slots and sets each slot's direction and stream for the answer.
   * Returns the answer's `midToTrackId`; the viewers start with `answered()`, once the answer is out.
   */
  prepareAnswer(): Record<string, string> {
    this.placeWantedTracks();
    const midToTrackId: Record<string, string> = {};
    this.pendingStarts = [];
    for (const slot of this.slots.all()) {
      const track = slot.trackSid ? this.host.trackBySid(slot.trackSid) : undefined;
      if (!track) {
        slot.trackSid = undefined;
        slot.transceiver.direction = 'inactive';
        continue;
      }
      const sender = slot.transceiver.sender;
      sender.streamId = `${track.publisherSid}|${track.sid}`;
      (sender as { trackId: string }).trackId = track.sid;
      slot.transceiver.direction = 'sendonly';
      midToTrackId[slot.mid] = track.sid;
      if (!track.hasViewer(this.host.sid) && !this.paused.has(track.sid)) {
        this.pendingStarts.push(() => {
          track.addViewer(this.host.sid, slot.forwarder, this.wishes.get(track.sid));
        });
      }
    }
    return midToTrackId;
  }

  /** The answer went out: cooled slots may carry tracks again, placed viewers start receiving. */
  answered(): void {
    this.slots.settle();
    this.watchFeedback();
    const starts = this.pendingStarts;
    this.pendingStarts = [];
    for (const start of starts) start();
    const unplaced = this.unplacedWanted();
    if (unplaced.audio + unplaced.video > 0) this.requestNegotiation();
  }

  /** Per receive slot: what it carries and what went through it. */
  stats(): { wanted: string[]; slots: SlotStats[] } {
    return {
      wanted: [...this.wanted],
      slots: [...this.slots.all()].map((slot) => {
        const track = slot.trackSid ? this.host.trackBySid(slot.trackSid) : undefined;
        return {
          ...slot.forwarder.stats(),
          trackSid: slot.trackSid,
          publisher: track?.publisherIdentity,
          forwarding: track?.hasViewer(this.host.sid) ?? false,
        };
      }),
    };
  }

  /** The session ends: the tracks it views stop sending to it. */
  close(): void {
    for (const slot of this.slots.all()) {
      if (slot.trackSid) this.host.trackBySid(slot.trackSid)?.removeViewer(this.host.sid);
    }
    this.pendingStarts = [];
  }

  private tellPermission(track: PublishedTrack, allowed: boolean): void {
    this.host.send({
      case: 'subscriptionPermissionUpdate',
      value: new SubscriptionPermissionUpdate({ participantSid: track.publisherSid, trackSid: track.sid, allowed }),
    });
  }

  private requestNegotiation(): void {
    if (this.slotsRequested || this.host.isClosed()) return;
    this.slotsRequested = true;
    // Batch the subscription changes of one tick into one request for a fresh offer.
    queueMicrotask(() => {
      if (this.host.isClosed()) return;
      const need = this.slots.shortfall(this.unplacedWanted());
      this.host.send({
        case: 'mediaSectionsRequirement',
        value: new MediaSectionsRequirement({ numAudios: need.audio, numVideos: need.video }),
      });
    });
  }

  private unplacedWanted(): { audio: number; video: number } {
    const counts = { audio: 0, video: 0 };
    for (const sid of this.wanted) {
      if (this.slots.slotOf(sid)) continue;
      const track = this.host.trackBySid(sid);
      if (track) counts[track.kind]++;
    }
    return counts;
  }

  private placeWantedTracks(): void {
    for (const sid of this.wanted) {
      const track = this.host.trackBySid(sid);
      if (!track) {
        this.wanted.delete(sid);
        const slot = this.slots.release(sid);
        if (slot) slot.transceiver.direction = 'inactive';
        continue;
      }
      if (!this.slots.slotOf(sid)) this.slots.assign(sid, track.kind);
    }
    // A slot carrying a track nobody wants any more (unpublished, unsubscribed) goes quiet.
    for (const slot of this.slots.all()) {
      if (slot.trackSid && !this.wanted.has(slot.trackSid)) this.slots.release(slot.trackSid);
    }
  }

  /**
   * Keyframe requests from this participant's browser, sent to the publisher of the track concerned.
   * werift routes a PLI by its sender SSRC first, which Chrome sets to one of its own outgoing streams,
   * so the request would land on the wrong object; matching the media SSRC to our slots is exact.
   */
  private watchFeedback(): void {
    for (const transport of this.pc.dtlsTransports) {
      if (this.watchedTransports.has(transport)) continue;
      this.watchedTransports.add(transport);
      transport.onRtcp.subscribe((packet) => {
        if (packet.type !== RtcpPayloadSpecificFeedback.type) return;
        const feedback = packet.feedback;
        // Chrome asks for VP8 keyframes with PLI; FIR is not used for it.
        if (!(feedback instanceof PictureLossIndication)) return;
        const mediaSsrc = feedback.mediaSsrc;
        for (const slot of this.slots.all()) {
          if (slot.trackSid && slot.transceiver.sender.ssrc === mediaSsrc) {
            this.host.trackBySid(slot.trackSid)?.requestKeyframe();
          }
        }
      });
    }
  }
}
