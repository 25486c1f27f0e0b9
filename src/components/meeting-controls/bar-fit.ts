// Which of the control bar's actions fit in one row, and which go into the "More" menu.

/** Widths the styles give the bar's pieces, in CSS pixels (meeting-controls.styles.ts holds the same). */
export const BAR = {
  button: 48,
  split: 84,
  leave: 64,
  leaveSplit: 100,
  gap: 8,
  padding: 12,
} as const;

export interface BarItem {
  id: string;
  /** Width in the bar. */
  width: number;
  /** Items with the lowest value leave the bar first; `Infinity` never leaves. */
  keep: number;
}

/**
 * The ids that stay in the bar for a bar `width` wide, given the space the page's own buttons take
 * (`extra`). The "More" button is counted once anything has to move into it. Items keep their order.
 */
export function fitBar(items: readonly BarItem[], width: number, extra = 0): Set<string> {
  const total = (list: readonly BarItem[], more: boolean) => {
    const count = list.length + (more ? 1 : 0) + (extra > 0 ? 1 : 0);
    const widths = list.reduce((sum, item) => sum + item.width, 0) + (more ? BAR.button : 0) + extra;
    return widths + Math.max(0, count - 1) * BAR.gap + 2 * BAR.padding;
  };
  if (total(items, false) <= width) return new Set(items.map((i) => i.id));
  const kept = [...items];
  const leaving = [...items].filter((i) => Number.isFinite(i.keep)).sort((a, b) => a.keep - b.keep);
  for (const item of leaving) {
    if (total(kept, true) <= width) break;
    kept.splice(kept.indexOf(item), 1);
  }
  return new Set(kept.map((i) => i.id));
}
