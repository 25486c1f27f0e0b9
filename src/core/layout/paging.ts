// Which participants are on which page, in an order that does not jump around.

export interface PageSizeOptions {
  /** Tiles on a wide screen. */
  desktop?: number;
  /** Tiles on a narrow (phone-sized) screen. */
  narrow?: number;
  /** Below this width (CSS pixels) the screen counts as narrow. */
  narrowBelow?: number;
}

/** Up to 25 tiles on a desktop-sized box, 6 on a phone-sized one. */
export function pageSizeFor(width: number, height: number, options: PageSizeOptions = {}): number {
  const narrow = Math.min(width, height) < (options.narrowBelow ?? 600);
  return narrow ? (options.narrow ?? 6) : (options.desktop ?? 25);
}

export interface Page<T> {
  page: number;
  pageCount: number;
  items: T[];
}

/** The `page`th slice (0-based, clamped into range) of `items`. */
export function paginate<T>(items: readonly T[], pageSize: number, page: number): Page<T> {
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`pageSize must be a positive integer, got ${String(pageSize)}`);
  const pageCount = Math.max(1, Math.ceil(items.length / pageSize));
  const clamped = Math.min(Math.max(0, Math.floor(page)), pageCount - 1);
  return { page: clamped, pageCount, items: items.slice(clamped * pageSize, (clamped + 1) * pageSize) };
}

export interface OrderInput {
  /** Everyone present, in join order. */
  present: readonly string[];
  /** The order shown last time; kept as far as possible so tiles do not reshuffle. */
  previous: readonly string[];
  pageSize: number;
  /** Always first when set (pinned, or the local participant). */
  first?: readonly string[];
  /** The participant speaking now, brought onto page 1 when they are elsewhere. */
  activeSpeaker?: string | undefined;
  /** When each participant last spoke (ms); page 1's quietest member makes room for the speaker. */
  lastSpokeAt?: ReadonlyMap<string, number>;
}

/**
 * Stable tile order: the previous order minus those who left, newcomers appended in join order.
 * An active speaker who is not on page 1 swaps places with page 1's longest-silent member, so the
 * rest of page 1 stays where it was. O(n) per call.
 */
export function orderParticipants(input: OrderInput): string[] {
  const present = new Set(input.present);
  const first = (input.first ?? []).filter((id) => present.has(id));
  const pinned = new Set(first);
  const seen = new Set<string>(first);
  const order: string[] = [...first];
  for (const id of input.previous) {
    if (present.has(id) && !seen.has(id)) {
      order.push(id);
      seen.add(id);
    }
  }
  for (const id of input.present) {
    if (!seen.has(id)) {
      order.push(id);
      seen.add(id);
    }
  }
  const speaker = input.activeSpeaker;
  if (speaker === undefined || !present.has(speaker)) return order;
  const at = order.indexOf(speaker);
  if (at < input.pageSize) return order;
  let quietest = -1;
  let quietestAt = Infinity;
  for (let i = 0; i < Math.min(input.pageSize, order.length); i++) {
    const id = order[i];
    if (id === undefined || pinned.has(id)) continue;
    const spoke = input.lastSpokeAt?.get(id) ?? 0;
    if (spoke < quietestAt) {
      quietestAt = spoke;
      quietest = i;
    }
  }
  if (quietest < 0) return order;
  const displaced = order[quietest];
  if (displaced === undefined) return order;
  order[quietest] = speaker;
  order[at] = displaced;
  return order;
}
