export interface GridLayoutOptions {
  /** Width ÷ height the tiles should keep; 16/9 by default. */
  aspectRatio?: number;
  /** Space between tiles, in the same unit as the box. */
  gap?: number;
}

export interface GridLayout {
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
}

const EMPTY: GridLayout = { columns: 0, rows: 0, tileWidth: 0, tileHeight: 0 };

function assertSize(name: string, value: number, allowZero: boolean): void {
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new RangeError(`${name} must be a finite number ${allowZero ? '≥ 0' : '> 0'}, got ${value}`);
  }
}

/**
 * Columns and rows for `count` tiles of a fixed aspect ratio in a `width` × `height` box, chosen so
 * each tile is as large as possible. Ties (common when the box and the tiles share an aspect ratio)
 * go to the layout with fewer empty cells, then to more columns in a landscape box and more rows in
 * a portrait one, so the grid follows the shape of the box.
 */
export function computeGridLayout(count: number, width: number, height: number, options: GridLayoutOptions = {}): GridLayout {
  const aspectRatio = options.aspectRatio ?? 16 / 9;
  const gap = options.gap ?? 0;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number ≥ 0, got ${count}`);
  assertSize('width', width, true);
  assertSize('height', height, true);
  assertSize('aspectRatio', aspectRatio, false);
  assertSize('gap', gap, true);
  if (count === 0 || width === 0 || height === 0) return { ...EMPTY };

  const landscape = width >= height;
  let best: GridLayout | null = null;
  let bestEmpty = 0;
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    // A column count that leaves a whole row empty is never better than a smaller one.
    if ((rows - 1) * columns >= count && rows > 1) continue;
    const cellWidth = (width - (columns - 1) * gap) / columns;
    const cellHeight = (height - (rows - 1) * gap) / rows;
    if (cellWidth <= 0 || cellHeight <= 0) continue;
    const tileWidth = Math.min(cellWidth, cellHeight * aspectRatio);
    const tileHeight = tileWidth / aspectRatio;
    const empty = rows * columns - count;
    const area = tileWidth * tileHeight;
    const bestArea = best === null ? -1 : best.tileWidth * best.tileHeight;
    const sameArea = Math.abs(area - bestArea) <= 1e-6 * Math.max(area, bestArea);
    const betterShape =
      empty < bestEmpty || (empty === bestEmpty && best !== null && (landscape ? columns > best.columns : columns < best.columns));
    if (best === null || (!sameArea && area > bestArea) || (sameArea && betterShape)) {
      best = { columns, rows, tileWidth, tileHeight };
      bestEmpty = empty;
    }
  }
  return best ?? { ...EMPTY };
}
