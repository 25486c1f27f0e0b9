import { randomUUID } from 'node:crypto';
import type { Invitation } from '../../../src/contract/index.js';
import type { Sql } from '../db/database.js';
import { toIsoString } from './timestamps.js';

/** The contract's Invitation object. */
export type InvitationView = Invitation;
export type InvitationStatus = Invitation['status'];

export interface InvitationRow {
  id: string;
  meeting_id: string;
  email: string | null;
  user_id: string | null;
  status: InvitationStatus;
  invited_by: string;
  created_at: Date | string;
}

const COLUMNS = 'id, meeting_id, email, user_id, status, invited_by, created_at';

export function invitationFromRow(row: InvitationRow): InvitationView {
  return {
    id: row.id,
    meetingId: row.meeting_id,
    email: row.email,
    userId: row.user_id,
    status: row.status,
    invitedBy: row.invited_by,
    createdAt: toIsoString(row.created_at),
  };
}

/**
 * Invites each address and user once per meeting. Inviting again returns the existing invitation,
 * back to pending if it had been declined.
 */
export async function invite(sql: Sql, meetingId: string, invitedBy: string, targets: { emails: string[]; userIds: string[] }): Promise<InvitationView[]> {
  const result: InvitationView[] = [];
  const upsert = async (column: 'email' | 'user_id', value: string) => {
    const { rows } = await sql.query<InvitationRow>(
      `INSERT INTO meeting_invitations (id, meeting_id, ${column}, invited_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (meeting_id, ${column}) WHERE ${column} IS NOT NULL
       DO UPDATE SET status = CASE WHEN meeting_invitations.status = 'declined' THEN 'pending' ELSE meeting_invitations.status END
       RETURNING ${COLUMNS}`,
      [randomUUID(), meetingId, value, invitedBy],
    );
    const row = rows[0];
    if (row !== undefined) result.push(invitationFromRow(row));
  };
  for (const email of targets.emails) await upsert('email', email);
  for (const userId of targets.userIds) await upsert('user_id', userId);
  return result;
}

/** Invitations addressed to this user, by id or by e-mail, newest first. */
export async function invitationsFor(sql: Sql, userId: string, email: string | null): Promise<InvitationView[]> {
  const { rows } = await sql.query<InvitationRow>(
    `SELECT ${COLUMNS} FROM meeting_invitations WHERE user_id = $1 OR ($2::text IS NOT NULL AND email = $2) ORDER BY created_at DESC, id`,
    [userId, email],
  );
  return rows.map(invitationFromRow);
}

/** Answers an invitation addressed to this user; null when there is none with this id for them. */
export async function answerInvitation(sql: Sql, id: string, userId: string, email: string | null, status: 'accepted' | 'declined'): Promise<InvitationView | null> {
  const { rows } = await sql.query<InvitationRow>(
    `UPDATE meeting_invitations SET status = $4
     WHERE id = $1 AND (user_id = $2 OR ($3::text IS NOT NULL AND email = $3))
     RETURNING ${COLUMNS}`,
    [id, userId, email, status],
  );
  const row = rows[0];
  return row === undefined ? null : invitationFromRow(row);
}
