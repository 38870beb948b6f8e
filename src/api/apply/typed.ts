/**
 * The schema-aware walks server-side apply needs, over plain JSON objects and the merge-key table:
 * the field set of an object, the comparison of two objects, the merge of an applied configuration into a
 * live object, and the pruning of fields an applier stopped applying.
 *
 * Lists follow their list type: associative (items by key fields, `k:{...}`), set (items by value, `v:...`)
 * or atomic (the list is one leaf). Objects are granular (each field its own path) unless marked atomic.
 */
import { ApiError } from '../errors.js';
import { clone, deepEqual, isObject, type JsonObject, type JsonValue } from '../patch/json-value.js';
import { Schema, strategyOf, type FieldMeta } from '../patch/merge-keys.js';
import { FieldSet, type FieldPath, type PathElement } from './field-set.js';

export type ListKind = 'atomic' | 'set' | 'map';

export function listKind(meta: FieldMeta): ListKind {
  if (meta.atomic) return 'atomic';
  if (meta.listMapKeys || (meta.mergeKey && strategyOf(meta).merge)) return 'map';
  if (strategyOf(meta).merge) return 'set';
  return 'atomic';
}

/**
 * Fields upstream's typed objects always have (value structs, and lists without omitempty such as
 * `containers`), so an empty object already has them and they are never "added" themselves.
 */
const ALWAYS_PRESENT = new Set(['metadata', 'spec', 'status', 'template', 'jobTemplate', 'strategy', 'containers']);

/**
 * The path element of a field, `f:<name>`. The strings are reused (a bounded cache), so the FieldsV1
 * objects built from them get the same property-name strings every time, which is much cheaper for V8.
 */
const FIELD_ELEMENTS = new Map<string, PathElement>();
export function fieldElement(name: string): PathElement {
  let pe = FIELD_ELEMENTS.get(name);
  if (pe === undefined) {
    if (FIELD_ELEMENTS.size > 10000) FIELD_ELEMENTS.clear();
    pe = `f:${name}`;
    FIELD_ELEMENTS.set(name, pe);
  }
  return pe;
}

/** The path element of a list item: `k:{...}` with the key fields sorted, or `v:<json>`. */
export function itemElement(item: JsonValue, meta: FieldMeta, kind: ListKind): PathElement {
  if (kind === 'set') return `v:${JSON.stringify(item)}`;
  const keys = [...(meta.listMapKeys ?? [meta.mergeKey ?? ''])].sort();
  const key: Record<string, JsonValue> = {};
  for (const k of keys) {
    const v = isObject(item) && Object.hasOwn(item, k) ? item[k] : meta.keyDefaults?.[k];
    if (v === undefined) throw new ApiError('BadRequest', `associative list with keys has an element that omits key field ${JSON.stringify(k)} (and doesn't have default value)`);
    key[k] = v;
  }
  return `k:${JSON.stringify(key)}`;
}

const granularObject = (v: unknown, meta: FieldMeta): v is JsonObject => isObject(v) && !meta.atomic;
const granularList = (v: unknown, meta: FieldMeta): v is JsonValue[] => Array.isArray(v) && listKind(meta) !== 'atomic';

function indexItems(list: JsonValue[], meta: FieldMeta): Map<PathElement, JsonValue> {
  const kind = listKind(meta);
  const m = new Map<PathElement, JsonValue>();
  for (const item of list) {
    const pe = itemElement(item, meta, kind);
    if (!m.has(pe)) m.set(pe, item);
  }
  return m;
}

