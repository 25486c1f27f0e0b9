/**
 * Coalesces concurrent calls into one database round trip. Under load most of a join's cost is
 * not the SQL but the trip itself (a socket write and wake-up on each side, a statement, a commit),
 * so requests that arrive together share one. Nothing waits on a timer: a batch leaves as soon as
 * the requests that arrived in the same turn of the event loop have been queued, and only when
 * `maxInFlight` batches are already out do later requests queue for the next one. With one request
 * at a time, each batch holds one item and costs what a single query would.
 */
export interface BatcherOptions {
  /** Most items in one batch. */
  maxBatch: number;
  /** Most batches out at once (each holds a database connection). */
  maxInFlight: number;
}

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (reason: unknown) => void;
}

export class Batcher<I, O> {
  private queue: Pending<I, O>[] = [];
  private inFlight = 0;
  private scheduled = false;

  /**
   * `run` answers the items in order, one result each. When a batch of several fails, each of its
   * items is run again on its own, so one bad item (or a deadlock victim) fails only itself.
   */
  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly options: BatcherOptions,
  ) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Items waiting for a batch, and batches out: for tests and metrics. */
  get pending(): { queued: number; inFlight: number } {
    return { queued: this.queue.length, inFlight: this.inFlight };
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    // setImmediate runs after the poll phase: every request whose bytes arrived in this turn of
    // the loop has been queued by then.
    setImmediate(() => {
      this.scheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight++;
      void this.settle(batch).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    }
  }

  private async settle(batch: Pending<I, O>[]): Promise<void> {
    try {
      const results = await this.run(batch.map((p) => p.item));
      if (results.length !== batch.length) throw new Error(`batch answered ${String(results.length)} results for ${String(batch.length)} items`);
      batch.forEach((p, i) => {
        p.resolve(results[i] as O);
      });
    } catch (err) {
      if (batch.length === 1) {
        batch[0]?.reject(err);
        return;
      }
      await Promise.all(
        batch.map(async (p) => {
          try {
            const [result] = await this.run([p.item]);
            if (result === undefined) throw new Error('batch of one answered nothing');
            p.resolve(result);
          } catch (alone) {
            p.reject(alone);
          }
        }),
      );
    }
  }
}
