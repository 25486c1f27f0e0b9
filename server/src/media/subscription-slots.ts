// The receive slots a participant's peer connection offers, and which remote track each one carries.
// The server cannot send an offer in single-connection mode, so a track can only reach a participant
// through a slot the participant's own offer created; `plan` says how many more slots to ask for.
import type { RTCRtpTransceiver } from 'werift';
import { SlotForwarder } from './forwarder.js';

export interface Slot {
  mid: string;
  kind: 'audio' | 'video';
  transceiver: RTCRtpTransceiver;
  /** Sends whatever the slot carries, keeping one continuous RTP stream across the tracks it carries. */
  forwarder: SlotForwarder;
  trackSid: string | undefined;
  /**
   * A slot whose track just ended must be answered `inactive` once before it carries another track:
   * the browser only announces a new remote track when a slot's direction starts including "send".
   */
  cooling: boolean;
}

export class SubscriptionSlots {
  private readonly slots = new Map<string, Slot>();

  has(mid: string): boolean {
    return this.slots.has(mid);
  }

  add(mid: string, kind: 'audio' | 'video', transceiver: RTCRtpTransceiver): void {
    const forwarder = new SlotForwarder(mid, kind, transceiver);
    this.slots.set(mid, { mid, kind, transceiver, forwarder, trackSid: undefined, cooling: false });
  }

  /** A slot the client no longer offers for receiving (it took it over for publishing, or closed it). */
  forget(mid: string): string | undefined {
    const slot = this.slots.get(mid);
    this.slots.delete(mid);
    return slot?.trackSid;
  }

  slotOf(trackSid: string): Slot | undefined {
    for (const slot of this.slots.values()) if (slot.trackSid === trackSid) return slot;
    return undefined;
  }

  /** Takes a free slot of `kind` for `trackSid`, or returns undefined when none is free. */
  assign(trackSid: string, kind: 'audio' | 'video'): Slot | undefined {
    for (const slot of this.slots.values()) {
      if (slot.kind === kind && slot.trackSid === undefined && !slot.cooling) {
        slot.trackSid = trackSid;
        return slot;
      }
    }
    return undefined;
  }

  release(trackSid: string): Slot | undefined {
    const slot = this.slotOf(trackSid);
    if (!slot) return undefined;
    slot.trackSid = undefined;
    slot.cooling = true;
    return slot;
  }

  /** After an answer went out, every cooling slot has been seen inactive and may be reused. */
  settle(): void {
    for (const slot of this.slots.values()) slot.cooling = false;
  }

  all(): IterableIterator<Slot> {
    return this.slots.values();
  }

  /** How many new slots of each kind the client must add so that `wanted` tracks all get one. */
  shortfall(wanted: { audio: number; video: number }): { audio: number; video: number } {
    let freeAudio = 0;
    let freeVideo = 0;
    for (const slot of this.slots.values()) {
      if (slot.trackSid !== undefined) continue;
      if (slot.kind === 'audio') freeAudio++;
      else freeVideo++;
    }
    return { audio: Math.max(0, wanted.audio - freeAudio), video: Math.max(0, wanted.video - freeVideo) };
  }
}
