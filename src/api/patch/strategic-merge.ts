/**
 * Strategic merge patch, as upstream's `k8s.io/apimachinery/pkg/util/strategicpatch` applies it.
 *
 * Like a JSON merge patch (objects merge, `null` deletes), except that lists with a merge strategy in the
 * merge-key table (src/api/patch/merge-keys.ts) are merged: lists of objects item by item on their merge key
 * (`containers` by `name`), lists of scalars as sets (`finalizers`). Directives:
 * - `$patch: replace` in an object replaces it whole; as a list item it replaces the whole list;
 * - `$patch: delete` in an object empties it; as a list item `{name: x, $patch: delete}` removes item x;
 * - `$setElementOrder/<list>: [...]` fixes the order of the merged list;
 * - `$deleteFromPrimitiveList/<list>: [...]` removes scalars from a set-like list;
 * - `$retainKeys: [...]` clears every field of the object not named (unions such as a volume source).
 *
 * Malformed directives are BadRequest; lists of lists and `$retainKeys` contradicted by the patch are 422, as
 * upstream answers.
 */
import { ApiError } from '../errors.js';
import { patchRejected } from './json-patch.js';
import { clone, deepEqual, goFormat, isObject, jsonTypeName, type JsonObject, type JsonValue } from './json-value.js';
import { Schema, strategyOf, type FieldMeta, type GroupVersionKind } from './merge-keys.js';

export const DIRECTIVE = '$patch';
export const RETAIN_KEYS = '$retainKeys';
export const SET_ELEMENT_ORDER = '$setElementOrder/';
export const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

/** A patch that cannot be applied; `status` says how the API server answers it. */
export class StrategicPatchError extends Error {
  constructor(message: string, readonly status: 'BadRequest' | 'Invalid' = 'BadRequest') {
    super(message);
  }
  toApiError(): ApiError {
    return this.status === 'Invalid' ? patchRejected(this.message) : new ApiError('BadRequest', this.message);
  }
}

// upstream's mergepatch error messages
export const ERR_NO_LIST_OF_LISTS = 'lists of lists are not supported';
export const ERR_BAD_PRIMITIVE_LIST = 'invalid patch format of primitive list';
export const ERR_BAD_RETAIN_KEYS = 'invalid patch format of retainKeys';
export const ERR_BAD_SET_ELEMENT_ORDER = 'invalid patch format of setElementOrder list';
export const ERR_RETAIN_KEYS_MISMATCH = "patch content doesn't match retainKeys list";

const noMergeKey = (m: unknown, key: string): StrategicPatchError => new StrategicPatchError(`map: ${goFormat(m)} does not contain declared merge key: ${key}`);
const badPatchType = (t: unknown, m: unknown): StrategicPatchError => new StrategicPatchError(`unknown patch type: ${goFormat(t)} in map: ${goFormat(m)}`);

type Kind = 'map' | 'scalar';

/** The kind of the items of some lists: all objects or all scalars (lists of lists are refused). */
function elementKind(...lists: JsonValue[][]): Kind | undefined {
  let kind: Kind | undefined;
  let first: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      if (Array.isArray(v)) throw new StrategicPatchError(ERR_NO_LIST_OF_LISTS, 'Invalid');
      const t = jsonTypeName(v);
      if (first === undefined) {
        first = t;
        kind = isObject(v) ? 'map' : 'scalar';
      } else if (t !== first) {
        throw new StrategicPatchError(`list element types are not identical: ${goFormat(lists)}`);
      }
    }
  }
  return kind;
}

/** The position of `item` in `list`: by merge key for objects, by value for scalars; -1 when absent. */
function indexOf(list: JsonValue[], item: JsonValue, mergeKey: string | undefined, kind: Kind): number {
  if (kind === 'map') {
    const key = isObject(item) ? item[mergeKey ?? ''] : undefined;
    return list.findIndex((x) => isObject(x) && deepEqual(x[mergeKey ?? ''], key));
  }
  return list.findIndex((x) => deepEqual(x, item));
}

/** Items present in `order` first, then the rest: both keeping their relative order. */
function partition(merged: JsonValue[], present: JsonValue[], mergeKey: string | undefined, kind: Kind): [JsonValue[], JsonValue[]] {
  const inPatch: JsonValue[] = [];
  const serverOnly: JsonValue[] = [];
  for (const v of merged) (indexOf(present, v, mergeKey, kind) >= 0 ? inPatch : serverOnly).push(v);
  return [inPatch, serverOnly];
}

/** Stable sort of `items` by their position in `order` (upstream's normalizeSliceOrder). */
function sortByOrder(items: JsonValue[], order: JsonValue[], mergeKey: string | undefined, kind: Kind): JsonValue[] {
  return items
    .map((v, i) => ({ v, i, at: indexOf(order, v, mergeKey, kind) }))
    .sort((a, b) => (a.at >= 0 && b.at >= 0 ? a.at - b.at : a.i - b.i) || a.i - b.i)
    .map((x) => x.v);
}

