// The core's timers in one place, so `dispose()` can clear them and hygiene tests can count them.

export class Timers {
  private readonly live = new Set<ReturnType<typeof setTimeout>>();

  get size(): number {
    return this.live.size;
  }

  /** Runs `run` after `ms`; returns the cancel function. */
  after(ms: number, run: () => void): () => void {
    const timer = setTimeout(() => {
      this.live.delete(timer);
      run();
    }, ms);
    this.live.add(timer);
    return () => {
      clearTimeout(timer);
      this.live.delete(timer);
    };
  }

  /** Waits `ms`; resolves false at once when `signal` aborts meanwhile. */
  pause(ms: number, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        cancel();
        resolve(false);
      };
      const cancel = this.after(ms, () => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      });
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  clear(): void {
    for (const timer of this.live) clearTimeout(timer);
    this.live.clear();
  }
}

export interface BackoffOptions {
  /** The first retry's delay; each later one doubles it. */
  baseMs?: number;
  maxMs?: number;
  /** ± this share of each delay at random, so many clients of one restarted server do not return in step. */
  jitter?: number;
}

/** The delay before retry number `attempt` (0 = the first retry): at once, then doubling up to `maxMs`. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  if (attempt <= 0) return 0;
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 10_000;
  const plain = Math.min(max, base * 2 ** (attempt - 1));
  const jitter = options.jitter ?? 0.2;
  return Math.round(plain * (1 - jitter + Math.random() * 2 * jitter));
}
