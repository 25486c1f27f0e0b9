// The rooms of one media server, created on first join (or by CreateRoom) and closed when they have
// been empty for their timeout.
import { DisconnectReason, type ParticipantInfo } from '@livekit/protocol';
import { Room, type RoomEvents } from './room.js';
import type { PublishedTrack } from './published-track.js';

export interface RoomOptions {
  maxParticipants?: number | undefined;
  metadata?: string | undefined;
  emptyTimeout?: number | undefined;
  departureTimeout?: number | undefined;
}

export interface RegistryListener {
  roomStarted(room: Room): void;
  roomFinished(room: Room): void;
  participantJoined(room: Room, participant: ParticipantInfo): void;
  participantLeft(room: Room, participant: ParticipantInfo): void;
  trackPublished(room: Room, participant: ParticipantInfo, track: PublishedTrack): void;
  trackUnpublished(room: Room, participant: ParticipantInfo, track: PublishedTrack): void;
}

export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly closeTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly listener: RegistryListener,
    private readonly defaults: { departureTimeoutS: number; autoCreate: boolean },
  ) {}

  /** Whether a join may create the room it names (LiveKit's `room.auto_create`). */
  get autoCreate(): boolean {
    return this.defaults.autoCreate;
  }

  /** The room a join goes into: the existing one, or a new one when rooms are created on join. */
  forJoin(name: string): Room | undefined {
    const existing = this.rooms.get(name);
    if (existing) return existing;
    return this.defaults.autoCreate ? this.ensure(name) : undefined;
  }

  get(name: string): Room | undefined {
    return this.rooms.get(name);
  }

  all(): Room[] {
    return [...this.rooms.values()];
  }

  /** The room named `name`, created with `options` if it does not exist (CreateRoom is idempotent, as in LiveKit). */
  ensure(name: string, options: RoomOptions = {}): Room {
    const existing = this.rooms.get(name);
    if (existing) {
      // Asked for again while empty: it waits for its first participant anew.
      if (existing.size === 0) this.scheduleClose(existing, existing.info.emptyTimeout);
      return existing;
    }
    const events: RoomEvents = {
      participantJoined: (room, p) => {
        this.cancelClose(room.name);
        this.listener.participantJoined(room, p);
      },
      participantLeft: (room, p) => {
        this.listener.participantLeft(room, p);
      },
      trackPublished: (room, p, t) => {
        this.listener.trackPublished(room, p, t);
      },
      trackUnpublished: (room, p, t) => {
        this.listener.trackUnpublished(room, p, t);
      },
      roomEmpty: (room) => {
        this.scheduleClose(room, room.info.departureTimeout);
      },
    };
    const room = new Room(name, events, {
      maxParticipants: options.maxParticipants,
      metadata: options.metadata,
      emptyTimeout: options.emptyTimeout,
      departureTimeout: options.departureTimeout ?? this.defaults.departureTimeoutS,
    });
    this.rooms.set(name, room);
    this.listener.roomStarted(room);
    // A room created through the API that nobody joins closes after its empty timeout.
    this.scheduleClose(room, room.info.emptyTimeout);
    return room;
  }

  delete(name: string, reason: DisconnectReason): void {
    const room = this.rooms.get(name);
    if (!room) return;
    this.cancelClose(name);
    this.rooms.delete(name);
    for (const session of room.participants()) session.close(reason, true);
    room.close();
    this.listener.roomFinished(room);
  }

  closeAll(): void {
    for (const name of [...this.rooms.keys()]) this.delete(name, DisconnectReason.SERVER_SHUTDOWN);
  }

  private scheduleClose(room: Room, seconds: number): void {
    this.cancelClose(room.name);
    const timer = setTimeout(() => {
      if (room.size === 0) this.delete(room.name, DisconnectReason.ROOM_CLOSED);
    }, seconds * 1000);
    timer.unref();
    this.closeTimers.set(room.name, timer);
  }

  private cancelClose(name: string): void {
    const timer = this.closeTimers.get(name);
    if (timer) clearTimeout(timer);
    this.closeTimers.delete(name);
  }
}
