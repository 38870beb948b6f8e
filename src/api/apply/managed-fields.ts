/**
 * `metadata.managedFields`: decoding to field sets per manager and encoding back, as upstream's
 * fieldmanager does (entries sorted Apply before Update, then by time, manager, apiVersion, subresource).
 */
import { FieldSet } from './field-set.js';

export type Operation = 'Apply' | 'Update';

export interface ManagerEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource?: string;
  time?: string;
  set: FieldSet;
}

/** The wire form of one entry (`metav1.ManagedFieldsEntry`). */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: object;
  subresource?: string;
}

/**
 * The identity of a manager, as upstream's `BuildManagerIdentifier`: name, operation, subresource, and the
 * apiVersion for Update managers only (an applier is the same manager whatever version it applies).
 */
export function managerKey(e: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  return JSON.stringify([e.manager, e.operation, e.operation === 'Update' ? e.apiVersion : '', e.subresource ?? '']);
}

/** How upstream names a manager in a conflict: `"kubectl"`, or `"kubectl-create" using apps/v1` for updaters. */
export function printManager(e: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion'>): string {
  const name = JSON.stringify(e.manager);
  return e.operation === 'Update' ? `${name} using ${e.apiVersion}` : name;
}

/** Reads `metadata.managedFields`; throws on a malformed entry (callers then start from nothing, as upstream). */
export function decodeManagedFields(entries: unknown): Map<string, ManagerEntry> {
  const out = new Map<string, ManagerEntry>();
  if (entries === undefined || entries === null) return out;
  if (!Array.isArray(entries)) throw new Error('managedFields: expected a list');
  for (const raw of entries as ManagedFieldsEntry[]) {
    if (typeof raw !== 'object' || raw === null) throw new Error('managedFields: expected an object');
    if (raw.operation !== 'Apply' && raw.operation !== 'Update') throw new Error(`managedFields: bad operation ${String(raw.operation)}`);
    if (raw.fieldsType !== undefined && raw.fieldsType !== 'FieldsV1') throw new Error(`managedFields: bad fieldsType ${String(raw.fieldsType)}`);
    const e: ManagerEntry = {
      manager: raw.manager ?? '',
      operation: raw.operation,
      apiVersion: raw.apiVersion ?? '',
      set: FieldSet.fromFieldsV1(raw.fieldsV1 ?? {}),
    };
    if (raw.subresource) e.subresource = raw.subresource;
    if (raw.time) e.time = raw.time;
    const key = managerKey(e);
    const prev = out.get(key);
    if (prev) prev.set = prev.set.union(e.set);
    else out.set(key, e);
  }
  return out;
}

/** True for `managedFields: [{}]`, which upstream takes as a request to reset all ownership. */
export function isResetManagedFields(entries: unknown): boolean {
  return Array.isArray(entries) && entries.length === 1 && typeof entries[0] === 'object' && entries[0] !== null && Object.keys(entries[0]).length === 0;
}

/** Writes the entries back in upstream's order; entries with empty sets are dropped. */
export function encodeManagedFields(entries: Iterable<ManagerEntry>): ManagedFieldsEntry[] {
  const list = [...entries].filter((e) => !e.set.empty());
  const seconds = (t?: string): number => (t ? Math.floor(Date.parse(t) / 1000) : 0);
  list.sort((p, q) => {
    if (p.operation !== q.operation) return p.operation < q.operation ? -1 : 1;
    if (seconds(p.time) !== seconds(q.time)) return seconds(p.time) - seconds(q.time);
    if (p.manager !== q.manager) return p.manager < q.manager ? -1 : 1;
    if (p.apiVersion !== q.apiVersion) return p.apiVersion < q.apiVersion ? -1 : 1;
    const ps = p.subresource ?? '';
    const qs = q.subresource ?? '';
    return ps < qs ? -1 : ps > qs ? 1 : 0;
  });
  return list.map((e) => {
    const w: ManagedFieldsEntry = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion };
    if (e.time) w.time = e.time;
    w.fieldsType = 'FieldsV1';
    w.fieldsV1 = e.set.toFieldsV1();
    if (e.subresource) w.subresource = e.subresource;
    return w;
  });
}

/** A `metav1.Time`: RFC 3339 in UTC with whole seconds. */
export function formatTime(now: Date): string {
  return now.toISOString().replace(/\.\d+Z$/, 'Z');
}
