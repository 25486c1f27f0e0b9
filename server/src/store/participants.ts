import { randomUUID } from 'node:crypto';
import type { Sql } from '../db/database.js';
import type { Participant, Waiter } from '../../../src/contract/index.js';
import type { Role } from '../domain/policy.js';
import { toDate, toIsoString } from './timestamps.js';

/** The contract's Participant object. */
export type ParticipantView = Participant;

/**
 * Records a granted slot for `identity`. Someone who still holds one (a reload, a second tab, a new
 * token before the old one expired) goes on with the same participation: their live row is
 * refreshed and keeps when they first joined. The claim function (migration 0007) does the same in SQL.
 */
export async function grantSlot(
  sql: Sql,
  input: {
    meetingId: string;
    identity: string;
    userId: string | null;
    email: string | null;
    displayName: string;
    role: Role;
    tokenTtlSeconds: number;
    /** Where a guest joined from (see countGuestSeatsFrom); null for signed-in users. */
    clientIp?: string | null;
  },
): Promise<void> {
  const ip = input.clientIp ?? null;
  const refreshed = await sql.query(
    `UPDATE meeting_participants
        SET user_id = $3, email = $4, display_name = $5, role = $6, token_expires_at = now() + make_interval(secs => $7),
            client_ip = coalesce($8, client_ip), state = 'granted'
      WHERE meeting_id = $1 AND identity = $2 AND left_at IS NULL`,
    [input.meetingId, input.identity, input.userId, input.email, input.displayName, input.role, input.tokenTtlSeconds, ip],
  );
  if (refreshed.rowCount > 0) return;
  await sql.query(
    `INSERT INTO meeting_participants (id, meeting_id, identity, user_id, email, display_name, role, state, token_expires_at, client_ip)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'granted', now() + make_interval(secs => $8), $9)`,
    [randomUUID(), input.meetingId, input.identity, input.userId, input.email, input.displayName, input.role, input.tokenTtlSeconds, ip],
  );
}