/** The set of every field the object sets (upstream's `ToFieldSet`). */
export function toFieldSet(obj: JsonObject, schema: Schema): FieldSet {
  const set = new FieldSet();
  const walk = (v: JsonObject, s: Schema, path: FieldPath): void => {
    for (const [k, cv] of Object.entries(v)) {
      const meta = s.field(k);
      const p = [...path, fieldElement(k)];
      if (granularObject(cv, meta) && Object.keys(cv).length > 0) {
        walk(cv, s.child(k), p);
      } else if (granularList(cv, meta)) {
        const kind = listKind(meta);
        for (const item of cv) {
          const ip = [...p, itemElement(item, meta, kind)];
          set.insert(ip);
          if (kind === 'map' && isObject(item)) walk(item, s.child(k), ip);
        }
      } else {
        set.insert(p);
      }
    }
  };
  walk(obj, schema, []);
  return set;
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** What changed from `old` to `next`, path by path (upstream's `TypedValue.Compare`). */
export function compare(old: JsonObject | undefined, next: JsonObject | undefined, schema: Schema): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };

  const objects = (o: JsonObject | undefined, n: JsonObject | undefined, s: Schema, path: FieldPath): void => {
    const keys = new Set([...Object.keys(o ?? {}), ...Object.keys(n ?? {})]);
    for (const k of keys) {
      const ov = o && Object.hasOwn(o, k) ? o[k] : undefined;
      const nv = n && Object.hasOwn(n, k) ? n[k] : undefined;
      value(ov, nv, s.field(k), s.child(k), [...path, fieldElement(k)], ALWAYS_PRESENT.has(k));
    }
  };

  const lists = (o: JsonValue[] | undefined, n: JsonValue[] | undefined, meta: FieldMeta, s: Schema, path: FieldPath): void => {
    const kind = listKind(meta);
    const om = indexItems(o ?? [], meta);
    const nm = indexItems(n ?? [], meta);
    for (const pe of new Set([...om.keys(), ...nm.keys()])) {
      const oi = om.get(pe);
      const ni = nm.get(pe);
      const p = [...path, pe];
      if (kind === 'map' && (isObject(oi) || isObject(ni))) objects(isObject(oi) ? oi : undefined, isObject(ni) ? ni : undefined, s, p);
      else if (oi !== undefined && ni !== undefined && !deepEqual(oi, ni)) c.modified.insert(p);
      if (oi === undefined) c.added.insert(p);
      else if (ni === undefined) c.removed.insert(p);
    }
  };

  const value = (ov: JsonValue | undefined, nv: JsonValue | undefined, meta: FieldMeta, s: Schema, path: FieldPath, present: boolean): void => {
    if (ov === undefined && nv === undefined) return;
    const bothObjects = (ov === undefined || granularObject(ov, meta)) && (nv === undefined || granularObject(nv, meta));
    const bothLists = (ov === undefined || granularList(ov, meta)) && (nv === undefined || granularList(nv, meta));
    if (bothObjects) {
      objects(ov as JsonObject | undefined, nv as JsonObject | undefined, s, path);
    } else if (bothLists) {
      lists(ov as JsonValue[] | undefined, nv as JsonValue[] | undefined, meta, s, path);
    } else {
      if (ov === undefined) c.added.insert(path);
      else if (nv === undefined) c.removed.insert(path);
      else if (!deepEqual(ov, nv)) c.modified.insert(path);
      return;
    }
    if (ov === undefined && !present) c.added.insert(path);
    else if (nv === undefined && !present) c.removed.insert(path);
  };

  objects(old, next, schema, []);
  return c;
}

/** Merges an applied configuration into a live object (upstream's `TypedValue.Merge`); inputs untouched. */
export function merge(live: JsonObject | undefined, config: JsonObject, schema: Schema): JsonObject {
  return mergeObject(live, config, schema);
}

function mergeObject(live: JsonObject | undefined, config: JsonObject, s: Schema): JsonObject {
  const out: JsonObject = live ? { ...live } : {};
  for (const [k, cv] of Object.entries(config)) {
    if (cv === null) {
      delete out[k];
      continue;
    }
    out[k] = mergeValue(Object.hasOwn(out, k) ? out[k] : undefined, cv, s.field(k), s.child(k));
  }
  return out;
}

