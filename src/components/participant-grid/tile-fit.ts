// How many columns and rows, and how large each tile, for `count` tiles in the stage's real box.

export interface TileFit {
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
}

/**
 * Tiles of a fixed aspect ratio, as large as the box allows, with one rule on top of the area: a
 * landscape box never gets more rows than columns, and a portrait one never more columns than rows.
 * Without it, two people in a 16:10 box with a side panel open would be stacked (a taller pair has
 * a little more area), where every meeting app keeps them side by side. Among equal areas the
 * layout with fewer empty cells wins. With `minAspect` below `aspect`, tiles may be taller than
 * `aspect` (down to `minAspect`) to fill their cells: phones use it so two people fill the screen.
 */
export function fitTiles(count: number, width: number, height: number, gap: number, aspect = 16 / 9, minAspect = aspect): TileFit {
  if (count <= 0 || width <= 0 || height <= 0 || !(aspect > 0)) return { columns: 0, rows: 0, tileWidth: 0, tileHeight: 0 };
  const landscape = width >= height;
  let best: TileFit | undefined;
  let bestArea = -1;
  let bestEmpty = Infinity;
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    // A column count that leaves a whole row empty is never better than a smaller one.
    if (rows > 1 && (rows - 1) * columns >= count) continue;
    if (count > 1 && (landscape ? rows > columns : columns > rows)) continue;
    const cellWidth = (width - (columns - 1) * gap) / columns;
    const cellHeight = (height - (rows - 1) * gap) / rows;
    if (cellWidth <= 0 || cellHeight <= 0) continue;
    // The tile may grow taller, down to `minAspect`, to fill its cell (the video is cropped to fit).
    const tileWidth = Math.min(cellWidth, cellHeight * aspect);
    const tileHeight = Math.min(cellHeight, tileWidth / minAspect);
    const area = tileWidth * tileHeight;
    const empty = rows * columns - count;
    const clearlyLarger = area > bestArea * (1 + 1e-9);
    const tie = !clearlyLarger && area >= bestArea * (1 - 1e-9);
    if (best === undefined || clearlyLarger || (tie && empty < bestEmpty)) {
      best = { columns, rows, tileWidth, tileHeight };
      bestArea = area;
      bestEmpty = empty;
    }
  }
  // A box too small for the rule (or any gap) still gets one column.
  return best ?? { columns: 1, rows: count, tileWidth: Math.max(0, width), tileHeight: Math.max(0, width) / aspect };
}
