// The data channels a participant's client opens (`_reliable`, `_lossy`): packets it sends there go
// to the room, packets for it come back on the channel of the same kind.
import { DataPacket, DataPacket_Kind, type ParticipantPermission } from '@livekit/protocol';
import type { RTCDataChannel } from 'werift';
import { DATA_BYTE_RATE, DATA_RATE, TokenBucket } from './limits.js';

export interface DataChannelsHost {
  permission(): ParticipantPermission | undefined;
  relay(packet: DataPacket, kind: DataPacket_Kind): void;
  /** Packets were dropped for going past the data rate (called once per burst of drops). */
  throttled(): void;
}

/** Packets held for a participant whose data channel is not open yet (it joined a moment ago). */
const PENDING_MAX_PACKETS = 64;
const PENDING_MAX_BYTES = 256 * 1024;

export class DataChannels {
  private readonly channels = new Map<DataPacket_Kind, RTCDataChannel>();
  private pending: Array<{ bytes: Uint8Array; kind: DataPacket_Kind }> = [];
  private pendingBytes = 0;
  private readonly packets = new TokenBucket(DATA_RATE.burst, DATA_RATE.perSecond);
  private readonly bytes = new TokenBucket(DATA_BYTE_RATE.burst, DATA_BYTE_RATE.perSecond);
  private dropping = false;

  constructor(private readonly host: DataChannelsHost) {}

  adopt(channel: RTCDataChannel): void {
    const kind =
      channel.label === '_reliable' ? DataPacket_Kind.RELIABLE : channel.label === '_lossy' ? DataPacket_Kind.LOSSY : undefined;
    if (kind === undefined) return;
    this.channels.set(kind, channel);
    if (channel.readyState === 'open') this.flush();
    else
      channel.stateChanged.subscribe((state) => {
        if (state === 'open') this.flush();
      });
    channel.onMessage.subscribe((data) => {
      if (typeof data === 'string') return;
      if (!this.packets.take() || !this.bytes.take(data.byteLength)) {
        if (!this.dropping) this.host.throttled();
        this.dropping = true;
        return;
      }
      this.dropping = false;
      let packet: DataPacket;
      try {
        packet = DataPacket.fromBinary(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      } catch {
        return;
      }
      if (!this.host.permission()?.canPublishData) return;
      this.host.relay(packet, kind);
    });
  }

  /**
   * Delivers a data packet on this participant's channel of the same kind. Until the participant's
   * channel is open (a client that just connected), packets wait, within a bound, and go out in
   * order when it opens: a message sent to someone who joined a moment ago still reaches them.
   */
  deliver(bytes: Uint8Array, kind: DataPacket_Kind): void {
    const channel = this.openChannel(kind);
    if (channel !== undefined && this.pending.length === 0) {
      channel.send(Buffer.from(bytes));
      return;
    }
    if (this.pending.length >= PENDING_MAX_PACKETS || this.pendingBytes + bytes.byteLength > PENDING_MAX_BYTES) return;
    this.pending.push({ bytes, kind });
    this.pendingBytes += bytes.byteLength;
    if (channel !== undefined) this.flush();
  }

  /** The open channel of that kind, else the open reliable one. */
  private openChannel(kind: DataPacket_Kind): RTCDataChannel | undefined {
    for (const channel of [this.channels.get(kind), this.channels.get(DataPacket_Kind.RELIABLE)]) {
      if (channel?.readyState === 'open') return channel;
    }
    return undefined;
  }

  private flush(): void {
    const waiting = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    for (const { bytes, kind } of waiting) {
      const channel = this.openChannel(kind);
      if (channel === undefined) {
        this.pending.push({ bytes, kind });
        this.pendingBytes += bytes.byteLength;
        continue;
      }
      channel.send(Buffer.from(bytes));
    }
  }

  close(): void {
    this.channels.clear();
    this.pending = [];
    this.pendingBytes = 0;
  }
}
