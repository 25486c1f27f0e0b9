// Breakout rooms on the media server: each one is a room of its own, named after the meeting's room
// and its id. The people concerned hear of an open and a close from the server only, on the
// `breakouts` data topic (as polls and chat), in the meeting's room and in every breakout room; the
// packet says what happened, never who is where: each client reads its own room from
// GET /meetings/:id/breakouts, which shows an attendee their room only.
//
// A close (by a host, by the timer, or by the end of the meeting) tells everyone first and deletes
// the breakout rooms `graceMs` later, so the clients leave on their own before the rooms go. The
// timer lives in the database (closes_at): the instance that opened a session closes it on time,
// and the reconciliation sweep (and every read) closes one that is due whoever opened it, so a
// restart loses none; the sweep also deletes the rooms of a close whose deletion was cut short.
import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import type { BreakoutSession } from '../../../src/contract/index.js';
import type { Database, Sql } from '../db/database.js';
import { ApiError } from '../errors.js';
import type { RoomService } from '../livekit/room-service.js';
import {
  breakoutsWithRoomsOf,
  closeBreakout,
  closedWithRooms,
  dueBreakouts,
  findBreakout,
  markRoomsDeleted,
  openBreakoutRoomNames,
  roomHoldingBack,
  type BreakoutRecord,
} from '../store/breakouts.js';

/** The data-channel topic the widget listens on for breakout rooms. */
export const BREAKOUTS_TOPIC = 'breakouts';

/** The packet on the `breakouts` topic: something changed; the client reads what it may see. */
export interface BreakoutChangePacket {
  type: 'breakouts';
  event: 'opened' | 'closed';
  breakoutId: string;
  closesAt: string | null;
}

/** A host's message to every room of an open session; `from` is the name they are in the meeting under. */
export interface BreakoutBroadcastPacket {
  type: 'breakouts';
  event: 'broadcast';
  breakoutId: string;
  text: string;
  from: string;
  /** ISO time the server sent it. */
  at: string;
}

export type BreakoutPacket = BreakoutChangePacket | BreakoutBroadcastPacket;

/** How long the people in breakout rooms have to leave them after a close before the rooms are deleted. */
export const DEFAULT_BREAKOUT_GRACE_MS = 5000;

/** Sessions a sweep closes or cleans up at most. */
const SWEEP_LIMIT = 100;

export interface BreakoutDeps {
  db: Database;
  roomService: Pick<RoomService, 'sendData' | 'deleteRoom' | 'listParticipants' | 'removeParticipant'>;
  logger: Logger;
}

/** What deleting rooms takes. */
type RoomDeleter = Pick<BreakoutDeps, 'db' | 'logger'> & { roomService: Pick<RoomService, 'deleteRoom'> };

/** A breakout room's media-server room: the meeting's room name and the breakout room's id. */
export function breakoutRoomName(meetingRoomName: string, roomId: string): string {
  return `${meetingRoomName}~breakout~${roomId}`;
}

/** Deals `identities` into `count` rooms at random ("Room 1".."Room N"), as even as they go. */
export function randomSplit(identities: readonly string[], count: number): Array<{ name: string; identities: string[] }> {
  const shuffled = [...identities];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    const swap = shuffled[i] as string;
    shuffled[i] = shuffled[j] as string;
    shuffled[j] = swap;
  }
  const rooms = Array.from({ length: count }, (_, index) => ({ name: `Room ${String(index + 1)}`, identities: [] as string[] }));
  shuffled.forEach((identity, index) => rooms[index % count]?.identities.push(identity));
  return rooms;
}

/**
 * Tells the rooms; a room that cannot be reached now is logged, not fatal (the state is in the
 * database). Answers how many rooms were reached.
 */
export async function announce(deps: BreakoutDeps, roomNames: readonly string[], packet: BreakoutPacket): Promise<number> {
  const payload = new TextEncoder().encode(JSON.stringify(packet));
  const reached = await Promise.all(
    roomNames.map((roomName) =>
      deps.roomService.sendData(roomName, payload, { topic: BREAKOUTS_TOPIC }).then(
        () => true,
        (err: unknown) => {
          deps.logger.debug({ err, roomName }, 'breakouts: could not tell a room (nobody in it yet, or the media server away)');
          return false;
        },
      ),
    ),
  );
  return reached.filter(Boolean).length;
}

/** How many are connected to each room now (0 for a room the media server cannot list). */
export async function countsOf(deps: BreakoutDeps, record: BreakoutRecord): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (record.status !== 'open') return counts;
  await Promise.all(
    record.rooms.map(async (room) => {
      const listed = await deps.roomService.listParticipants(room.roomName).catch(() => []);
      counts.set(room.id, listed.length);
    }),
  );
  return counts;
}

