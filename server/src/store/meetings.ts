import { randomUUID } from 'node:crypto';
import type { Meeting } from '../../../src/contract/index.js';
import type { Sql } from '../db/database.js';
import type { MeetingStatus } from '../domain/admission.js';
import type { Policy, PolicyPatch, Role } from '../domain/policy.js';
import { toDate } from './timestamps.js';

export interface MeetingRecord {
  id: string;
  title: string;
  status: MeetingStatus;
  hostId: string;
  roomName: string;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  policy: Policy;
}

/** The contract's Meeting object. */
export type MeetingView = Meeting;

export interface MeetingRow {
  id: string;
  title: string;
  status: MeetingStatus;
  host_id: string;
  room_name: string;
  created_at: Date | string;
  started_at: Date | string | null;
  ended_at: Date | string | null;
  waiting_room: boolean;
  max_participants: number;
  allowed_email_domains: string[];
  allow_anonymous: boolean;
  locked: boolean;
  admit_invitees: boolean;
  screen_share: Policy['screenShare'];
  chat: Policy['chat'];
  recording: Policy['recording'];
  mute_on_entry: boolean;
  join_before_host: boolean;
  polls: Policy['polls'];
  breakout_rooms: boolean;
}

const POLICY_COLUMNS: Record<keyof Policy, string> = {
  waitingRoom: 'waiting_room',
  maxParticipants: 'max_participants',
  allowedEmailDomains: 'allowed_email_domains',
  allowAnonymous: 'allow_anonymous',
  locked: 'locked',
  admitInvitees: 'admit_invitees',
  screenShare: 'screen_share',
  chat: 'chat',
  recording: 'recording',
  muteOnEntry: 'mute_on_entry',
  joinBeforeHost: 'join_before_host',
  polls: 'polls',
  breakoutRooms: 'breakout_rooms',
};

/** Columns of `meetings m` and `meeting_security_policies p` that make a MeetingRecord. */
export const MEETING_COLUMNS = `m.id, m.title, m.status, m.host_id, m.room_name, m.created_at, m.started_at, m.ended_at,
         p.waiting_room, p.max_participants, p.allowed_email_domains, p.allow_anonymous, p.locked,
         p.admit_invitees, p.screen_share, p.chat, p.recording, p.mute_on_entry, p.join_before_host, p.polls, p.breakout_rooms`;
export const MEETING_FROM = 'FROM meetings m JOIN meeting_security_policies p ON p.meeting_id = m.id';

const SELECT_MEETING = `SELECT ${MEETING_COLUMNS} ${MEETING_FROM}`;

const toDateOrNull = (value: Date | string | null): Date | null => (value === null ? null : toDate(value));

export function meetingFromRow(row: MeetingRow): MeetingRecord {
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    hostId: row.host_id,
    roomName: row.room_name,
    createdAt: toDate(row.created_at),
    startedAt: toDateOrNull(row.started_at),
    endedAt: toDateOrNull(row.ended_at),
    policy: {
      waitingRoom: row.waiting_room,
      maxParticipants: row.max_participants,
      allowedEmailDomains: row.allowed_email_domains,
      allowAnonymous: row.allow_anonymous,
      locked: row.locked,
      admitInvitees: row.admit_invitees,
      screenShare: row.screen_share,
      chat: row.chat,
      recording: row.recording,
      muteOnEntry: row.mute_on_entry,
      joinBeforeHost: row.join_before_host,
      polls: row.polls,
      breakoutRooms: row.breakout_rooms,
    },
  };
}

export function toView(meeting: MeetingRecord, participantCount: number): MeetingView {
  return {
    id: meeting.id,
    title: meeting.title,
    status: meeting.status,
    hostId: meeting.hostId,
    roomName: meeting.roomName,
    createdAt: meeting.createdAt.toISOString(),
    startedAt: meeting.startedAt?.toISOString() ?? null,
    endedAt: meeting.endedAt?.toISOString() ?? null,
    policy: meeting.policy,
    participantCount,
  };
}

/** The contract's Meeting, with the slots held in it now. */
export async function meetingView(sql: Sql, meeting: MeetingRecord): Promise<MeetingView> {
  return toView(meeting, await countOccupied(sql, meeting.id));
}

export async function insertMeeting(sql: Sql, input: { hostId: string; title: string; policy: Policy }): Promise<MeetingRecord> {
  const id = randomUUID();
  await sql.query('INSERT INTO meetings (id, title, host_id, room_name) VALUES ($1, $2, $3, $4)', [id, input.title, input.hostId, `mtg_${id}`]);
  const keys = Object.keys(POLICY_COLUMNS) as Array<keyof Policy>;
  const columns = keys.map((key) => POLICY_COLUMNS[key]);
  const placeholders = keys.map((_key, index) => `$${index + 2}`);
  await sql.query(`INSERT INTO meeting_security_policies (meeting_id, ${columns.join(', ')}) VALUES ($1, ${placeholders.join(', ')})`, [
    id,
    ...keys.map((key) => input.policy[key]),
  ]);
  const created = await findMeeting(sql, id);
  if (created === null) throw new Error('meeting vanished right after insert');
  return created;
}

