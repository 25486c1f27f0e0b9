// Figures an operator reads (metrics gauges, readiness), straight from the shared database.
import type { Sql } from '../db/database.js';

async function count(sql: Sql, statement: string): Promise<number> {
  const { rows } = await sql.query<{ n: number | string }>(statement);
  return Number(rows[0]?.n ?? 0);
}

export const countActiveMeetings = (sql: Sql): Promise<number> => count(sql, `SELECT count(*) AS n FROM meetings WHERE status = 'active'`);
export const countPresentParticipants = (sql: Sql): Promise<number> => count(sql, `SELECT count(*) AS n FROM meeting_participants WHERE left_at IS NULL`);
export const countAllWaiting = (sql: Sql): Promise<number> => count(sql, `SELECT count(*) AS n FROM meeting_waiting WHERE status = 'waiting'`);

/** Resolves when the database answers a trivial statement. */
export async function ping(sql: Sql): Promise<void> {
  await sql.query('SELECT 1');
}
