// Roles granted inside a meeting, by participant identity (migration 0003). The host needs no row.
import type { Sql } from '../db/database.js';

export async function grantCoHost(sql: Sql, meetingId: string, identity: string, grantedBy: string): Promise<void> {
  await sql.query(
    `INSERT INTO meeting_roles (meeting_id, identity, role, granted_by) VALUES ($1, $2, 'co-host', $3)
     ON CONFLICT (meeting_id, identity) DO UPDATE SET granted_by = EXCLUDED.granted_by, granted_at = now()`,
    [meetingId, identity, grantedBy],
  );
}

export async function revokeRole(sql: Sql, meetingId: string, identity: string): Promise<void> {
  await sql.query('DELETE FROM meeting_roles WHERE meeting_id = $1 AND identity = $2', [meetingId, identity]);
}
