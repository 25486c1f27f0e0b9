import type { Sql } from '../db/database.js';

/** NOTIFY inside the caller's transaction: listeners hear of it once (and only if) it commits. */
export async function notify(sql: Sql, channel: string, payload: string): Promise<void> {
  await sql.query('SELECT pg_notify($1, $2)', [channel, payload]);
}
