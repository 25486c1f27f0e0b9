// Keyed children kept by hand: one element per key for as long as the key is wanted, moved rather
// than re-created when the order changes. Lit's `repeat` leaves one empty comment marker behind for
// every item it removes, so a grid whose speakers swap in and out grew without end; this keeps
// exactly one node per tile and no markers at all.

export class KeyedChildren<E extends Element> {
  private readonly elements = new Map<string, E>();

  constructor(
    private readonly create: (key: string) => E,
    private readonly release: (element: E) => void = () => undefined,
  ) {}

  /** The element kept for `key`, if any (in whichever container it sits now). */
  get(key: string): E | undefined {
    return this.elements.get(key);
  }

  /**
   * Makes `container` hold the elements of `keys`, in that order, and nothing else. An element
   * placed here leaves the container it was in; one that is removed stays known until `prune()`.
   *
   * Moves as few elements as it can: a moved element is disconnected and connected again, which
   * pauses its videos and costs its subscriptions, so a speaker swapping onto page 1 must not move
   * the two dozen tiles after it. The elements whose order already agrees with `keys` (a longest
   * increasing run of their current positions) stay; only the others are inserted.
   */
  place(container: Element, keys: readonly string[], update: (element: E, key: string) => void): void {
    const wanted: E[] = [];
    for (const key of keys) {
      let element = this.elements.get(key);
      if (!element) {
        element = this.create(key);
        this.elements.set(key, element);
      }
      update(element, key);
      wanted.push(element);
    }
    const wantedHere = new Set<Element>(wanted);
    const position = new Map<Element, number>();
    for (const child of [...container.children]) {
      if (wantedHere.has(child)) position.set(child, position.size);
      else child.remove();
    }
    const stay = inOrder(wanted.map((element) => position.get(element) ?? -1));
    // From the end: each element that moves goes right before its successor, already in place.
    let next: Element | null = null;
    for (let i = wanted.length - 1; i >= 0; i--) {
      const element = wanted[i];
      if (!element) continue;
      const placed = element.parentNode === container && element.nextElementSibling === next;
      if (!stay.has(i) && !placed) container.insertBefore(element, next);
      next = element;
    }
  }

  /** Forgets (and releases) every element whose key is not in `wanted`; removes it from the DOM. */
  prune(wanted: ReadonlySet<string>): void {
    for (const [key, element] of this.elements) {
      if (wanted.has(key)) continue;
      element.remove();
      this.release(element);
      this.elements.delete(key);
    }
  }

  clear(): void {
    this.prune(new Set());
  }
}

/**
 * The indexes of one longest strictly increasing subsequence of `positions`, ignoring the negative
 * entries (elements not in the container yet). O(n log n).
 */
function inOrder(positions: readonly number[]): Set<number> {
  // tails[k]: the index (into positions) ending the best run of length k + 1 found so far.
  const tails: number[] = [];
  const before = new Array<number>(positions.length).fill(-1);
  for (let i = 0; i < positions.length; i++) {
    const value = positions[i] ?? -1;
    if (value < 0) continue;
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((positions[tails[middle] ?? 0] ?? 0) < value) low = middle + 1;
      else high = middle;
    }
    if (low > 0) before[i] = tails[low - 1] ?? -1;
    tails[low] = i;
  }
  const kept = new Set<number>();
  for (let i = tails[tails.length - 1] ?? -1; i >= 0; i = before[i] ?? -1) kept.add(i);
  return kept;
}
