/**
 * Server-side apply and field ownership, as upstream's fieldmanager (structured-merge-diff) does it.
 *
 * - `serverSideApply` merges an applied configuration into the live object for a field manager. The
 *   manager then owns exactly the fields of its configuration; fields it applied before and left out now are
 *   removed unless another manager owns them. Changing a field another manager owns is a conflict (409)
 *   unless `force`, which takes the field over.
 * - `updateManagedFields` records ordinary writes (create, update, patch): the writer owns what it changed;
 *   others lose what it changed or removed.
 *
 * Both keep `metadata.managedFields` in FieldsV1 form. Identity and bookkeeping fields (name, namespace,
 * uid, resourceVersion, generation, creationTimestamp, managedFields, apiVersion, kind) are never owned.
 */
import { ApiError } from '../errors.js';
import type { KubeObject } from '../types.js';
import { clone, deepEqual, isObject, type JsonObject } from '../patch/json-value.js';
import { Schema, type GroupVersionKind } from '../patch/merge-keys.js';
import { FieldSet, pathString, type FieldPath } from './field-set.js';
import {
  decodeManagedFields, encodeManagedFields, formatTime, isResetManagedFields, managerKey, printManager,
  type ManagerEntry, type Operation,
} from './managed-fields.js';
import { allowedConflictsFromLastApplied, encodeLastApplied, KUBECTL_MANAGER, LAST_APPLIED_ANNOTATION, lastAppliedOf } from './last-applied.js';
import { compare, merge, prune, toFieldSet } from './typed.js';

/** The updater that owns what an object had before its first server-side apply (upstream's name). */
export const BEFORE_FIRST_APPLY = 'before-first-apply';

const STRIPPED_METADATA = ['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'generation', 'managedFields', 'resourceVersion'];

/** One field another manager owns that an apply would change. */
export interface ApplyConflict {
  /** The other manager's name, e.g. `kubectl-create`. */
  manager: string;
  operation: Operation;
  apiVersion: string;
  /** Upstream's path form, e.g. `.spec.replicas` or `.spec.template.spec.containers[name="nginx"].image`. */
  path: string;
}

export interface ApplyOptions {
  /** The live object; undefined when the apply creates it. */
  live: KubeObject | undefined;
  /** The applied configuration (the request body, parsed). */
  applied: KubeObject;
  /** The field manager (`?fieldManager=`, e.g. `kubectl`). */
  manager: string;
  force: boolean;
  gvk: GroupVersionKind;
  now: Date;
  /** The subresource applied to (`status`), if any. */
  subresource?: string;
  /** Top-level fields this endpoint does not own (upstream's reset fields): `['status']` for the main resource. */
  ignore?: string[];
}

export interface ApplyResult {
  /** The merged object with its new managedFields; null when there are conflicts (and no force). */
  object: KubeObject | null;
  conflicts: ApplyConflict[];
}

function apiVersionOf(gvk: GroupVersionKind): string {
  return gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
}

/**
 * A view of `obj` without the fields nobody owns (and without `ignore`d top-level fields). Shallow: it
 * shares everything else with `obj`, so it must not be modified.
 */
function stripped(obj: JsonObject | undefined, ignore: string[] = []): JsonObject | undefined {
  if (!obj) return undefined;
  const out = { ...obj };
  delete out.apiVersion;
  delete out.kind;
  for (const k of ignore) delete out[k];
  if (isObject(out.metadata)) {
    const meta = { ...out.metadata };
    for (const k of STRIPPED_METADATA) delete meta[k];
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    if (Object.keys(meta).length === 0) delete out.metadata;
    else out.metadata = meta;
  }
  return out;
}

function managersOf(obj: JsonObject | undefined): Map<string, ManagerEntry> {
  const meta = obj && isObject(obj.metadata) ? obj.metadata : undefined;
  try {
    return decodeManagedFields(meta?.managedFields);
  } catch {
    return new Map();
  }
}

/** Sets `obj.metadata.managedFields` (in place) from the managers and returns `obj`. */
function withManagedFields(obj: JsonObject, managers: Map<string, ManagerEntry>): JsonObject {
  if (!isObject(obj.metadata)) obj.metadata = {};
  const meta = obj.metadata as JsonObject;
  const encoded = encodeManagedFields(managers.values());
  if (encoded.length > 0) meta.managedFields = encoded as unknown as JsonObject[];
  else delete meta.managedFields;
  return obj;
}

function union(sets: Iterable<FieldSet>): FieldSet {
  let u = new FieldSet();
  for (const s of sets) u = u.union(s);
  return u;
}

/** Upstream's message for apply conflicts. */
export function conflictMessage(conflicts: ApplyConflict[]): string {
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    return `Apply failed with 1 conflict: conflict with ${printManager(c)}: ${c.path}`;
  }
  const groups = new Map<string, string[]>();
  for (const c of conflicts) {
    const m = printManager(c);
    groups.set(m, [...(groups.get(m) ?? []), c.path]);
  }
  const lines: string[] = [];
  for (const m of [...groups.keys()].sort()) {
    lines.push(`conflicts with ${m}:`);
    for (const p of groups.get(m)!) lines.push(`- ${p}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/** The 409 the API server answers for apply conflicts (reason Conflict, one FieldManagerConflict cause each). */
export function conflictError(conflicts: ApplyConflict[]): ApiError {
  return new ApiError('Conflict', conflictMessage(conflicts), {
    causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c)}`, field: c.path })),
  });
}

