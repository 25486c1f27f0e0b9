// Removals from a meeting (migration 0010): final until a host or co-host lifts them.
import type { Removal } from '../../../src/contract/index.js';
import type { Sql } from '../db/database.js';
import { toIsoString } from './timestamps.js';

/** The contract's Removal object. */
export type RemovalView = Removal;

interface RemovalRow {
  identity: string;
  user_id: string | null;
  display_name: string;
  removed_by: string;
  removed_at: Date | string;
}

export async function recordRemoval(sql: Sql, input: { meetingId: string; identity: string; userId: string | null; displayName: string; removedBy: string }): Promise<void> {
  await sql.query(
    `INSERT INTO meeting_removals (meeting_id, identity, user_id, display_name, removed_by) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (meeting_id, identity) DO UPDATE SET removed_by = EXCLUDED.removed_by, removed_at = now()`,
    [input.meetingId, input.identity, input.userId, input.displayName, input.removedBy],
  );
}

/** False when the identity was not removed. */
export async function liftRemoval(sql: Sql, meetingId: string, identity: string): Promise<boolean> {
  const { rowCount } = await sql.query('DELETE FROM meeting_removals WHERE meeting_id = $1 AND identity = $2', [meetingId, identity]);
  return rowCount > 0;
}

export async function isRemoved(sql: Sql, meetingId: string, identity: string): Promise<boolean> {
  const { rowCount } = await sql.query('SELECT 1 FROM meeting_removals WHERE meeting_id = $1 AND identity = $2', [meetingId, identity]);
  return rowCount > 0;
}

export async function listRemovals(sql: Sql, meetingId: string): Promise<RemovalView[]> {
  const { rows } = await sql.query<RemovalRow>(
    'SELECT identity, user_id, display_name, removed_by, removed_at FROM meeting_removals WHERE meeting_id = $1 ORDER BY removed_at, identity',
    [meetingId],
  );
  return rows.map((row) => ({ identity: row.identity, userId: row.user_id, displayName: row.display_name, removedBy: row.removed_by, removedAt: toIsoString(row.removed_at) }));
}
