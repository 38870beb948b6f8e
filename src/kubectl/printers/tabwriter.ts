/**
 * Go's text/tabwriter as kubectl configures it (minwidth 6, padding 3, pad with spaces): cells end at
 * a tab, a column is as wide as its widest cell plus 3 (at least 6), and the last cell of a line is
 * never padded. Widths count characters, not bytes.
 */
export const TAB_MIN_WIDTH = 6;
export const TAB_PADDING = 3;

/** `widths` may be passed in to remember column widths across calls (kubectl's RememberWidths, used by watch). */
export function alignColumns(lines: string[][], minWidth = TAB_MIN_WIDTH, padding = TAB_PADDING, widths: number[] = []): string {
  // tabwriter aligns a column over consecutive lines that have a cell there; every line of a table
  // has the same cells, so one width per column is enough.
  for (const cells of lines) {
    for (let c = 0; c < cells.length - 1; c++) {
      const w = Math.max(minWidth, runeLength(cells[c]) + padding);
      if (!(widths[c] >= w)) widths[c] = w;
    }
  }
  return lines.map((cells) => cells.map((cell, c) => (c < cells.length - 1 ? cell + ' '.repeat(widths[c] - runeLength(cell)) : cell)).join('') + '\n').join('');
}

function runeLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