/** Seats guests who joined from `clientIp` hold in the meeting now, `exceptIdentity`'s own excluded. */
export async function countGuestSeatsFrom(sql: Sql, meetingId: string, clientIp: string, exceptIdentity: string): Promise<number> {
  const { rows } = await sql.query<{ n: number | string }>(
    `SELECT count(*) AS n FROM meeting_participants
      WHERE meeting_id = $1 AND client_ip = $2 AND identity <> $3 AND left_at IS NULL
        AND (state = 'present' OR token_expires_at > now())`,
    [meetingId, clientIp, exceptIdentity],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Frees the caller's slot. Returns false when they held none. */
export async function releaseSlot(sql: Sql, meetingId: string, identity: string): Promise<boolean> {
  const { rowCount } = await sql.query(`UPDATE meeting_participants SET state = 'left', left_at = now() WHERE meeting_id = $1 AND identity = $2 AND left_at IS NULL`, [
    meetingId,
    identity,
  ]);
  return rowCount > 0;
}

export async function hasEverJoined(sql: Sql, meetingId: string, identity: string): Promise<boolean> {
  const { rowCount } = await sql.query('SELECT 1 FROM meeting_participants WHERE meeting_id = $1 AND identity = $2 LIMIT 1', [meetingId, identity]);
  return rowCount > 0;
}

export interface ParticipantRow {
  identity: string;
  user_id: string | null;
  display_name: string;
  role: Role;
  joined_at: Date | string;
  left_at: Date | string | null;
}

/**
 * Participants holding a slot now, with their current role, in join order. The role is derived
 * here in SQL as everywhere (host by meetings.host_id, co-host by meeting_roles): what a role may
 * do follows from it by src/contract/permissions.ts (the policy push uses this list).
 */
export async function listPresent(sql: Sql, meetingId: string, options: { limit?: number } = {}): Promise<ParticipantView[]> {
  const { rows } = await sql.query<ParticipantRow>(
    `SELECT p.identity, p.user_id, p.display_name, p.joined_at, p.left_at,
            CASE WHEN p.user_id IS NOT NULL AND p.user_id = m.host_id THEN 'host' ELSE coalesce(r.role, 'attendee') END AS role
     FROM meeting_participants p
     JOIN meetings m ON m.id = p.meeting_id
     LEFT JOIN meeting_roles r ON r.meeting_id = p.meeting_id AND r.identity = p.identity
     WHERE p.meeting_id = $1 AND p.left_at IS NULL AND (p.state = 'present' OR p.token_expires_at > now())
     ORDER BY p.joined_at, p.identity
     LIMIT $2`,
    [meetingId, options.limit ?? null],
  );
  return rows.map(participantFromRow);
}

export function participantFromRow(row: ParticipantRow): ParticipantView {
  return {
    identity: row.identity,
    userId: row.user_id,
    displayName: row.display_name,
    role: row.role,
    joinedAt: toIsoString(row.joined_at),
    leftAt: row.left_at === null ? null : toIsoString(row.left_at),
  };
}

/** Is this caller invited, by user id or by e-mail, and has not declined? */
export async function isInvited(sql: Sql, meetingId: string, userId: string | null, email: string | null): Promise<boolean> {
  if (userId === null && email === null) return false;
  const { rowCount } = await sql.query(
    `SELECT 1 FROM meeting_invitations
     WHERE meeting_id = $1 AND status <> 'declined' AND ((user_id IS NOT NULL AND user_id = $2) OR (email IS NOT NULL AND email = $3))
     LIMIT 1`,
    [meetingId, userId, email],
  );
  return rowCount > 0;
}

/** Adds a waiter, or returns the open entry this identity already has. */
export async function enqueueWaiter(
  sql: Sql,
  input: { meetingId: string; identity: string; userId: string | null; email: string | null; displayName: string },
): Promise<string> {
  const existing = await sql.query<{ id: string }>(`SELECT id FROM meeting_waiting WHERE meeting_id = $1 AND identity = $2 AND status = 'waiting'`, [
    input.meetingId,
    input.identity,
  ]);
  const found = existing.rows[0];
  if (found !== undefined) return found.id;
  const id = randomUUID();
  await sql.query(`INSERT INTO meeting_waiting (id, meeting_id, user_id, email, display_name, identity) VALUES ($1, $2, $3, $4, $5, $6)`, [
    id,
    input.meetingId,
    input.userId,
    input.email,
    input.displayName,
    input.identity,
  ]);
  return id;
}

export type WaitingStatus = 'waiting' | 'admitted' | 'denied' | 'cancelled';

export interface WaiterRecord {
  id: string;
  meetingId: string;
  identity: string;
  userId: string | null;
  email: string | null;
  displayName: string;
  status: WaitingStatus;
  createdAt: Date;
  /** When this entry produced its LiveKit token; it produces no other. */
  tokenIssuedAt: Date | null;
}

interface WaiterRow {
  id: string;
  meeting_id: string;
  identity: string;
  user_id: string | null;
  email: string | null;
  display_name: string;
  status: WaitingStatus;
  created_at: Date | string;
  token_issued_at: Date | string | null;
}

function waiterFromRow(row: WaiterRow): WaiterRecord {
  return {
    id: row.id,
    meetingId: row.meeting_id,
    identity: row.identity,
    userId: row.user_id,
    email: row.email,
    displayName: row.display_name,
    status: row.status,
    createdAt: toDate(row.created_at),
    tokenIssuedAt: row.token_issued_at === null ? null : toDate(row.token_issued_at),
  };
}

/** The contract's Waiter: someone in line, as hosts see them. */
export function waiterView(waiter: WaiterRecord): Waiter {
  return { waitingId: waiter.id, displayName: waiter.displayName, email: waiter.email, since: waiter.createdAt.toISOString() };
}

export async function findWaiter(sql: Sql, meetingId: string, waitingId: string, options: { forUpdate?: boolean } = {}): Promise<WaiterRecord | null> {
  const { rows } = await sql.query<WaiterRow>(
    `SELECT id, meeting_id, identity, user_id, email, display_name, status, created_at, token_issued_at FROM meeting_waiting WHERE meeting_id = $1 AND id = $2${options.forUpdate === true ? ' FOR UPDATE' : ''}`,
    [meetingId, waitingId],
  );
  const row = rows[0];
  return row === undefined ? null : waiterFromRow(row);
}

export async function listWaiting(sql: Sql, meetingId: string): Promise<WaiterRecord[]> {
  const { rows } = await sql.query<WaiterRow>(
    `SELECT id, meeting_id, identity, user_id, email, display_name, status, created_at, token_issued_at FROM meeting_waiting
     WHERE meeting_id = $1 AND status = 'waiting' ORDER BY created_at, id`,
    [meetingId],
  );
  return rows.map(waiterFromRow);
}

export async function decideWaiter(sql: Sql, waitingId: string, status: Exclude<WaitingStatus, 'waiting'>, decidedBy: string): Promise<void> {
  await sql.query(`UPDATE meeting_waiting SET status = $2, decided_at = now(), decided_by = $3 WHERE id = $1`, [waitingId, status, decidedBy]);
}

/** Was this identity turned away from the meeting's waiting room before? Denial sticks. */
export async function wasDenied(sql: Sql, meetingId: string, identity: string): Promise<boolean> {
  const { rowCount } = await sql.query(`SELECT 1 FROM meeting_waiting WHERE meeting_id = $1 AND identity = $2 AND status = 'denied' LIMIT 1`, [meetingId, identity]);
  return rowCount > 0;
}

/** Does this identity hold a slot right now (connected, or a token that may still be used)? */
export async function holdsSlot(sql: Sql, meetingId: string, identity: string): Promise<boolean> {
  const { rowCount } = await sql.query(
    `SELECT 1 FROM meeting_participants WHERE meeting_id = $1 AND identity = $2 AND left_at IS NULL AND (state = 'present' OR token_expires_at > now())`,
    [meetingId, identity],
  );
  return rowCount > 0;
}

/** The name this identity last joined the meeting under, or null. */
export async function lastDisplayName(sql: Sql, meetingId: string, identity: string): Promise<string | null> {
  const { rows } = await sql.query<{ display_name: string }>(
    `SELECT display_name FROM meeting_participants WHERE meeting_id = $1 AND identity = $2 ORDER BY joined_at DESC LIMIT 1`,
    [meetingId, identity],
  );
  return rows[0]?.display_name ?? null;
}

/** This identity's waiting-room entries in the meeting that are still waiting or were admitted, newest first. */
export async function waitingIdsOf(sql: Sql, meetingId: string, identity: string): Promise<string[]> {
  const { rows } = await sql.query<{ id: string }>(
    `SELECT id FROM meeting_waiting WHERE meeting_id = $1 AND identity = $2 AND status IN ('waiting', 'admitted') ORDER BY created_at DESC`,
    [meetingId, identity],
  );
  return rows.map((row) => row.id);
}

/**
 * LiveKit saw this identity connect: its seat becomes a present one. False when the identity
 * holds no seat at all (never granted, freed, or its hold ran out before it connected).
 */
export async function markPresent(sql: Sql, meetingId: string, identity: string): Promise<boolean> {
  const { rowCount } = await sql.query(
    `UPDATE meeting_participants SET state = 'present', connected_at = coalesce(connected_at, now())
      WHERE meeting_id = $1 AND identity = $2 AND left_at IS NULL
        AND (state = 'present' OR token_expires_at > now() - make_interval(secs => $3))`,
    [meetingId, identity, CONNECT_REPORT_GRACE_SECONDS],
  );
  return rowCount > 0;
}

/**
 * A connect made just before the seat's hold ran out is reported a moment later: the report still
 * finds the seat for this long after the hold.
 */
const CONNECT_REPORT_GRACE_SECONDS = 30;

/** The room closed: everyone connected to it has left. Returns how many slots were freed. */
export async function releaseConnected(sql: Sql, meetingId: string): Promise<number> {
  const { rowCount } = await sql.query(`UPDATE meeting_participants SET state = 'left', left_at = now() WHERE meeting_id = $1 AND state = 'present' AND left_at IS NULL`, [
    meetingId,
  ]);
  return rowCount;
}

/**
 * Raises or lowers the hand of the identity's live participation. Raising an already raised hand
 * keeps when it went up (the order hands are taken in). Undefined when the identity has no live
 * row; otherwise when the hand went up, or null.
 */
export async function setHand(sql: Sql, meetingId: string, identity: string, raised: boolean): Promise<Date | null | undefined> {
  const { rows } = await sql.query<{ hand_raised_at: Date | string | null }>(
    `UPDATE meeting_participants SET hand_raised_at = CASE WHEN $3 THEN coalesce(hand_raised_at, now()) ELSE NULL END
      WHERE meeting_id = $1 AND identity = $2 AND left_at IS NULL
      RETURNING hand_raised_at`,
    [meetingId, identity, raised],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  return row.hand_raised_at === null ? null : toDate(row.hand_raised_at);
}

/** A hand lowerHands took down, and when it had gone up (what restoreHands puts back). */
export interface LoweredHand {
  identity: string;
  raisedAt: Date;
}

/** Lowers the raised hands of the people present (only `identities`, when given); returns whose went down, by identity. */
export async function lowerHands(sql: Sql, meetingId: string, identities?: readonly string[]): Promise<LoweredHand[]> {
  const { rows } = await sql.query<{ identity: string; raised_at: Date | string }>(
    `WITH raised AS (
       SELECT id, hand_raised_at FROM meeting_participants
        WHERE meeting_id = $1 AND left_at IS NULL AND hand_raised_at IS NOT NULL AND ($2::text[] IS NULL OR identity = ANY($2::text[]))
        FOR UPDATE
     )
     UPDATE meeting_participants p SET hand_raised_at = NULL FROM raised WHERE p.id = raised.id
     RETURNING p.identity, raised.hand_raised_at AS raised_at`,
    [meetingId, identities === undefined ? null : [...identities]],
  );
  return rows.map((row) => ({ identity: row.identity, raisedAt: toDate(row.raised_at) })).sort((a, b) => (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0));
}

/**
 * Puts back hands lowerHands took down, each with when it went up; a hand that is up again, or
 * someone who left since, is left as it is.
 */
export async function restoreHands(sql: Sql, meetingId: string, hands: readonly LoweredHand[]): Promise<void> {
  if (hands.length === 0) return;
  await sql.query(
    `UPDATE meeting_participants p SET hand_raised_at = h.raised_at
       FROM unnest($2::text[], $3::timestamptz[]) AS h(identity, raised_at)
      WHERE p.meeting_id = $1 AND p.identity = h.identity AND p.left_at IS NULL AND p.hand_raised_at IS NULL`,
    [meetingId, hands.map((hand) => hand.identity), hands.map((hand) => hand.raisedAt.toISOString())],
  );
}

/** The entry produced its token: a replay of its waitingId gets none. */
export async function markWaiterTokenIssued(sql: Sql, waitingId: string): Promise<void> {
  await sql.query('UPDATE meeting_waiting SET token_issued_at = now() WHERE id = $1', [waitingId]);
}

/** Closes the identity's open waiting entries as denied (a removal); returns their ids. */
export async function denyOpenEntriesOf(sql: Sql, meetingId: string, identity: string, decidedBy: string): Promise<string[]> {
  const { rows } = await sql.query<{ id: string }>(
    `UPDATE meeting_waiting SET status = 'denied', decided_at = now(), decided_by = $3
      WHERE meeting_id = $1 AND identity = $2 AND status = 'waiting' RETURNING id`,
    [meetingId, identity, decidedBy],
  );
  return rows.map((row) => row.id);
}

/** How long after a session's leave freed a seat a newer session of the same identity may take it back. */
const LATE_JOIN_RESTORE_SECONDS = 60;

export type SessionJoin = 'seated' | 'stale' | 'no-seat';

/**
 * LiveKit reports session `sid` (started at `startedAt`) of `identity` connected. 'seated': the
 * seat is now present with this session; 'stale': a newer session already holds it (a late report
 * of a replaced session: nothing to do); 'no-seat': the identity holds no seat to connect with.
 * A seat freed moments ago by another session's leave is taken back (the leave came first).
 */
export async function recordSessionJoin(sql: Sql, meetingId: string, identity: string, sid: string, startedAt: Date): Promise<SessionJoin> {
  const live = await sql.query<{ stale: boolean; seated: boolean }>(
    `UPDATE meeting_participants
        SET state = CASE WHEN session_started_at > $4 THEN state ELSE 'present' END,
            connected_at = coalesce(connected_at, now()),
            session_sid = CASE WHEN session_started_at > $4 THEN session_sid ELSE $3 END,
            session_started_at = greatest(session_started_at, $4)
      WHERE meeting_id = $1 AND identity = $2 AND left_at IS NULL
        AND (state = 'present' OR token_expires_at > now() - make_interval(secs => $5))
      RETURNING session_sid <> $3 AS stale, true AS seated`,
    [meetingId, identity, sid, startedAt, CONNECT_REPORT_GRACE_SECONDS],
  );
  const row = live.rows[0];
  if (row !== undefined) return row.stale ? 'stale' : 'seated';
  const restored = await sql.query(
    `UPDATE meeting_participants p
        SET state = 'present', left_at = NULL, left_by_session = NULL, session_sid = $3, session_started_at = $4
      WHERE p.id = (SELECT q.id FROM meeting_participants q
                     WHERE q.meeting_id = $1 AND q.identity = $2 AND q.left_at > now() - make_interval(secs => $5)
                       AND q.left_by_session IS NOT NULL AND q.left_by_session <> $3
                     ORDER BY q.left_at DESC LIMIT 1)
        AND NOT EXISTS (SELECT 1 FROM meeting_participants l WHERE l.meeting_id = $1 AND l.identity = $2 AND l.left_at IS NULL)
        AND NOT EXISTS (SELECT 1 FROM meeting_removals r WHERE r.meeting_id = $1 AND r.identity = $2)
        AND EXISTS (SELECT 1 FROM meetings m WHERE m.id = $1 AND m.status = 'active')`,
    [meetingId, identity, sid, startedAt, LATE_JOIN_RESTORE_SECONDS],
  );
  return restored.rowCount > 0 ? 'seated' : 'no-seat';
}

/**
 * LiveKit reports session `sid` of `identity` gone. Frees the seat only when that session is the
 * one holding it and no token was granted since it started (a reload's new token keeps the seat
 * for its hold). True when a seat was freed.
 */
export async function recordSessionLeave(sql: Sql, meetingId: string, identity: string, sid: string): Promise<boolean> {
  const freed = await sql.query(
    `UPDATE meeting_participants SET state = 'left', left_at = now(), left_by_session = $3
      WHERE meeting_id = $1 AND identity = $2 AND left_at IS NULL AND session_sid = $3
        AND (session_started_at IS NULL OR granted_at <= session_started_at)`,
    [meetingId, identity, sid],
  );
  if (freed.rowCount > 0) return true;
  // Re-granted after this session started: the holder is coming back with the newer token.
  await sql.query(
    `UPDATE meeting_participants SET state = 'granted', session_sid = NULL
      WHERE meeting_id = $1 AND identity = $2 AND left_at IS NULL AND session_sid = $3`,
    [meetingId, identity, sid],
  );
  return false;
}
