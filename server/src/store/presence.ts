// What the reconciliation sweep reads and writes (services/reconciler.ts): the seats the database
// believes are present, checked against who the media server says is in each room.
import type { Sql } from '../db/database.js';

/** A live seat (present, or granted and waiting for its holder) in an active meeting. */
export interface LiveSeat {
  id: string;
  meetingId: string;
  roomName: string;
  identity: string;
  state: 'present' | 'granted';
  /** The row's version (xmin): the seat is freed only if nothing touched it since it was read. */
  version: string;
}

/** Live seats of active meetings, at most `limit` meetings' worth, oldest meetings first. */
export async function liveSeatsOfActiveMeetings(sql: Sql, limit: number): Promise<LiveSeat[]> {
  const { rows } = await sql.query<{ id: string; meeting_id: string; room_name: string; identity: string; state: LiveSeat['state']; version: string }>(
    `SELECT p.id, p.meeting_id, m.room_name, p.identity, p.state, p.xmin::text AS version
       FROM meeting_participants p
       JOIN (SELECT id, room_name FROM meetings WHERE status = 'active' ORDER BY started_at, id LIMIT $1) m ON m.id = p.meeting_id
      WHERE p.left_at IS NULL AND (p.state = 'present' OR p.token_expires_at > now())
      ORDER BY p.meeting_id, p.identity`,
    [limit],
  );
  return rows.map((row) => ({ id: row.id, meetingId: row.meeting_id, roomName: row.room_name, identity: row.identity, state: row.state, version: row.version }));
}

/**
 * Frees a present seat whose holder the media server does not have. Only when the row is as it
 * was read: a new grant (a reload on its way in), a new session's join or any other change since
 * means the holder may be connecting right now, and the next sweep looks again. The seat records
 * which session it was freed from, so a late join of a newer session takes it back as it would
 * after a leave webhook (recordSessionJoin).
 */
export async function freeAbsentSeat(sql: Sql, seat: Pick<LiveSeat, 'id' | 'version'>): Promise<boolean> {
  const { rowCount } = await sql.query(
    `UPDATE meeting_participants SET state = 'left', left_at = now(), left_by_session = coalesce(session_sid, 'reconciled')
      WHERE id = $1 AND xmin::text = $2 AND state = 'present' AND left_at IS NULL`,
    [seat.id, seat.version],
  );
  return rowCount > 0;
}

/**
 * An active meeting is empty when nobody holds a seat in it (present, or granted and still within
 * its hold) and nobody waits; it has been empty since the latest of its start, its last seat's
 * end (a leave, or a hold that ran out) and its newest open knock.
 */
const EMPTY_FOR = `m.status = 'active'
  AND NOT EXISTS (SELECT 1 FROM meeting_participants p
                   WHERE p.meeting_id = m.id AND p.left_at IS NULL AND (p.state = 'present' OR p.token_expires_at > now()))
  AND greatest(m.started_at,
               (SELECT max(coalesce(p.left_at, p.token_expires_at)) FROM meeting_participants p WHERE p.meeting_id = m.id),
               (SELECT max(w.created_at) FROM meeting_waiting w WHERE w.meeting_id = m.id AND w.status = 'waiting'))
      < now() - make_interval(secs => $1)`;

/** Active meetings nobody has been in for `seconds`, at most `limit`. */
export async function meetingsEmptyFor(sql: Sql, seconds: number, limit: number): Promise<Array<{ id: string; roomName: string }>> {
  const { rows } = await sql.query<{ id: string; room_name: string }>(`SELECT m.id, m.room_name FROM meetings m WHERE ${EMPTY_FOR} ORDER BY m.started_at, m.id LIMIT $2`, [
    seconds,
    limit,
  ]);
  return rows.map((row) => ({ id: row.id, roomName: row.room_name }));
}

/**
 * Locks the meeting, then tells whether it is still empty for `seconds`: someone may have joined
 * since it was listed. The check runs after the lock is held (joins lock the meeting too), so it
 * sees whatever the join committed.
 */
export async function lockIfStillEmpty(sql: Sql, meetingId: string, seconds: number): Promise<boolean> {
  await sql.query('SELECT 1 FROM meetings WHERE id = $1 FOR UPDATE', [meetingId]);
  const { rowCount } = await sql.query(`SELECT 1 FROM meetings m WHERE ${EMPTY_FOR} AND m.id = $2`, [seconds, meetingId]);
  return rowCount > 0;
}
