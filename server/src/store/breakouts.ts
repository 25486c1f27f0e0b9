// Breakout rooms (contract v1.1): sessions, their rooms and who is assigned where. Every query of
// the feature lives here; the rules (who may open, join, close) are in http/breakout-routes.ts.
import { randomUUID } from 'node:crypto';
import type { Sql } from '../db/database.js';
import { toIsoString } from './timestamps.js';

export type BreakoutStatus = 'open' | 'closed';

export interface BreakoutRoomRecord {
  id: string;
  name: string;
  /** The media server's room. */
  roomName: string;
  identities: string[];
}

export interface BreakoutRecord {
  id: string;
  meetingId: string;
  status: BreakoutStatus;
  opensAt: string;
  closesAt: string | null;
  /** The people sent to the rooms may go back to the main room before the close. */
  allowReturn: boolean;
  /** In the order they were given. */
  rooms: BreakoutRoomRecord[];
}

interface SessionRow {
  id: string;
  meeting_id: string;
  status: BreakoutStatus;
  opens_at: Date | string;
  closes_at: Date | string | null;
  allow_return: boolean;
}

interface RoomRow {
  id: string;
  name: string;
  room_name: string;
  identities: string[] | null;
}

async function roomsOf(sql: Sql, breakoutId: string): Promise<BreakoutRoomRecord[]> {
  const { rows } = await sql.query<RoomRow>(
    `SELECT r.id, r.name, r.room_name,
            coalesce((SELECT array_agg(a.identity ORDER BY a.identity) FROM meeting_breakout_assignments a WHERE a.room_id = r.id), '{}') AS identities
       FROM meeting_breakout_rooms r WHERE r.breakout_id = $1 ORDER BY r.position`,
    [breakoutId],
  );
  return rows.map((row) => ({ id: row.id, name: row.name, roomName: row.room_name, identities: row.identities ?? [] }));
}

async function withRooms(sql: Sql, row: SessionRow | undefined): Promise<BreakoutRecord | null> {
  if (row === undefined) return null;
  return {
    id: row.id,
    meetingId: row.meeting_id,
    status: row.status,
    opensAt: toIsoString(row.opens_at),
    closesAt: row.closes_at === null ? null : toIsoString(row.closes_at),
    allowReturn: row.allow_return,
    rooms: await roomsOf(sql, row.id),
  };
}

const SESSION_COLUMNS = 'id, meeting_id, status, opens_at, closes_at, allow_return';

/**
 * Opens a session of breakout rooms; `roomNameOf` names each room's media-server room from its id.
 * Inside the caller's transaction, with the meeting's row locked (one open session per meeting:
 * the unique index says so too). Returns the session's id.
 */
export async function insertBreakout(
  sql: Sql,
  input: {
    meetingId: string;
    openedBy: string;
    durationS: number | null;
    allowReturn: boolean;
    rooms: Array<{ name: string; identities: string[] }>;
    roomNameOf: (roomId: string) => string;
  },
): Promise<string> {
  const id = randomUUID();
  await sql.query(
    `INSERT INTO meeting_breakouts (id, meeting_id, opened_by, closes_at, allow_return)
     VALUES ($1, $2, $3, CASE WHEN $4::integer IS NULL THEN NULL ELSE now() + make_interval(secs => $4::integer) END, $5)`,
    [id, input.meetingId, input.openedBy, input.durationS, input.allowReturn],
  );
  for (const [position, room] of input.rooms.entries()) {
    const roomId = randomUUID();
    await sql.query(`INSERT INTO meeting_breakout_rooms (id, breakout_id, meeting_id, position, name, room_name) VALUES ($1, $2, $3, $4, $5, $6)`, [
      roomId,
      id,
      input.meetingId,
      position,
      room.name,
      input.roomNameOf(roomId),
    ]);
    if (room.identities.length > 0) {
      await sql.query(`INSERT INTO meeting_breakout_assignments (breakout_id, room_id, identity) SELECT $1, $2, unnest($3::text[])`, [id, roomId, room.identities]);
    }
  }
  return id;
}

/** The meeting's open session, or null. */
export async function findOpenBreakout(sql: Sql, meetingId: string): Promise<BreakoutRecord | null> {
  const { rows } = await sql.query<SessionRow>(`SELECT ${SESSION_COLUMNS} FROM meeting_breakouts WHERE meeting_id = $1 AND status = 'open'`, [meetingId]);
  return withRooms(sql, rows[0]);
}

export async function findBreakout(sql: Sql, breakoutId: string): Promise<BreakoutRecord | null> {
  const { rows } = await sql.query<SessionRow>(`SELECT ${SESSION_COLUMNS} FROM meeting_breakouts WHERE id = $1`, [breakoutId]);
  return withRooms(sql, rows[0]);
}

/** Closes the session if it is open; true when this call closed it. */
export async function closeBreakout(sql: Sql, breakoutId: string): Promise<boolean> {
  const { rowCount } = await sql.query(`UPDATE meeting_breakouts SET status = 'closed', closed_at = now() WHERE id = $1 AND status = 'open'`, [breakoutId]);
  return rowCount > 0;
}

/** Closes the meeting's open session, if any (the meeting ends); its id, or null. */
export async function closeOpenBreakoutOf(sql: Sql, meetingId: string): Promise<string | null> {
  const { rows } = await sql.query<{ id: string }>(
    `UPDATE meeting_breakouts SET status = 'closed', closed_at = now() WHERE meeting_id = $1 AND status = 'open' RETURNING id`,
    [meetingId],
  );
  return rows[0]?.id ?? null;
}

