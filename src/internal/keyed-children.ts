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
   */
  place(container: Element, keys: readonly string[], update: (element: E, key: string) => void): void {
    let cursor: Element | null = container.firstElementChild;
    for (const key of keys) {
      let element = this.elements.get(key);
      if (!element) {
        element = this.create(key);
        this.elements.set(key, element);
      }
      update(element, key);
      if (element === cursor) {
        cursor = cursor.nextElementSibling;
      } else {
        container.insertBefore(element, cursor);
      }
    }
    // Whatever is left after the wanted ones is not wanted in this container.
    while (cursor) {
      const next: Element | null = cursor.nextElementSibling;
      cursor.remove();
      cursor = next;
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
