/**
 * Server-side printing: turns objects into a `meta.k8s.io/v1` Table, the way kubectl shows them. Each
 * kind registers a `Printer` (its columns and a row function) in its own file under printers/; kinds
 * without one get NAME and AGE. Rows always carry every column: kubectl shows priority-1 columns only
 * with `-o wide`.
 */
import type { KubeObject } from '../../api/types.js';

export interface ColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: number;
}

export interface Printer {
  columns: ColumnDefinition[];
  /** One row's cells, in column order. `now` is the clock the ages are measured against. */
  cells(obj: KubeObject, now: Date): unknown[];
}

export interface TableRow {
  cells: unknown[];
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: ColumnDefinition[];
  rows: TableRow[];
}

const printers = new Map<string, Printer>();

/** Registers the printer of a kind, by `group/Kind` ('' group for core). */
export function registerPrinter(group: string, kind: string, p: Printer): void {
  printers.set(`${group}/${kind}`, p);
}

export function printerFor(group: string, kind: string): Printer {
  return printers.get(`${group}/${kind}`) ?? DEFAULT_PRINTER;
}

export const NAME_COLUMN: ColumnDefinition = {
  name: 'Name', type: 'string', format: 'name', priority: 0,
  description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
};

export const AGE_COLUMN: ColumnDefinition = {
  name: 'Age', type: 'string', format: '', priority: 0,
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
};

/** A column definition in one line. */
export function col(name: string, description = '', opts: { priority?: number; type?: ColumnDefinition['type']; format?: string } = {}): ColumnDefinition {
  return { name, type: opts.type ?? 'string', format: opts.format ?? '', description, priority: opts.priority ?? 0 };
}

const DEFAULT_PRINTER: Printer = {
  columns: [NAME_COLUMN, AGE_COLUMN],
  cells: (o, now) => [o.metadata?.name ?? '', age(o.metadata?.creationTimestamp, now)],
};

/** Upstream's `duration.HumanDuration`: 45s, 3m5s, 12m, 5h3m, 13h, 3d4h, 40d, 2y3d. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** `translateTimestampSince`: the age of a timestamp, `<unknown>` when unset. */
export function age(ts: string | undefined, now: Date): string {
  if (!ts) return '<unknown>';
  return humanDuration(now.getTime() - Date.parse(ts));
}

export type ObjectInRow = 'None' | 'Metadata' | 'Object';

/** PartialObjectMetadata of an object: what a row carries by default. */
export function partialMetadata(o: KubeObject): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

export function toTable(group: string, kind: string, objects: KubeObject[], now: Date, include: ObjectInRow,
  meta: Table['metadata']): Table {
  const p = printerFor(group, kind);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: meta,
    columnDefinitions: p.columns,
    rows: objects.map((o) => {
      const row: TableRow = { cells: p.cells(o, now) };
      if (include === 'Object') row.object = o;
      else if (include === 'Metadata') row.object = partialMetadata(o);
      return row;
    }),
  };
}
