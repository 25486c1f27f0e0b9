// One immutable value and its listeners. Changes made in the same task are delivered together, once,
// at the end of it: a burst of room events costs one notification, not one per event.

export type Listener<T> = (value: T) => void;

export class Store<T> {
  private value: T;
  private readonly listeners = new Set<Listener<T>>();
  private scheduled = false;
  private delivered = 0;

  constructor(initial: T) {
    this.value = initial;
  }

  get current(): T {
    return this.value;
  }

  /** How many notifications have been delivered (for benchmarks and tests). */
  get notifications(): number {
    return this.delivered;
  }

  /** Replaces the value with `update(value)`; a no-op when the result is the same object. */
  update(update: (value: T) => T): void {
    const next = update(this.value);
    if (next === this.value) return;
    this.value = next;
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.delivered++;
      const value = this.value;
      for (const listener of [...this.listeners]) {
        try {
          listener(value);
        } catch (error) {
          // A listener's bug must not stop the others from hearing about the change.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    });
  }

  /** Calls `listener` with the current value at once, then on every change; returns the unsubscribe. */
  subscribe(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    listener(this.value);
    return () => {
      this.listeners.delete(listener);
    };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