/**
 * Server-side apply of `applied` onto `live` by `manager`. Returns the new object (with managedFields) or,
 * when another manager owns a field the configuration changes and `force` is off, the conflicts and no
 * object. Throws BadRequest for a configuration upstream refuses (managedFields set, wrong apiVersion).
 */
export function serverSideApply(opts: ApplyOptions): ApplyResult {
  const { manager, force, gvk, now } = opts;
  const live = opts.live as JsonObject | undefined;
  const applied = opts.applied as JsonObject;
  const apiVersion = apiVersionOf(gvk);
  if (!isObject(applied)) throw new ApiError('BadRequest', 'error decoding YAML: the applied configuration must be an object');
  if (applied.apiVersion !== undefined && applied.apiVersion !== apiVersion) {
    throw new ApiError('BadRequest', `Incorrect version specified in apply patch. Specified patch version: ${String(applied.apiVersion)}, expected: ${apiVersion}`);
  }
  if (isObject(applied.metadata) && applied.metadata.managedFields !== undefined && applied.metadata.managedFields !== null) {
    throw new ApiError('BadRequest', 'metadata.managedFields must be nil');
  }
  const schema = Schema.forKind(gvk);
  const ignore = opts.ignore ?? [];
  const managers = managersOf(live);
  const self = { manager, operation: 'Apply' as const, apiVersion, ...(opts.subresource ? { subresource: opts.subresource } : {}) };
  const key = managerKey(self);
  const previous = managers.get(key);

  const liveBase: JsonObject = live ? clone(live) : {};
  if (isObject(liveBase.metadata)) delete liveBase.metadata.managedFields;
  if (live && managers.size === 0) {
    // an object nobody has tracked yet: its fields go to a placeholder updater, as upstream does
    const existing = compare(undefined, stripped(liveBase, ignore), schema);
    const set = existing.added.union(existing.modified);
    const bfa = { manager: BEFORE_FIRST_APPLY, operation: 'Update' as const, apiVersion, time: formatTime(now), set };
    if (!set.empty()) managers.set(managerKey(bfa), bfa);
  }
  const appliedClean = clone(applied);
  const merged = merge(liveBase, appliedClean, schema);
  const newSet = toFieldSet(stripped(appliedClean, ignore) ?? {}, schema);

  // what the applier stops applying goes, unless someone (the applier included) still owns it
  if (previous) {
    const others = [...managers.entries()].filter(([k]) => k !== key).map(([, e]) => e.set);
    prune(merged, previous.set, union([newSet, ...others]), schema);
  }

  const cmp = compare(stripped(liveBase, ignore), stripped(merged, ignore), schema);
  const changed = cmp.modified.union(cmp.added);
  const found: { conflict: ApplyConflict; path: FieldPath }[] = [];
  const conflictSets = new Map<string, FieldSet>();
  for (const [k, e] of managers) {
    if (k === key) continue;
    const c = e.set.intersection(changed);
    if (c.empty()) continue;
    conflictSets.set(k, c);
    for (const p of c.members()) found.push({ conflict: { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, path: pathString(p) }, path: p });
  }
  if (found.length > 0 && !force) {
    // kubectl moving from client-side to server-side apply may take over what its annotation describes
    const allowed = manager === KUBECTL_MANAGER && live ? allowedConflictsFromLastApplied(live, apiVersion, schema, (o) => stripped(o, ignore)) : undefined;
    const remaining = found.filter((f) => !allowed?.has(f.path)).map((f) => f.conflict);
    if (remaining.length > 0) {
      remaining.sort((a, b) => (printManager(a) < printManager(b) ? -1 : printManager(a) > printManager(b) ? 1 : 0));
      return { object: null, conflicts: remaining };
    }
  }
  for (const [k, e] of managers) {
    if (k === key) continue;
    e.set = e.set.difference(conflictSets.get(k)).difference(cmp.removed);
    if (e.set.empty()) managers.delete(k);
  }
  // kubectl's server-side apply keeps an existing client-side apply annotation in step with what it applied
  if (manager === KUBECTL_MANAGER && lastAppliedOf(live) !== undefined && isObject(merged.metadata) && isObject(merged.metadata.annotations)) {
    merged.metadata = { ...merged.metadata, annotations: { ...merged.metadata.annotations, [LAST_APPLIED_ANNOTATION]: encodeLastApplied(appliedClean) } };
  }
  const objectChanged = !deepEqual(stripped(liveBase, []), stripped(merged, [])) || !live;
  const time = objectChanged || !previous?.time ? formatTime(now) : previous.time;
  managers.set(key, { ...self, time, set: newSet });
  if (newSet.empty()) managers.delete(key);
  return { object: withManagedFields(merged, managers) as KubeObject, conflicts: [] };
}

