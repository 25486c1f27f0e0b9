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

export class DataChannels {
  private readonly channels = new Map<DataPacket_Kind, RTCDataChannel>();
  private readonly packets = new TokenBucket(DATA_RATE.burst, DATA_RATE.perSecond);
  private readonly bytes = new TokenBucket(DATA_BYTE_RATE.burst, DATA_BYTE_RATE.perSecond);
  private dropping = false;

  constructor(private readonly host: DataChannelsHost) {}

  adopt(channel: RTCDataChannel): void {
    const kind =
      channel.label === '_reliable' ? DataPacket_Kind.RELIABLE : channel.label === '_lossy' ? DataPacket_Kind.LOSSY : undefined;
    if (kind === undefined) return;
    this.channels.set(kind, channel);
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

  /** Delivers a data packet on this participant's channel of the same kind. */
  deliver(bytes: Uint8Array, kind: DataPacket_Kind): void {
    const channel = this.channels.get(kind) ?? this.channels.get(DataPacket_Kind.RELIABLE);
    if (channel?.readyState !== 'open') return;
    channel.send(Buffer.from(bytes));
  }

  close(): void {
    this.channels.clear();
  }
}