/**
 * Interleaves server-only items into the patch items, keeping the relative order of each, placing a
 * server-only item before a patch item when the live list had it first (upstream's mergeSortedSlice).
 */
function mergeSorted(left: JsonValue[], right: JsonValue[], serverOrder: JsonValue[], mergeKey: string | undefined, kind: Kind): JsonValue[] {
  const out: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]!);
    else if (j >= right.length) out.push(left[i++]!);
    else {
      const li = indexOf(serverOrder, left[i]!, mergeKey, kind);
      const ri = indexOf(serverOrder, right[j]!, mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]!);
      else out.push(right[j++]!);
    }
  }
  return out;
}

function normalizeOrder(patchItems: JsonValue[], serverOnly: JsonValue[], patchOrder: JsonValue[], serverOrder: JsonValue[], mergeKey: string | undefined, kind: Kind): JsonValue[] {
  return mergeSorted(sortByOrder(serverOnly, serverOrder, mergeKey, kind), sortByOrder(patchItems, patchOrder, mergeKey, kind), serverOrder, mergeKey, kind);
}

/** Merges two lists of a `merge` strategy field. */
function mergeSlice(original: JsonValue[], patch: JsonValue[], schema: Schema, mergeKey: string | undefined): JsonValue[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind(original, patch)!;
  let merged: JsonValue[];
  let patchItems = patch;
  let base = original;
  if (kind === 'scalar') {
    merged = [];
    for (const v of [...original, ...patch]) if (!merged.some((x) => deepEqual(x, v))) merged.push(v);
  } else {
    if (!mergeKey) throw new StrategicPatchError(`cannot merge lists without merge key for ${schema.name}`);
    // special items first: deletions and a replace of the whole list
    const plain: JsonValue[] = [];
    let replace = false;
    for (const v of patch as JsonObject[]) {
      if (!Object.hasOwn(v, DIRECTIVE)) {
        plain.push(v);
        continue;
      }
      const d = v[DIRECTIVE];
      if (d === 'delete') {
        if (!Object.hasOwn(v, mergeKey)) throw noMergeKey(v, mergeKey);
        base = base.filter((x) => !(isObject(x) && deepEqual(x[mergeKey], v[mergeKey])));
      } else if (d === 'replace') {
        replace = true;
      } else if (d === 'merge') {
        throw new StrategicPatchError('merging lists cannot yet be specified in the patch');
      } else {
        throw badPatchType(d, v);
      }
    }
    if (replace) {
      base = plain.map((v) => mergeMap(undefined, v as JsonObject, schema));
      patchItems = [];
    } else {
      patchItems = plain;
    }
    merged = [...base];
    for (const v of patchItems as JsonObject[]) {
      if (!Object.hasOwn(v, mergeKey)) throw noMergeKey(v, mergeKey);
      const at = merged.findIndex((x) => isObject(x) && deepEqual(x[mergeKey], v[mergeKey]));
      if (at >= 0) merged[at] = mergeMap(merged[at] as JsonObject, v, schema);
      else merged.push(mergeMap(undefined, v, schema));
    }
  }
  const [inPatch, serverOnly] = partition(merged, patchItems, mergeKey, kind);
  return normalizeOrder(inPatch, serverOnly, patchItems, base, mergeKey, kind);
}

/** The value a patch gives a field the original does not have: directives processed, nulls dropped. */
function freshValue(v: JsonValue, schema: Schema, meta: FieldMeta): JsonValue {
  if (isObject(v)) return mergeMap(undefined, v, schema);
  if (Array.isArray(v) && strategyOf(meta).merge) return mergeSlice([], v, schema, meta.mergeKey);
  return v;
}

/** Checks that the non-deleted patch items appear in `$setElementOrder` in the same relative order. */
function checkOrderList(patchList: JsonValue[], order: JsonValue[], mergeKey: string | undefined, kind: Kind): void {
  const items = patchList.filter((v) => !(isObject(v) && v[DIRECTIVE] === 'delete'));
  let at = 0;
  for (const v of items) {
    while (at < order.length && indexOf([order[at]!], v, mergeKey, kind) < 0) at++;
    if (at >= order.length) {
      throw new StrategicPatchError(`The order in patch list:\n${goFormat(patchList)}\n doesn't match $setElementOrder list:\n${goFormat(order)}\n`);
    }
  }
}

