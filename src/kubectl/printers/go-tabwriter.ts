/**
 * Go's text/tabwriter (left-aligned, space padding, no flags) applied to a finished text: cells end at
 * a tab; a column's width is set per *column block*, the run of consecutive lines that have a cell in
 * that column, so a line without tabs starts new blocks. The last cell of a line is never padded.
 * `kubectl describe` writes through this with minwidth 0 and padding 2.
 */
export function goTabwriter(text: string, minWidth = 0, padding = 2): string {
  const endsWithNewline = text.endsWith('\n');
  const lines = (endsWithNewline ? text.slice(0, -1) : text).split('\n').map((l) => l.split('\t'));
  const out: string[] = [];
  const widths: number[] = [];
  const width = (s: string) => [...s].length;
  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      out.push(lines[i].map((cell, j) => (j < widths.length && j < lines[i].length - 1 ? cell + ' '.repeat(Math.max(0, widths[j] - width(cell))) : cell)).join(''));
    }
  };
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let row = line0; row < line1; row++) {
      if (column >= lines[row].length - 1) continue;
      writeLines(line0, row);
      line0 = row;
      let w = minWidth;
      for (; row < line1; row++) {
        if (column >= lines[row].length - 1) break;
        w = Math.max(w, width(lines[row][column]) + padding);
      }
      widths.push(w);
      format(line0, row);
      widths.pop();
      line0 = row;
      row--;
    }
    writeLines(line0, line1);
  };
  format(0, lines.length);
  return out.join('\n') + (endsWithNewline ? '\n' : '');
}