export interface UpdateOptions {
  /** The subresource written (`status`, `scale`), if any. */
  subresource?: string;
  /** Top-level fields this endpoint does not own: `['status']` for the main resource of kinds with status. */
  ignore?: string[];
  /** The kind; by default taken from the objects' apiVersion and kind. */
  gvk?: GroupVersionKind;
}

function gvkOf(obj: JsonObject | undefined): GroupVersionKind {
  const apiVersion = typeof obj?.apiVersion === 'string' ? obj.apiVersion : 'v1';
  const slash = apiVersion.indexOf('/');
  return {
    group: slash >= 0 ? apiVersion.slice(0, slash) : '',
    version: slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion,
    kind: typeof obj?.kind === 'string' ? obj.kind : '',
  };
}

/**
 * Records a create (`old` undefined), update or patch by `manager` in `next`'s managedFields: sets
 * `next.metadata.managedFields` in place and returns `next`. The writer owns everything it added or changed; every other manager loses what was
 * changed or removed. If the request itself carries managedFields they are taken as the starting point (a
 * client may edit them); `[{}]` resets them.
 */
export function updateManagedFields<T extends KubeObject>(oldObj: KubeObject | undefined, nextObj: T, manager: string, operation: Operation, now: Date, opts: UpdateOptions = {}): T {
  const old = oldObj as JsonObject | undefined;
  const next = nextObj as JsonObject;
  const gvk = opts.gvk ?? gvkOf(next.apiVersion ? next : old);
  const schema = Schema.forKind(gvk);
  const apiVersion = apiVersionOf(gvk);
  const nextMeta = isObject(next.metadata) ? next.metadata : undefined;

  let managers: Map<string, ManagerEntry>;
  if (opts.subresource) managers = managersOf(old);
  else if (isResetManagedFields(nextMeta?.managedFields)) managers = new Map();
  else {
    managers = managersOf(next);
    if (managers.size === 0) managers = managersOf(old);
  }

  const ignore = opts.ignore ?? [];
  const cmp = compare(stripped(old, ignore), stripped(next, ignore), schema);
  const changed = cmp.added.union(cmp.modified);
  const self = { manager, operation, apiVersion, ...(opts.subresource ? { subresource: opts.subresource } : {}) };
  const key = managerKey(self);
  for (const [k, e] of managers) {
    e.set = e.set.difference(changed).difference(cmp.removed);
    if (e.set.empty() && k !== key) managers.delete(k);
  }
  const prev = managers.get(key);
  if (!changed.empty()) {
    managers.set(key, { ...self, time: formatTime(now), set: prev ? prev.set.union(changed) : changed });
  } else if (prev && prev.set.empty()) {
    managers.delete(key);
  }
  capUpdaters(managers);
  return withManagedFields(next, managers) as T;
}

/** At most this many Update entries are kept; older ones are merged into `ancient-changes` (upstream's cap). */
export const MAX_UPDATE_MANAGERS = 10;
export const ANCIENT_CHANGES = 'ancient-changes';

/**
 * Merges the oldest updaters into one `ancient-changes` entry per apiVersion until at most
 * MAX_UPDATE_MANAGERS Update entries remain (upstream's capManagersManager).
 */
function capUpdaters(managers: Map<string, ManagerEntry>): void {
  const seconds = (e: ManagerEntry): number => (e.time ? Math.floor(Date.parse(e.time) / 1000) : 0);
  const updaters = [...managers.entries()].filter(([, e]) => e.operation === 'Update')
    .sort(([ka, a], [kb, b]) => seconds(a) - seconds(b) || (ka < kb ? -1 : ka > kb ? 1 : 0));
  let count = updaters.length;
  const firstByVersion = new Map<string, string>();
  for (const [k, e] of updaters) {
    if (count <= MAX_UPDATE_MANAGERS) break;
    const first = firstByVersion.get(e.apiVersion);
    if (first === undefined) {
      firstByVersion.set(e.apiVersion, k);
      continue;
    }
    const bucket = { manager: ANCIENT_CHANGES, operation: 'Update' as const, apiVersion: e.apiVersion };
    const bucketKey = managerKey(bucket);
    let b = managers.get(bucketKey);
    if (!b) {
      const f = managers.get(first)!;
      managers.delete(first);
      b = { ...bucket, set: f.set };
      managers.set(bucketKey, b);
    }
    b.set = b.set.union(e.set);
    if (e.time) b.time = e.time;
    managers.delete(k);
    count--;
  }
}
