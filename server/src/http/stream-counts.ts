// Event streams each cost queries on every change of what they follow: a caller holds a few at most.

/** Open streams by key, on this instance (a stream lives on the instance that serves it). */
export class StreamCounts {
  private readonly open = new Map<string, number>();

  /** Takes a place under every key whose cap allows it; false (and nothing taken) when one is full. */
  take(keys: Array<[string, number]>): boolean {
    if (keys.some(([key, cap]) => cap > 0 && (this.open.get(key) ?? 0) >= cap)) return false;
    for (const [key] of keys) this.open.set(key, (this.open.get(key) ?? 0) + 1);
    return true;
  }

  release(keys: Array<[string, number]>): void {
    for (const [key] of keys) {
      const left = (this.open.get(key) ?? 1) - 1;
      if (left <= 0) this.open.delete(key);
      else this.open.set(key, left);
    }
  }
}

/** Seconds a refused stream is told to wait: long enough for a closed tab's stream to be gone. */
export const STREAM_RETRY_AFTER_SECONDS = 10;
