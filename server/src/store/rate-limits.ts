// Rate-limit counters shared by every instance through the database (migration 0004).
import type { Sql } from '../db/database.js';

/** Counts one call for `key` in a window of `windowSeconds`; one statement, so concurrent instances each see their own count. */
export async function incrementCounter(sql: Sql, key: string, windowSeconds: number): Promise<{ hits: number; resetAt: Date } | null> {
  const { rows } = await sql.query<{ hits: number; reset_at: Date | string }>(
    `INSERT INTO rate_limit_counters AS c (key, hits, reset_at) VALUES ($1, 1, now() + make_interval(secs => $2))
     ON CONFLICT (key) DO UPDATE SET
       hits = CASE WHEN c.reset_at <= now() THEN 1 ELSE c.hits + 1 END,
       reset_at = CASE WHEN c.reset_at <= now() THEN now() + make_interval(secs => $2) ELSE c.reset_at END
     RETURNING hits, reset_at`,
    [key, windowSeconds],
  );
  const row = rows[0];
  return row === undefined ? null : { hits: row.hits, resetAt: new Date(row.reset_at) };
}

export async function decrementCounter(sql: Sql, key: string): Promise<void> {
  await sql.query('UPDATE rate_limit_counters SET hits = greatest(hits - 1, 0) WHERE key = $1', [key]);
}

export async function deleteCounter(sql: Sql, key: string): Promise<void> {
  await sql.query('DELETE FROM rate_limit_counters WHERE key = $1', [key]);
}

export async function deleteExpiredCounters(sql: Sql): Promise<void> {
  await sql.query('DELETE FROM rate_limit_counters WHERE reset_at < now()');
}
