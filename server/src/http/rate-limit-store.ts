// express-rate-limit's counters kept in the database, so every instance behind a load balancer
// counts the same calls: a caller cannot multiply their allowance by the number of instances.
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Database } from '../db/database.js';
import { decrementCounter, deleteCounter, deleteExpiredCounters, incrementCounter } from '../store/rate-limits.js';

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
    const counted = await incrementCounter(this.db, this.key(key), this.windowMs / 1000);
    return { totalHits: counted?.hits ?? 1, resetTime: counted?.resetAt ?? new Date(Date.now() + this.windowMs) };
  }

  async decrement(key: string): Promise<void> {
    await decrementCounter(this.db, this.key(key));
  }

  async resetKey(key: string): Promise<void> {
    await deleteCounter(this.db, this.key(key));
  }

  private key(key: string): string {
    return `${this.prefix}:${key}`;
  }

  private async sweep(): Promise<void> {
    await deleteExpiredCounters(this.db).catch(() => undefined);
  }
}
