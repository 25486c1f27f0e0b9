// express-rate-limit's counters kept in the database, so every instance behind a load balancer
// counts the same calls: a caller cannot multiply their allowance by the number of instances.
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Database } from '../db/database.js';

/** Expired rows are swept about once per this many increments, so the table stays small. */
const SWEEP_EVERY = 500;

export class DatabaseRateLimitStore implements Store {
  private windowMs = 60_000;
  private calls = 0;
  /** Counts are shared: express-rate-limit must not assume it owns them. */
  readonly localKeys = false;

  constructor(
    private readonly db: Database,
    /** Keeps limits of different names apart in the shared table. */
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    if (++this.calls % SWEEP_EVERY === 0) void this.sweep();
    // One statement: concurrent calls from several instances each see their own, correct count.
    const { rows } = await this.db.query<{ hits: number; reset_at: Date | string }>(
      `INSERT INTO rate_limit_counters AS c (key, hits, reset_at) VALUES ($1, 1, now() + make_interval(secs => $2))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN c.reset_at <= now() THEN 1 ELSE c.hits + 1 END,
         reset_at = CASE WHEN c.reset_at <= now() THEN now() + make_interval(secs => $2) ELSE c.reset_at END
       RETURNING hits, reset_at`,
      [this.key(key), this.windowMs / 1000],
    );
    const row = rows[0];
    return { totalHits: row?.hits ?? 1, resetTime: row ? new Date(row.reset_at) : new Date(Date.now() + this.windowMs) };
  }

  async decrement(key: string): Promise<void> {
    await this.db.query('UPDATE rate_limit_counters SET hits = greatest(hits - 1, 0) WHERE key = $1', [this.key(key)]);
  }

  async resetKey(key: string): Promise<void> {
    await this.db.query('DELETE FROM rate_limit_counters WHERE key = $1', [this.key(key)]);
  }

  private key(key: string): string {
    return `${this.prefix}:${key}`;
  }

  private async sweep(): Promise<void> {
    await this.db.query('DELETE FROM rate_limit_counters WHERE reset_at < now()').catch(() => undefined);
  }
}