/**
 * The meeting, or null; `forUpdate` locks its rows until the transaction ends. Both the meeting
 * and its policy row are locked: a request that waited for the lock then re-reads both, so it
 * decides on the policy the previous holder committed (locking the meeting alone would re-read
 * only that row and keep a stale policy from before the wait).
 */
export async function findMeeting(sql: Sql, id: string, options: { forUpdate?: boolean } = {}): Promise<MeetingRecord | null> {
  const { rows } = await sql.query<MeetingRow>(`${SELECT_MEETING} WHERE m.id = $1${options.forUpdate === true ? ' FOR UPDATE' : ''}`, [id]);
  const row = rows[0];
  return row === undefined ? null : meetingFromRow(row);
}

export async function updateMeeting(sql: Sql, id: string, change: { title?: string | undefined; policy?: PolicyPatch | undefined }): Promise<void> {
  if (change.title !== undefined) await sql.query('UPDATE meetings SET title = $2 WHERE id = $1', [id, change.title]);
  // Parsed from JSON by zod: only the fields the client sent are present.
  const entries = Object.entries(change.policy ?? {}) as Array<[keyof Policy, unknown]>;
  if (entries.length > 0) {
    const sets = entries.map(([key], index) => `${POLICY_COLUMNS[key]} = $${index + 2}`);
    await sql.query(`UPDATE meeting_security_policies SET ${sets.join(', ')}, updated_at = now() WHERE meeting_id = $1`, [
      id,
      ...entries.map(([, value]) => value),
    ]);
  }
}

export async function deleteMeeting(sql: Sql, id: string): Promise<void> {
  await sql.query('DELETE FROM meetings WHERE id = $1', [id]);
}

/** scheduled → active; false when the meeting was not scheduled. */
export async function markStarted(sql: Sql, id: string): Promise<boolean> {
  const { rowCount } = await sql.query(`UPDATE meetings SET status = 'active', started_at = now() WHERE id = $1 AND status = 'scheduled'`, [id]);
  return rowCount > 0;
}

/** Ends the meeting: frees every slot and closes the waiting room. False when already ended. */
export async function markEnded(sql: Sql, id: string, endedBy: string): Promise<boolean> {
  const { rowCount } = await sql.query(
    `UPDATE meetings SET status = 'ended', ended_at = now(), started_at = coalesce(started_at, now()) WHERE id = $1 AND status <> 'ended'`,
    [id],
  );
  if (rowCount === 0) return false;
  await sql.query(`UPDATE meeting_participants SET state = 'left', left_at = now() WHERE meeting_id = $1 AND left_at IS NULL`, [id]);
  await sql.query(`UPDATE meeting_waiting SET status = 'cancelled', decided_at = now(), decided_by = $2 WHERE meeting_id = $1 AND status = 'waiting'`, [
    id,
    endedBy,
  ]);
  return true;
}

/** Slots held now: connected participants, and granted tokens that may still be used. */
export async function countOccupied(sql: Sql, meetingId: string, exceptIdentity?: string): Promise<number> {
  const { rows } = await sql.query<{ n: number | string }>(
    `SELECT count(*) AS n FROM meeting_participants
     WHERE meeting_id = $1 AND left_at IS NULL
       AND (state = 'present' OR token_expires_at > now())
       AND ($2::text IS NULL OR identity <> $2)`,
    [meetingId, exceptIdentity ?? null],
  );
  return Number(rows[0]?.n ?? 0);
}

export async function countWaiting(sql: Sql, meetingId: string): Promise<number> {
  const { rows } = await sql.query<{ n: number | string }>(`SELECT count(*) AS n FROM meeting_waiting WHERE meeting_id = $1 AND status = 'waiting'`, [meetingId]);
  return Number(rows[0]?.n ?? 0);
}

/** The caller's role in a meeting: host by ownership, co-host by grant, else attendee. */
export async function roleInMeeting(sql: Sql, meeting: MeetingRecord, identity: string, userId: string | null): Promise<Role> {
  if (userId !== null && userId === meeting.hostId) return 'host';
  const { rows } = await sql.query<{ role: Role }>('SELECT role FROM meeting_roles WHERE meeting_id = $1 AND identity = $2', [meeting.id, identity]);
  return rows[0]?.role ?? 'attendee';
}

export async function isPresentParticipant(sql: Sql, meetingId: string, identity: string): Promise<boolean> {
  const { rowCount } = await sql.query(`SELECT 1 FROM meeting_participants WHERE meeting_id = $1 AND identity = $2 AND left_at IS NULL`, [meetingId, identity]);
  return rowCount > 0;
}

/** The meeting a LiveKit room belongs to, and whether it is one of its breakout rooms; null for an unknown room. */
export async function meetingOfRoom(sql: Sql, roomName: string): Promise<{ meetingId: string; breakout: boolean } | null> {
  const { rows } = await sql.query<{ id: string; breakout: boolean }>(
    'SELECT id, false AS breakout FROM meetings WHERE room_name = $1 UNION ALL SELECT meeting_id AS id, true AS breakout FROM meeting_breakout_rooms WHERE room_name = $1 LIMIT 1',
    [roomName],
  );
  const row = rows[0];
  return row === undefined ? null : { meetingId: row.id, breakout: row.breakout };
}
