// A recorder of what the embedded media server delivers to one room, with waiters: the real
// delivery path is observed (each packet still goes on to the room's sessions), never replaced.
// The breakout and poll suites read different topics and keep different things of each packet;
// `read` says what to keep (undefined: not a packet this recorder is about).
import type { DataPacket, DataPacket_Kind } from '@livekit/protocol';
import type { MediaServer } from '../../../server/src/media/media-server.js';
import type { Room } from '../../../server/src/media/room.js';

/** One delivery as the room was asked to make it, and the room, to see who was there to receive it. */
export interface Delivery {
  packet: DataPacket;
  /** The packet's user payload read as text, and its topic ('' when it has none); only user packets are offered. */
  topic: string;
  text: string;
  kind: DataPacket_Kind;
  destinations: readonly string[];
  exceptIdentity: string | undefined;
  room: Room;
}

export interface RoomDeliveries<T> {
  /** What was kept of every matching delivery so far, in order. */
  readonly items: T[];
  /** Resolves with the first item (already delivered or still to come) that matches; rejects after `timeoutMs`. */
  next(match: (item: T) => boolean, timeoutMs?: number): Promise<T>;
  stop(): void;
}

/**
 * Records what the media server delivers to `roomName` (the room is created if needed). `describe`
 * says what was seen when a wait times out.
 */
export function recordRoomDeliveries<T>(
  media: MediaServer,
  roomName: string,
  read: (delivery: Delivery) => T | undefined,
  describe: (items: readonly T[]) => string = (items) => JSON.stringify(items),
): RoomDeliveries<T> {
  const room = media.registry.ensure(roomName);
  const items: T[] = [];
  const waiters = new Set<() => void>();
  const original = room.deliver.bind(room);
  room.deliver = (packet, kind, destinations, exceptIdentity) => {
    if (packet.value.case === 'user') {
      const user = packet.value.value;
      const item = read({ packet, topic: user.topic ?? '', text: new TextDecoder().decode(user.payload), kind, destinations, exceptIdentity, room });
      if (item !== undefined) {
        items.push(item);
        for (const wake of [...waiters]) wake();
      }
    }
    original(packet, kind, destinations, exceptIdentity);
  };
  return {
    items,
    async next(match, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = items.find(match);
        if (found !== undefined) return found;
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new Error(`no matching delivery in ${roomName} within ${String(timeoutMs)} ms; got ${describe(items)}`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            waiters.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, remaining);
          waiters.add(wake);
        });
      }
    },
    stop() {
      room.deliver = original;
    },
  };
}
