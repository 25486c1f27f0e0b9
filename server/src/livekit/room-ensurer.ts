import { LRUCache } from 'lru-cache';
import type { RoomService } from './room-service.js';

/**
 * Makes sure a meeting's room exists in LiveKit before a token for it goes out. LiveKit should run
 * with `room.auto_create: false`, so a token of an ended meeting cannot bring its room back; then
 * this server is the one that creates rooms. CreateRoom is idempotent, but one call per join would
 * cost a round trip each: an instance remembers the rooms it ensured for a short while, and forgets
 * one at once when it hears the room finished or ends it itself. Another instance's memory can be
 * out of date for at most `rememberMs` after a room closes: its next tokens then fail to connect
 * and the widget joins again.
 */
export class RoomEnsurer {
  private readonly ensured: LRUCache<string, true>;
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly rooms: Pick<RoomService, 'createRoom'>,
    options: { rememberMs?: number; maxRooms?: number } = {},
  ) {
    this.ensured = new LRUCache({ max: options.maxRooms ?? 10_000, ttl: options.rememberMs ?? 10_000 });
  }

  async ensure(roomName: string): Promise<void> {
    if (this.ensured.has(roomName)) return;
    // Joins to one room arriving together share one CreateRoom.
    let call = this.pending.get(roomName);
    if (call === undefined) {
      call = this.rooms.createRoom(roomName).then(() => {
        this.ensured.set(roomName, true);
      });
      const settled = call.finally(() => {
        this.pending.delete(roomName);
      });
      settled.catch(() => undefined);
      this.pending.set(roomName, call);
    }
    await call;
  }

  /** The room finished or was deleted: create it again before its next token. */
  forget(roomName: string): void {
    this.ensured.delete(roomName);
  }
}

/** For a LiveKit that creates rooms itself (auto_create on): nothing to do. */
export const roomsCreatedByLiveKit: Pick<RoomEnsurer, 'ensure' | 'forget'> = {
  ensure: () => Promise.resolve(),
  forget: () => undefined,
};
