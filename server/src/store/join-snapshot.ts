import type { Sql } from '../db/database.js';
import type { Role } from '../domain/policy.js';
import { toDate } from './timestamps.js';
import { MEETING_COLUMNS, MEETING_FROM, meetingFromRow, type MeetingRecord, type MeetingRow } from './meetings.js';

/** Everything a join decision reads, taken in one statement and without a lock. */
export interface JoinSnapshot {
  meeting: MeetingRecord;
  /** Row versions (xmin) of the meeting and its policy, for `claimMeetingSlot` to check. */
  meetingVersion: string;
  policyVersion: string;
  role: Role;
  invited: boolean;
  /** Slots held now, the caller's own excluded. */
  occupied: number;
}

interface SnapshotRow extends MeetingRow {
  meeting_version: string;
  policy_version: string;
  caller_role: Role;
  invited: boolean;
  occupied: number | string;
}

export async function readJoinSnapshot(
  sql: Sql,
  input: { meetingId: string; identity: string | null; userId: string | null; email: string | null },
): Promise<JoinSnapshot | null> {
  const { rows } = await sql.query<SnapshotRow>(
    `SELECT ${MEETING_COLUMNS}, m.xmin::text AS meeting_version, p.xmin::text AS policy_version,
       CASE WHEN $3::text IS NOT NULL AND m.host_id = $3 THEN 'host'
            ELSE coalesce((SELECT r.role FROM meeting_roles r WHERE r.meeting_id = m.id AND r.identity = $2), 'attendee') END AS caller_role,
       EXISTS (SELECT 1 FROM meeting_invitations i
               WHERE i.meeting_id = m.id AND i.status <> 'declined'
                 AND ((i.user_id IS NOT NULL AND i.user_id = $3) OR (i.email IS NOT NULL AND i.email = $4))) AS invited,
       (SELECT count(*) FROM meeting_participants mp
        WHERE mp.meeting_id = m.id AND mp.left_at IS NULL AND (mp.state = 'present' OR mp.token_expires_at > now())
          AND ($2::text IS NULL OR mp.identity <> $2)) AS occupied
     ${MEETING_FROM} WHERE m.id = $1`,
    [input.meetingId, input.identity, input.userId, input.email],
  );
  const row = rows[0];
  if (row === undefined) return null;
  return {
    meeting: meetingFromRow(row),
    meetingVersion: row.meeting_version,
    policyVersion: row.policy_version,
    role: row.caller_role,
    invited: row.invited,
    occupied: Number(row.occupied),
  };
}

export interface ClaimedSlot {
  participantCount: number;
  status: MeetingRecord['status'];
  startedAt: Date | null;
  title: string;
}

interface ClaimRow {
  claimed: boolean;
  participant_count: number;
  status: MeetingRecord['status'] | null;
  started_at: Date | string | null;
  title: string | null;
}

/**
 * Grants a slot if nothing the snapshot's decision relied on has changed since (see migration
 * 0005). Null means something did: decide again under the lock.
 */
export async function claimMeetingSlot(
  sql: Sql,
  input: {
    snapshot: JoinSnapshot;
    identity: string;
    userId: string | null;
    email: string | null;
    displayName: string;
    needsInvitation: boolean;
    tokenTtlSeconds: number;
  },
): Promise<ClaimedSlot | null> {
  const { snapshot } = input;
  const { rows } = await sql.query<ClaimRow>('SELECT * FROM claim_meeting_slot($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)', [
    snapshot.meeting.id,
    snapshot.meetingVersion,
    snapshot.policyVersion,
    input.identity,
    input.userId,
    input.email,
    input.displayName,
    snapshot.role,
    input.needsInvitation,
    input.tokenTtlSeconds,
  ]);
  const row = rows[0];
  if (row?.claimed !== true || row.status === null || row.title === null) return null;
  return {
    participantCount: row.participant_count,
    status: row.status,
    startedAt: row.started_at === null ? null : toDate(row.started_at),
    title: row.title,
  };
}