/** Open sessions whose timer has run out, oldest first. */
export async function dueBreakouts(sql: Sql, limit: number): Promise<Array<{ id: string; meetingId: string }>> {
  const { rows } = await sql.query<{ id: string; meeting_id: string }>(
    `SELECT id, meeting_id FROM meeting_breakouts WHERE status = 'open' AND closes_at <= now() ORDER BY closes_at LIMIT $1`,
    [limit],
  );
  return rows.map((row) => ({ id: row.id, meetingId: row.meeting_id }));
}

/** Closed sessions whose rooms are still to be deleted, closed at least `graceSeconds` ago. */
export async function closedWithRooms(sql: Sql, graceSeconds: number, limit: number): Promise<string[]> {
  const { rows } = await sql.query<{ id: string }>(
    `SELECT id FROM meeting_breakouts
      WHERE status = 'closed' AND rooms_deleted_at IS NULL AND closed_at <= now() - make_interval(secs => $1)
      ORDER BY closed_at LIMIT $2`,
    [graceSeconds, limit],
  );
  return rows.map((row) => row.id);
}

export async function markRoomsDeleted(sql: Sql, breakoutId: string): Promise<void> {
  await sql.query('UPDATE meeting_breakouts SET rooms_deleted_at = now() WHERE id = $1', [breakoutId]);
}

/** The media-server rooms of the meeting's open session (the sweep counts the people in them as present). */
export async function openBreakoutRoomNames(sql: Sql, meetingId: string): Promise<string[]> {
  const { rows } = await sql.query<{ room_name: string }>(
    `SELECT r.room_name FROM meeting_breakout_rooms r JOIN meeting_breakouts b ON b.id = r.breakout_id
      WHERE b.meeting_id = $1 AND b.status = 'open' ORDER BY r.position`,
    [meetingId],
  );
  return rows.map((row) => row.room_name);
}

/** A breakout room of this meeting (of any session), with its session's status. */
export async function findBreakoutRoom(
  sql: Sql,
  meetingId: string,
  roomId: string,
): Promise<{ id: string; breakoutId: string; roomName: string; name: string; status: BreakoutStatus; closesAt: string | null } | null> {
  const { rows } = await sql.query<{ id: string; breakout_id: string; room_name: string; name: string; status: BreakoutStatus; closes_at: Date | string | null }>(
    `SELECT r.id, r.breakout_id, r.room_name, r.name, b.status, b.closes_at
       FROM meeting_breakout_rooms r JOIN meeting_breakouts b ON b.id = r.breakout_id
      WHERE r.meeting_id = $1 AND r.id = $2`,
    [meetingId, roomId],
  );
  const row = rows[0];
  if (row === undefined) return null;
  return { id: row.id, breakoutId: row.breakout_id, roomName: row.room_name, name: row.name, status: row.status, closesAt: row.closes_at === null ? null : toIsoString(row.closes_at) };
}

/**
 * The breakout room `identity` is held in: assigned to a room of the meeting's open session (its
 * timer not run out) that does not let people back to the main room before the close. Null when
 * they may come back (or are assigned nowhere).
 */
export async function roomHoldingBack(sql: Sql, meetingId: string, identity: string): Promise<{ breakoutId: string; roomId: string } | null> {
  const { rows } = await sql.query<{ breakout_id: string; room_id: string }>(
    `SELECT a.breakout_id, a.room_id FROM meeting_breakouts b JOIN meeting_breakout_assignments a ON a.breakout_id = b.id
      WHERE b.meeting_id = $1 AND b.status = 'open' AND NOT b.allow_return AND (b.closes_at IS NULL OR b.closes_at > now()) AND a.identity = $2`,
    [meetingId, identity],
  );
  const row = rows[0];
  return row === undefined ? null : { breakoutId: row.breakout_id, roomId: row.room_id };
}

export async function isAssignedTo(sql: Sql, roomId: string, identity: string): Promise<boolean> {
  const { rowCount } = await sql.query('SELECT 1 FROM meeting_breakout_assignments WHERE room_id = $1 AND identity = $2', [roomId, identity]);
  return rowCount > 0;
}

/**
 * A token for another room of the meeting is a new grant on the caller's seat: its hold starts
 * again, and the leave of the session in the room they come from (which started before this
 * grant) does not free it (see recordSessionLeave). Null when the caller holds no seat; else the
 * name they are in the meeting under.
 */
export async function regrantSeat(sql: Sql, meetingId: string, identity: string, tokenTtlSeconds: number): Promise<string | null> {
  const { rows } = await sql.query<{ display_name: string }>(
    `UPDATE meeting_participants SET token_expires_at = now() + make_interval(secs => $3), state = 'granted'
      WHERE meeting_id = $1 AND identity = $2 AND left_at IS NULL AND (state = 'present' OR token_expires_at > now())
      RETURNING display_name`,
    [meetingId, identity, tokenTtlSeconds],
  );
  return rows[0]?.display_name ?? null;
}

/** Sessions of the meeting whose rooms may still exist on the media server (the meeting ends). */
export async function breakoutsWithRoomsOf(sql: Sql, meetingId: string): Promise<string[]> {
  const { rows } = await sql.query<{ id: string }>('SELECT id FROM meeting_breakouts WHERE meeting_id = $1 AND rooms_deleted_at IS NULL', [meetingId]);
  return rows.map((row) => row.id);
}