/** The contract's BreakoutSession; `onlyRoomOf` (an attendee's identity) keeps their own room only. */
export function sessionView(record: BreakoutRecord, counts: Map<string, number>, onlyRoomOf?: string): BreakoutSession {
  const rooms = record.rooms
    .filter((room) => onlyRoomOf === undefined || room.identities.includes(onlyRoomOf))
    .map((room) => ({ id: room.id, name: room.name, identities: room.identities, participantCount: counts.get(room.id) ?? 0 }));
  return { id: record.id, meetingId: record.meetingId, rooms, opensAt: record.opensAt, closesAt: record.closesAt, allowReturn: record.allowReturn, status: record.status };
}

/**
 * An attendee sent to a breakout room of a session that does not let people back before the close
 * gets no token for the main room: BREAKOUT_RETURN_NOT_ALLOWED, with the room they belong in. The
 * join's checks and seat come first (the seat is what their breakout room's join stands on, so
 * someone who reloads, or arrives late, goes to their room on it); hosts and co-hosts are not asked.
 */
export async function assertMayBeInMainRoom(sql: Sql, meetingId: string, identity: string): Promise<void> {
  const held = await roomHoldingBack(sql, meetingId, identity);
  if (held === null) return;
  throw new ApiError('BREAKOUT_RETURN_NOT_ALLOWED', 'The host keeps everyone in their breakout rooms until they close: go to yours.', held);
}

/** Deletes a closed session's rooms on the media server and records it; false when one could not be deleted now. */
export async function deleteRoomsOf(deps: RoomDeleter, breakoutId: string): Promise<boolean> {
  const record = await findBreakout(deps.db, breakoutId);
  if (record === null) return true;
  const results = await Promise.all(
    record.rooms.map((room) =>
      deps.roomService.deleteRoom(room.roomName).then(
        () => true,
        (err: unknown) => {
          deps.logger.warn({ err, breakoutId, roomName: room.roomName }, 'breakouts: could not delete a breakout room now; the sweep tries again');
          return false;
        },
      ),
    ),
  );
  if (results.every(Boolean)) {
    await markRoomsDeleted(deps.db, breakoutId);
    return true;
  }
  return false;
}

/** Disconnects `identity` from whichever open breakout room of the meeting they are in (a removal). */
export async function removeFromBreakouts(deps: BreakoutDeps, meetingId: string, identity: string): Promise<void> {
  const roomNames = await openBreakoutRoomNames(deps.db, meetingId);
  await Promise.all(
    roomNames.map((roomName) =>
      deps.roomService.removeParticipant(roomName, identity).catch((err: unknown) => {
        deps.logger.warn({ err, meetingId, identity, roomName }, 'breakouts: could not take a removed participant out of a breakout room');
        return false;
      }),
    ),
  );
}

/**
 * Closes a session of the meeting and tells everyone in its rooms and in the meeting's room to go
 * back; the rooms are deleted `graceMs` later. False when it was already closed.
 */
export async function closeAndAnnounce(deps: BreakoutDeps, meetingRoomName: string, breakoutId: string, graceMs = DEFAULT_BREAKOUT_GRACE_MS): Promise<boolean> {
  if (!(await closeBreakout(deps.db, breakoutId))) return false;
  const record = await findBreakout(deps.db, breakoutId);
  if (record === null) return true;
  await announce(deps, [meetingRoomName, ...record.rooms.map((room) => room.roomName)], { type: 'breakouts', event: 'closed', breakoutId, closesAt: record.closesAt });
  const timer = setTimeout(() => {
    deleteRoomsOf(deps, breakoutId).catch((err: unknown) => {
      deps.logger.warn({ err, breakoutId }, 'breakouts: deleting the rooms after a close failed; the sweep tries again');
    });
  }, graceMs);
  timer.unref();
  return true;
}

async function meetingRoomNameOf(sql: Sql, meetingId: string): Promise<string | null> {
  const { rows } = await sql.query<{ room_name: string }>('SELECT room_name FROM meetings WHERE id = $1', [meetingId]);
  return rows[0]?.room_name ?? null;
}

/**
 * The sweep's part (services/reconciler.ts): closes sessions whose timer ran out and deletes the
 * rooms of closes whose deletion did not happen (an instance stopped within the grace).
 */
export async function sweepBreakouts(deps: BreakoutDeps, graceMs = DEFAULT_BREAKOUT_GRACE_MS): Promise<{ closed: number; cleaned: number }> {
  let closed = 0;
  for (const due of await dueBreakouts(deps.db, SWEEP_LIMIT)) {
    const roomName = await meetingRoomNameOf(deps.db, due.meetingId);
    if (roomName !== null && (await closeAndAnnounce(deps, roomName, due.id, graceMs))) closed++;
  }
  let cleaned = 0;
  for (const breakoutId of await closedWithRooms(deps.db, Math.ceil(graceMs / 1000), SWEEP_LIMIT)) {
    if (await deleteRoomsOf(deps, breakoutId)) cleaned++;
  }
  return { closed, cleaned };
}

/** The meeting ended (its sessions closed with it): every breakout room it still has is deleted now. */
export async function deleteBreakoutRoomsOfMeeting(deps: RoomDeleter, meetingId: string): Promise<void> {
  for (const breakoutId of await breakoutsWithRoomsOf(deps.db, meetingId)) await deleteRoomsOf(deps, breakoutId);
}
