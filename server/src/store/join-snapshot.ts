import type { Sql } from '../db/database.js';
import { roleOf, type Role } from '../domain/policy.js';
import { toDate } from './timestamps.js';
import { MEETING_COLUMNS, meetingFromRow, type MeetingRecord, type MeetingRow } from './meetings.js';

/** Everything a join decision reads, taken in one statement and without a lock. */
export interface JoinSnapshot {
  meeting: MeetingRecord;
  /** Row version (xmin) of the policy, for the claim to check. */
  policyVersion: string;
  role: Role;
  invited: boolean;
  /** The caller was removed from the meeting (the claim re-checks it under the lock). */
  removed: boolean;
  /** Slots held now, the caller's own excluded. */
  occupied: number;
  /** Identities holding the co-host role in this meeting (for deciding other callers' joins). */
  coHosts: ReadonlySet<string>;
}

interface SnapshotRow extends MeetingRow {
  policy_version: string;
  invited: boolean;
  removed: boolean;
  occupied: number | string;
  co_hosts: string[];
}

export interface JoinSnapshotInput {
  meetingId: string;
  identity: string | null;
  userId: string | null;
  email: string | null;
}

/** Snapshots for several joins in one statement, in the order asked; null where the meeting does not exist. */
export async function readJoinSnapshots(sql: Sql, inputs: readonly JoinSnapshotInput[]): Promise<(JoinSnapshot | null)[]> {
  const { rows } = await sql.query<SnapshotRow & { n: number | string }>(
    `SELECT j.n, ${MEETING_COLUMNS}, p.xmin::text AS policy_version,
       EXISTS (SELECT 1 FROM meeting_invitations i
               WHERE i.meeting_id = m.id AND i.status <> 'declined'
                 AND ((i.user_id IS NOT NULL AND i.user_id = j.user_id) OR (i.email IS NOT NULL AND i.email = j.email))) AS invited,
       EXISTS (SELECT 1 FROM meeting_removals x WHERE x.meeting_id = m.id AND x.identity = j.identity) AS removed,
       (SELECT count(*) FROM meeting_participants mp
        WHERE mp.meeting_id = m.id AND mp.left_at IS NULL AND (mp.state = 'present' OR mp.token_expires_at > now())
          AND (j.identity IS NULL OR mp.identity <> j.identity)) AS occupied,
       ARRAY(SELECT r.identity FROM meeting_roles r WHERE r.meeting_id = m.id AND r.role = 'co-host' ORDER BY r.identity) AS co_hosts
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS j(meeting_id, identity, user_id, email, n)
     JOIN meetings m ON m.id = j.meeting_id
     JOIN meeting_security_policies p ON p.meeting_id = m.id`,
    [inputs.map((i) => i.meetingId), inputs.map((i) => i.identity), inputs.map((i) => i.userId), inputs.map((i) => i.email)],
  );
  const snapshots: (JoinSnapshot | null)[] = inputs.map(() => null);
  for (const row of rows) {
    const input = inputs[Number(row.n) - 1];
    if (input === undefined) continue;
    const meeting = meetingFromRow(row);
    const coHosts = new Set(row.co_hosts);
    snapshots[Number(row.n) - 1] = {
      meeting,
      policyVersion: row.policy_version,
      role: roleOf(meeting.hostId, coHosts, input),
      invited: row.invited,
      removed: row.removed,
      occupied: Number(row.occupied),
      coHosts,
    };
  }
  return snapshots;
}

export async function readJoinSnapshot(sql: Sql, input: JoinSnapshotInput): Promise<JoinSnapshot | null> {
  const [snapshot] = await readJoinSnapshots(sql, [input]);
  return snapshot ?? null;
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

export interface ClaimInput {
  snapshot: JoinSnapshot;
  identity: string;
  userId: string | null;
  email: string | null;
  displayName: string;
  needsInvitation: boolean;
  tokenTtlSeconds: number;
}

/** The claim function's ten arguments for a batch: one array per field, then the shared token lifetime. */
export function claimArguments(inputs: readonly ClaimInput[]): unknown[] {
  const ttl = inputs[0]?.tokenTtlSeconds;
  if (inputs.some((input) => input.tokenTtlSeconds !== ttl)) throw new Error('claims of one batch must share a token lifetime');
  return [
    inputs.map((i) => i.snapshot.meeting.id),
    inputs.map((i) => i.snapshot.meeting.status),
    inputs.map((i) => i.snapshot.policyVersion),
    inputs.map((i) => i.identity),
    inputs.map((i) => i.userId),
    inputs.map((i) => i.email),
    inputs.map((i) => i.displayName),
    inputs.map((i) => i.snapshot.role),
    inputs.map((i) => i.needsInvitation),
    ttl,
  ];
}

/**
 * Grants slots, one per join, if nothing each join's decision relied on has changed since its
 * snapshot (see migrations 0006 and 0007). Null where something did: decide again under the lock.
 * All claims of one call must share a token lifetime.
 *
 * This is where the database re-checks what a token's grant is made of. The grant is
 * permissionsFor(role, policy) (src/contract/permissions.ts: camera and microphone for everyone;
 * screen share where policy.screenShare allows the role; data where policy.chat does; no admin
 * powers, no changing one's own metadata). The claim refuses the join unless the role it was
 * decided for is still the one SQL derives (host by meetings.host_id, co-host by meeting_roles,
 * else attendee) and the policy row is the version it was read at (xmin), so the token's grant
 * always follows the rule from the role and policy as committed.
 */
export async function claimMeetingSlots(sql: Sql, inputs: readonly ClaimInput[]): Promise<(ClaimedSlot | null)[]> {
  if (inputs.length === 0) return [];
  const { rows } = await sql.query<ClaimRow & { n: number }>('SELECT * FROM claim_meeting_slots($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)', claimArguments(inputs));
  const claims: (ClaimedSlot | null)[] = inputs.map(() => null);
  for (const row of rows) {
    if (!row.claimed || row.status === null || row.title === null) continue;
    claims[row.n - 1] = {
      participantCount: row.participant_count,
      status: row.status,
      startedAt: row.started_at === null ? null : toDate(row.started_at),
      title: row.title,
    };
  }
  return claims;
}

export async function claimMeetingSlot(sql: Sql, input: ClaimInput): Promise<ClaimedSlot | null> {
  const [claimed] = await claimMeetingSlots(sql, [input]);
  return claimed ?? null;
}
