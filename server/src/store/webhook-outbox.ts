// The outbox of outgoing webhooks (migration 0013): rows are written by triggers in the
// transaction of each change; the dispatcher leases, delivers and settles them here.
import type { Sql } from '../db/database.js';
import type { WebhookEventType } from '../../../src/contract/webhooks.js';
import { toDate } from './timestamps.js';

/** The NOTIFY channel the triggers wake dispatchers on. */
export const WEBHOOK_OUTBOX_CHANNEL = 'webhook_outbox';

export interface OutboxEvent {
  seq: number;
  id: string;
  meetingId: string;
  type: WebhookEventType;
  facts: Record<string, unknown>;
  createdAt: Date;
  /** Attempts made before this one. */
  attempts: number;
}

/** Turns recording on or off for the whole database (see migration 0013). */
export async function setWebhooksEnabled(sql: Sql, enabled: boolean): Promise<void> {
  await sql.query('UPDATE webhook_settings SET enabled = $1', [enabled]);
}

/**
 * Leases the next event of up to `limit` meetings: for each meeting, its oldest event not yet
 * delivered or given up, if it is due and nobody holds it. A meeting whose oldest event waits
 * for a retry waits as a whole, so its events go out in the order they happened.
 */
export async function leaseDueEvents(sql: Sql, limit: number, leaseSeconds: number): Promise<OutboxEvent[]> {
  const { rows } = await sql.query<{ seq: string | number; id: string; meeting_id: string; type: WebhookEventType; facts: Record<string, unknown> | string; created_at: Date | string; attempts: number }>(
    `WITH heads AS (
       SELECT DISTINCT ON (meeting_id) seq, next_attempt_at, leased_until
         FROM webhook_outbox
        WHERE delivered_at IS NULL AND failed_at IS NULL
        ORDER BY meeting_id, seq
     ),
     due AS (
       SELECT seq FROM heads
        WHERE next_attempt_at <= now() AND (leased_until IS NULL OR leased_until < now())
        ORDER BY seq LIMIT $1
     )
     UPDATE webhook_outbox o SET leased_until = now() + make_interval(secs => $2)
       FROM due
      WHERE o.seq = due.seq AND o.delivered_at IS NULL AND o.failed_at IS NULL
        AND (o.leased_until IS NULL OR o.leased_until < now())
      RETURNING o.seq, o.id, o.meeting_id, o.type, o.facts, o.created_at, o.attempts`,
    [limit, leaseSeconds],
  );
  return rows
    .map((row) => ({
      seq: Number(row.seq),
      id: row.id,
      meetingId: row.meeting_id,
      type: row.type,
      facts: typeof row.facts === 'string' ? (JSON.parse(row.facts) as Record<string, unknown>) : row.facts,
      createdAt: toDate(row.created_at),
      attempts: row.attempts,
    }))
    .sort((a, b) => a.seq - b.seq);
}

export async function markDelivered(sql: Sql, seq: number): Promise<void> {
  await sql.query('UPDATE webhook_outbox SET delivered_at = now(), leased_until = NULL, attempts = attempts + 1, last_error = NULL WHERE seq = $1', [seq]);
}

/** This attempt failed: the next one in `delaySeconds`, or none (`giveUp`). */
export async function markAttemptFailed(sql: Sql, seq: number, error: string, next: { giveUp: boolean; delaySeconds: number }): Promise<void> {
  await sql.query(
    `UPDATE webhook_outbox
        SET attempts = attempts + 1, last_error = left($2, 500), leased_until = NULL,
            failed_at = CASE WHEN $3 THEN now() ELSE NULL END,
            next_attempt_at = now() + make_interval(secs => $4)
      WHERE seq = $1`,
    [seq, error, next.giveUp, next.delaySeconds],
  );
}

/** Gives back leases that will not be used (the dispatcher is stopping): another instance may take them at once. */
export async function releaseLeases(sql: Sql, seqs: readonly number[]): Promise<void> {
  if (seqs.length === 0) return;
  await sql.query('UPDATE webhook_outbox SET leased_until = NULL WHERE seq = ANY($1::bigint[]) AND delivered_at IS NULL', [seqs]);
}

/** Forgets delivered and given-up events older than `days`. */
export async function pruneSettled(sql: Sql, days: number): Promise<number> {
  const { rowCount } = await sql.query(
    `DELETE FROM webhook_outbox WHERE (delivered_at IS NOT NULL OR failed_at IS NOT NULL) AND created_at < now() - make_interval(days => $1)`,
    [days],
  );
  return rowCount;
}

/** The outbox's events by state, for the metrics: pending, delivered and failed (kept ones). */
export async function countOutbox(sql: Sql): Promise<{ pending: number; delivered: number; failed: number }> {
  const { rows } = await sql.query<{ pending: string | number; delivered: string | number; failed: string | number }>(
    `SELECT count(*) FILTER (WHERE delivered_at IS NULL AND failed_at IS NULL) AS pending,
            count(*) FILTER (WHERE delivered_at IS NOT NULL) AS delivered,
            count(*) FILTER (WHERE failed_at IS NOT NULL) AS failed
       FROM webhook_outbox`,
  );
  const row = rows[0];
  return { pending: Number(row?.pending ?? 0), delivered: Number(row?.delivered ?? 0), failed: Number(row?.failed ?? 0) };
}