/** Merges `patch` into `original` (which it may modify) under `schema`; returns the result. */
function mergeMap(original: JsonObject | undefined, patch: JsonObject, schema: Schema): JsonObject {
  if (Object.hasOwn(patch, DIRECTIVE)) {
    const d = patch[DIRECTIVE];
    if (d === 'replace') {
      const rest = { ...patch };
      delete rest[DIRECTIVE];
      return mergeMap(undefined, rest, schema);
    }
    if (d === 'delete') return {};
    throw badPatchType(d, patch);
  }
  const out: JsonObject = original ?? {};

  if (Object.hasOwn(patch, RETAIN_KEYS)) {
    const keep = patch[RETAIN_KEYS];
    if (!Array.isArray(keep)) throw new StrategicPatchError(ERR_BAD_RETAIN_KEYS);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || k === RETAIN_KEYS || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
      if (!keep.includes(k)) throw new StrategicPatchError(ERR_RETAIN_KEYS_MISMATCH, 'Invalid');
    }
    for (const k of Object.keys(out)) if (!keep.includes(k)) delete out[k];
  }

  const done = new Set<string>();
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const field = key.slice(SET_ELEMENT_ORDER.length);
    if (!Array.isArray(order)) throw new StrategicPatchError(ERR_BAD_SET_ELEMENT_ORDER);
    const meta = schema.field(field);
    const sub = schema.child(field);
    const orig = Array.isArray(out[field]) ? (out[field] as JsonValue[]) : undefined;
    const pl = Array.isArray(patch[field]) ? (patch[field] as JsonValue[]) : undefined;
    if (!orig && !pl) continue;
    const kind = elementKind(orig ?? [], pl ?? [], order) ?? 'scalar';
    if (kind === 'map') for (const o of order) if (!isObject(o) || !Object.hasOwn(o, meta.mergeKey ?? '')) throw new StrategicPatchError(ERR_BAD_SET_ELEMENT_ORDER);
    if (pl) checkOrderList(pl, order, meta.mergeKey, kind);
    let merged: JsonValue[];
    if (!orig) merged = freshValue(pl!, sub, meta) as JsonValue[];
    else if (!pl) merged = orig;
    else merged = strategyOf(meta).merge ? mergeSlice(orig, pl, sub, meta.mergeKey) : clone(pl);
    const [inOrder, serverOnly] = partition(merged, order, meta.mergeKey, kind);
    out[field] = normalizeOrder(inOrder, serverOnly, order, orig ?? [], meta.mergeKey, kind);
    done.add(field);
  }

  for (const [k, v] of Object.entries(patch)) {
    if (k === RETAIN_KEYS || k.startsWith(SET_ELEMENT_ORDER) || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || done.has(k)) continue;
    if (v === null) {
      delete out[k];
      continue;
    }
    const meta = schema.field(k);
    const sub = schema.child(k);
    const cur = Object.hasOwn(out, k) ? out[k] : undefined;
    if (cur === undefined || cur === null || jsonTypeName(cur) !== jsonTypeName(v)) {
      out[k] = freshValue(v, sub, meta);
    } else if (isObject(v)) {
      out[k] = mergeMap(cur as JsonObject, v, sub);
    } else if (Array.isArray(v)) {
      out[k] = strategyOf(meta).merge ? mergeSlice(cur as JsonValue[], v, sub, meta.mergeKey) : v;
    } else {
      out[k] = v;
    }
  }

  for (const [key, v] of Object.entries(patch)) {
    if (!key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) continue;
    const field = key.slice(DELETE_FROM_PRIMITIVE_LIST.length);
    if (!Array.isArray(v)) throw new StrategicPatchError(ERR_BAD_PRIMITIVE_LIST);
    const cur = out[field];
    if (!Array.isArray(cur)) continue;
    if (v.some((x) => isObject(x) || Array.isArray(x))) throw new StrategicPatchError(ERR_BAD_PRIMITIVE_LIST);
    out[field] = cur.filter((x) => !v.some((d) => deepEqual(d, x)));
  }
  return out;
}

/** Strategic-merge `patch` into `doc` under the schema of `gvk`, without reporting errors as API errors. */
export function strategicMerge(doc: unknown, patch: JsonObject, schema: Schema): JsonObject {
  return mergeMap(isObject(doc) ? clone(doc) : undefined, clone(patch), schema);
}

/**
 * Applies a strategic merge patch body to an object of kind `gvk` and returns the result (inputs are not
 * changed). Kinds outside the merge-key table merge lists as a JSON merge patch does (replace).
 */
export function applyStrategicMergePatch<T = unknown>(doc: T, patch: unknown, gvk: GroupVersionKind): T {
  if (!isObject(patch)) throw new ApiError('BadRequest', `json: cannot unmarshal ${jsonTypeName(patch)} into Go value of type map[string]interface {}`);
  try {
    return strategicMerge(doc, patch, Schema.forKind(gvk)) as unknown as T;
  } catch (e) {
    if (e instanceof StrategicPatchError) throw e.toApiError();
    throw e;
  }
}