function mergeValue(live: JsonValue | undefined, config: JsonValue, meta: FieldMeta, s: Schema): JsonValue {
  if (granularObject(config, meta)) return mergeObject(isObject(live) ? live : undefined, config, s);
  if (granularList(config, meta)) return mergeList(Array.isArray(live) ? live : [], config, meta, s);
  return clone(config);
}

/**
 * Merges the items of a set or associative list: shared items in the configuration's order, live-only items
 * kept where they were, new items where the configuration puts them.
 */
function mergeList(live: JsonValue[], config: JsonValue[], meta: FieldMeta, s: Schema): JsonValue[] {
  const kind = listKind(meta);
  const lpes = live.map((v) => itemElement(v, meta, kind));
  const rpes = config.map((v) => itemElement(v, meta, kind));
  const lmap = indexItems(live, meta);
  const rmap = indexItems(config, meta);
  const item = (l: JsonValue | undefined, r: JsonValue | undefined): JsonValue => {
    if (r === undefined) return l!;
    if (kind === 'map' && isObject(r)) return mergeObject(isObject(l) ? l : undefined, r, s);
    return clone(r);
  };
  const shared = rpes.filter((pe) => lmap.has(pe));
  let nextShared = shared.shift();
  const mergedR = new Set<PathElement>();
  const out: JsonValue[] = [];
  let li = 0;
  let ri = 0;
  while (li < live.length || ri < config.length) {
    if (li < live.length && ri < config.length) {
      const pe = lpes[li]!;
      if (pe === rpes[ri]) {
        if (!mergedR.has(pe)) out.push(item(lmap.get(pe), rmap.get(pe)));
        mergedR.add(pe);
        li++;
        ri++;
        nextShared = shared.shift();
        continue;
      }
      if (rmap.has(pe) && nextShared !== undefined && nextShared !== pe) {
        li++;
        continue;
      }
    }
    if (li < live.length) {
      const pe = lpes[li]!;
      if (!rmap.has(pe)) {
        out.push(live[li]!);
        li++;
        continue;
      }
      if (mergedR.has(pe)) {
        li++;
        continue;
      }
    }
    if (ri < config.length) {
      const pe = rpes[ri]!;
      if (!mergedR.has(pe)) out.push(item(lmap.get(pe), rmap.get(pe)));
      mergedR.add(pe);
      ri++;
      if (nextShared === pe) nextShared = shared.shift();
    }
  }
  return out;
}

/**
 * Removes from `obj` (in place) what the applier applied last time (`last`) unless some manager — the
 * applier now included — still owns it or something under it (`keep`).
 */
export function prune(obj: JsonObject, last: FieldSet, keep: FieldSet, schema: Schema): void {
  for (const [pe, lastChild] of last.children) {
    if (!pe.startsWith('f:')) continue;
    const k = pe.slice(2);
    if (!Object.hasOwn(obj, k)) continue;
    const keepChild = keep.child(pe);
    if (lastChild.member && (!keepChild || keepChild.empty())) {
      delete obj[k];
      continue;
    }
    const v = obj[k];
    const meta = schema.field(k);
    if (isObject(v)) {
      const before = Object.keys(v).length;
      prune(v, lastChild, keepChild ?? new FieldSet(), schema.child(k));
      if (before > 0 && Object.keys(v).length === 0 && !(keepChild?.member ?? false)) delete obj[k];
    } else if (granularList(v, meta)) {
      const kind = listKind(meta);
      const kept = v.filter((item) => {
        const ipe = itemElement(item, meta, kind);
        const lc = lastChild.child(ipe);
        const kc = keepChild?.child(ipe);
        if (lc?.member && (!kc || kc.empty())) return false;
        if (lc && kind === 'map' && isObject(item)) prune(item, lc, kc ?? new FieldSet(), schema.child(k));
        return true;
      });
      // An emptied list stays `[]`, as in upstream's merge; upstream's typed objects then omit it on output.
      obj[k] = kept;
    }
  }
}
