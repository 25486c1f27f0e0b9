// One immutable value and its listeners. Changes made in the same task are delivered together, once,
// at the end of it: a burst of room events costs one notification, not one per event. A value that
// ends the task where it started (or an update that returns the same object) notifies no one.

export type Listener<T> = (value: T) => void;
export type Equality<S> = (a: S, b: S) => boolean;

export class Store<T> {
  private value: T;
  /** What the listeners last heard; a task that ends on it again owes them nothing. */
  private announced: T;
  private readonly listeners = new Set<Listener<T>>();
  private scheduled = false;
  private delivered = 0;

  constructor(initial: T) {
    this.value = initial;
    this.announced = initial;
  }

  get current(): T {
    return this.value;
  }

  /** How many notifications have been delivered (for benchmarks and tests). */
  get notifications(): number {
    return this.delivered;
  }

  get listenerCount(): number {
    return this.listeners.size;
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
      this.deliver();
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

  /**
   * Follows one slice of the value: `listener` gets `selector(value)` at once, then only when a
   * delivered value's slice differs from the last one by `equals` (`Object.is` by default). An
   * element that renders one participant subscribes to that participant and sleeps through the rest.
   */
  select<S>(selector: (value: T) => S, listener: Listener<S>, equals: Equality<S> = Object.is): () => void {
    let slice = selector(this.value);
    const follower: Listener<T> = (value) => {
      const next = selector(value);
      if (equals(slice, next)) return;
      slice = next;
      listener(next);
    };
    this.listeners.add(follower);
    listener(slice);
    return () => {
      this.listeners.delete(follower);
    };
  }

  private deliver(): void {
    const value = this.value;
    if (value === this.announced) return;
    this.announced = value;
    this.delivered++;
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
  }
}

/** Equal when both have the same keys holding the same values (`Object.is`), one level deep. */
export function shallowEqual<S>(a: S, b: S): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  return keysA.every((key) => Object.prototype.hasOwnProperty.call(b, key) && Object.is(recordA[key], recordB[key]));
}

/** `state` with `changes` applied, or `state` itself when every change is already there. */
export function merged<S extends object>(state: S, changes: Partial<S>): S {
  for (const key of Object.keys(changes) as Array<keyof S>) {
    if (!Object.is(state[key], changes[key])) return { ...state, ...changes };
  }
  return state;
}
