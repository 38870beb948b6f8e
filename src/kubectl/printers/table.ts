/**
 * The default `kubectl get` output: a server-side `meta.k8s.io/v1` Table rendered as kubectl renders it.
 *
 * Columns with priority 0 always, others only with `-o wide`; headers upper-cased; with `-A` a
 * NAMESPACE column first; `-L key` columns (header: the key's last `/` segment, upper-cased) and
 * `--show-labels` (LABELS, `k=v,...` sorted, `<none>` when empty) after the server's columns; with
 * several kinds, names are prefixed `kind[.group]/`. Cells stop at the first line break (`...` marks the
 * cut). Columns are aligned by the tabwriter rules in tabwriter.ts.
 */
import { alignColumns } from './tabwriter.js';

export interface TableColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
}

export interface TableRow {
  cells: unknown[];
  object?: { metadata?: { name?: string; namespace?: string; labels?: Record<string, string> } } & Record<string, unknown>;
}

/** The meta.k8s.io/v1 Table a server returns. */
export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata?: { resourceVersion?: string; continue?: string };
  columnDefinitions: TableColumn[];
  rows: TableRow[];
}

export interface TableOptions {
  wide?: boolean;
  noHeaders?: boolean;
  withNamespace?: boolean;
  showLabels?: boolean;
  /** `-L` keys. */
  labelColumns?: string[];
  /** When set (e.g. "pod", "deployment.apps"), names are shown as `kind/name`. */
  kindPrefix?: string;
  /** Terminal output: the header line is bold. Never set for pipes, so scripts see kubectl's bytes. */
  color?: boolean;
}

/** Rows of cells (header first unless noHeaders), before alignment. */
export function tableCells(table: Table, opts: TableOptions): string[][] {
  const cols = table.columnDefinitions;
  const nameCol = opts.kindPrefix ? cols.findIndex((c) => c.format === 'name' && c.type === 'string') : -1;
  const shown = cols.map((c, i) => ({ c, i })).filter(({ c }) => opts.wide || !c.priority);
  const labelKeys = opts.labelColumns ?? [];
  const lines: string[][] = [];
  if (!opts.noHeaders) {
    lines.push([
      ...(opts.withNamespace ? ['NAMESPACE'] : []),
      ...shown.map(({ c }) => c.name.toUpperCase()),
      ...labelKeys.map((k) => k.split('/').pop()!.toUpperCase()),
      ...(opts.showLabels ? ['LABELS'] : []),
    ]);
  }
  for (const row of table.rows) {
    const meta = row.object?.metadata ?? {};
    const labels = meta.labels ?? {};
    lines.push([
      ...(opts.withNamespace ? [meta.namespace ?? ''] : []),
      ...shown.map(({ i }) => {
        const text = cellText(row.cells[i]);
        return i === nameCol ? `${opts.kindPrefix}/${text}` : text;
      }),
      ...labelKeys.map((k) => labels[k] ?? ''),
      ...(opts.showLabels ? [formatLabels(labels)] : []),
    ]);
  }
  return lines;
}

/** Renders the table; an empty table prints nothing (the caller reports "No resources found"). */
export function printTable(table: Table, opts: TableOptions = {}): string {
  if (table.rows.length === 0) return '';
  const text = alignColumns(tableCells(table, opts));
  if (!opts.color || opts.noHeaders) return text;
  const nl = text.indexOf('\n');
  return `\x1b[1m${text.slice(0, nl)}\x1b[0m${text.slice(nl)}`;
}

/** A cell as kubectl prints it: cut at the first line break, `...` appended when cut. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  const cut = s.search(/[\f\n\r]/);
  return escapeCell(cut >= 0 ? `${s.slice(0, cut)}...` : s);
}

/** Keeps control characters from moving the cursor: tabs and other C0 characters become `^X`-free escapes. */
function escapeCell(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

/** labels.FormatLabels: the `k=v` strings sorted, comma-joined; `<none>` when empty. */
export function formatLabels(labels: Record<string, string>): string {
  const pairs = Object.keys(labels).map((k) => `${k}=${labels[k]}`).sort();
  return pairs.length ? pairs.join(',') : '<none>';
}
