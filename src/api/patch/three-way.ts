/**
 * Creating strategic merge patches, as upstream's `CreateTwoWayMergePatch` / `CreateThreeWayMergePatch`:
 * what `kubectl apply` (client side) sends.
 *
 * The three-way patch from the last-applied configuration (`original`), the new configuration (`modified`)
 * and the live object (`current`) is: every change from current to modified except deletions, plus the
 * deletions from original to modified. So fields that others set on the live object survive, and fields the
 * user removed from their file are deleted (`null`, `{$patch: delete, name: x}`,
 * `$deleteFromPrimitiveList/...`). Merged lists carry `$setElementOrder/<list>` so the live order follows the
 * file; `retainKeys` fields carry `$retainKeys`.
 */
import { ApiError } from '../errors.js';
import { clone, deepEqual, isObject, jsonTypeName, type JsonObject, type JsonValue } from './json-value.js';
import { Schema, strategyOf, type GroupVersionKind } from './merge-keys.js';
import { DELETE_FROM_PRIMITIVE_LIST, DIRECTIVE, ERR_NO_LIST_OF_LISTS, RETAIN_KEYS, SET_ELEMENT_ORDER, StrategicPatchError } from './strategic-merge.js';

interface DiffOptions {
  /** Leave out deletions (fields in original but not in modified). */
  ignoreDeletions?: boolean;
  /** Leave out additions and changes: only deletions. */
  ignoreChangesAndAdditions?: boolean;
  /** Emit `$setElementOrder` for merged lists. */
  setElementOrder?: boolean;
  /** Emit `$retainKeys` for this map (set from the field's strategy). */
  buildRetainKeys?: boolean;
}

/** Go's `%v` of a scalar, which upstream sorts and compares list values by. */
const str = (v: unknown): string => (v === null || v === undefined ? '<nil>' : typeof v === 'object' ? JSON.stringify(v) : String(v));
const byString = (a: JsonValue, b: JsonValue): number => (str(a) < str(b) ? -1 : str(a) > str(b) ? 1 : 0);

function diffMaps(original: JsonObject, modified: JsonObject, schema: Schema, opts: DiffOptions): JsonObject {
  const patch: JsonObject = {};
  const retain: string[] = [];
  for (const [key, mv] of Object.entries(modified)) {
    if (opts.buildRetainKeys && mv !== null) retain.push(key);
    if (!Object.hasOwn(original, key)) {
      if (!opts.ignoreChangesAndAdditions) patch[key] = clone(mv);
      continue;
    }
    const ov = original[key]!;
    if (jsonTypeName(ov) !== jsonTypeName(mv)) {
      if (!opts.ignoreChangesAndAdditions) patch[key] = clone(mv);
      continue;
    }
    if (isObject(ov)) {
      const meta = schema.field(key);
      const sub = diffMaps(ov, mv as JsonObject, schema.child(key), { ...opts, buildRetainKeys: strategyOf(meta).retainKeys });
      if (Object.keys(sub).length > 0) patch[key] = sub;
    } else if (Array.isArray(ov)) {
      diffSliceInto(key, ov, mv as JsonValue[], patch, schema, opts);
    } else if (!opts.ignoreChangesAndAdditions && !deepEqual(ov, mv)) {
      patch[key] = clone(mv);
    }
  }
  if (!opts.ignoreDeletions) {
    for (const key of Object.keys(original)) if (!Object.hasOwn(modified, key)) patch[key] = null;
  }
  const hasDroppedField = Object.entries(original).some(([k, v]) => v !== null && !Object.hasOwn(modified, k));
  if (retain.length > 0 && (Object.keys(patch).length > 0 || hasDroppedField)) patch[RETAIN_KEYS] = [...retain].sort();
  return patch;
}

function diffSliceInto(key: string, ov: JsonValue[], mv: JsonValue[], patch: JsonObject, schema: Schema, opts: DiffOptions): void {
  const meta = schema.field(key);
  const { merge, retainKeys } = strategyOf(meta);
  if (!merge) {
    if (!opts.ignoreChangesAndAdditions && !deepEqual(ov, mv)) patch[key] = clone(mv);
    return;
  }
  const [add, del, order] = diffLists(ov, mv, schema.child(key), meta.mergeKey, { ...opts, buildRetainKeys: retainKeys });
  if (add.length > 0) patch[key] = add;
  if (del.length > 0) patch[`${DELETE_FROM_PRIMITIVE_LIST}${key}`] = del;
  if (order.length > 0) patch[`${SET_ELEMENT_ORDER}${key}`] = order;
}

function diffLists(original: JsonValue[], modified: JsonValue[], schema: Schema, mergeKey: string | undefined, opts: DiffOptions): [JsonValue[], JsonValue[], JsonValue[]] {
  if (original.length === 0) {
    if (modified.length === 0 || opts.ignoreChangesAndAdditions) return [[], [], []];
    return [clone(modified), [], []];
  }
  const all = [...original, ...modified];
  if (all.some(Array.isArray)) throw new StrategicPatchError(ERR_NO_LIST_OF_LISTS, 'Invalid');
  if (isObject(all[0])) {
    const key = mergeKey ?? '';
    if (!key) throw new StrategicPatchError(`cannot merge lists without merge key for ${schema.name}`);
    const [changes, deletions] = diffListsOfMaps(original as JsonObject[], modified as JsonObject[], schema, key, opts);
    const at = (v: JsonObject): number => modified.findIndex((m) => isObject(m) && deepEqual(m[key], v[key]));
    const patchList: JsonValue[] = [...changes.sort((a, b) => at(a) - at(b)), ...deletions];
    const orderSame = original.length === modified.length && original.every((o, i) => deepEqual((o as JsonObject)[key], (modified[i] as JsonObject)[key]));
    let order: JsonValue[] = [];
    if (opts.setElementOrder && ((!opts.ignoreChangesAndAdditions && (patchList.length > 0 || !orderSame)) || (!opts.ignoreDeletions && patchList.length > 0))) {
      order = modified.map((m) => ({ [key]: (m as JsonObject)[key]! }));
    }
    return [patchList, [], order];
  }
  const [add, del] = diffListsOfScalars(original, modified, opts);
  const at = (v: JsonValue): number => modified.findIndex((m) => deepEqual(m, v));
  add.sort((a, b) => at(a) - at(b));
  let order: JsonValue[] = [];
  if (opts.setElementOrder && ((!opts.ignoreDeletions && del.length > 0) || (!opts.ignoreChangesAndAdditions && !deepEqual(original, modified)))) order = clone(modified);
  return [add, del, order];
}

function diffListsOfScalars(original: JsonValue[], modified: JsonValue[], opts: DiffOptions): [JsonValue[], JsonValue[]] {
  const o = [...original].sort(byString);
  const m = [...modified].sort(byString);
  const add: JsonValue[] = [];
  const del: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < o.length || j < m.length) {
    const c = i >= o.length ? 1 : j >= m.length ? -1 : byString(o[i]!, m[j]!);
    if (c === 0) {
      i++;
      j++;
    } else if (c < 0) {
      if (!opts.ignoreDeletions && !del.some((d) => deepEqual(d, o[i]))) del.push(o[i]!);
      i++;
    } else {
      if (!opts.ignoreChangesAndAdditions) add.push(m[j]!);
      j++;
    }
  }
  return [add, del];
}

function diffListsOfMaps(original: JsonObject[], modified: JsonObject[], schema: Schema, key: string, opts: DiffOptions): [JsonObject[], JsonObject[]] {
  const byKey = (a: JsonObject, b: JsonObject): number => byString(a[key] ?? null, b[key] ?? null);
  for (const v of [...original, ...modified]) if (!Object.hasOwn(v, key)) throw new StrategicPatchError(`map: ${JSON.stringify(v)} does not contain declared merge key: ${key}`);
  const o = [...original].sort(byKey);
  const m = [...modified].sort(byKey);
  const changes: JsonObject[] = [];
  const deletions: JsonObject[] = [];
  let i = 0;
  let j = 0;
  while (i < o.length || j < m.length) {
    const c = i >= o.length ? 1 : j >= m.length ? -1 : byKey(o[i]!, m[j]!);
    if (c === 0) {
      const sub = diffMaps(o[i]!, m[j]!, schema, opts);
      if (Object.keys(sub).length > 0) changes.push({ ...sub, [key]: m[j]![key]! });
      i++;
      j++;
    } else if (c > 0) {
      if (!opts.ignoreChangesAndAdditions) changes.push(clone(m[j]!));
      j++;
    } else {
      if (!opts.ignoreDeletions) deletions.push({ [DIRECTIVE]: 'delete', [key]: o[i]![key]! });
      i++;
    }
  }
  return [changes, deletions];
}

/**
 * Combines two patches into one (upstream merges the deletions patch and the delta patch this way):
 * objects key by key, merged lists item by item on the merge key (or as sets), directives carried over.
 */
function combine(a: JsonObject, b: JsonObject, schema: Schema): JsonObject {
  const out: JsonObject = { ...a };
  for (const [k, bv] of Object.entries(b)) {
    const av = out[k];
    if (!Object.hasOwn(out, k) || av === null || bv === null) {
      out[k] = bv;
    } else if (isObject(av) && isObject(bv)) {
      out[k] = combine(av, bv, schema.child(k));
    } else if (Array.isArray(av) && Array.isArray(bv) && k.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      out[k] = [...av, ...bv.filter((x) => !av.some((y) => deepEqual(x, y)))];
    } else if (Array.isArray(av) && Array.isArray(bv) && !k.startsWith('$') && strategyOf(schema.field(k)).merge) {
      out[k] = combineLists(av, bv, schema.child(k), schema.field(k).mergeKey);
    } else {
      out[k] = bv;
    }
  }
  // a combined list follows its $setElementOrder (the configuration's order); delete directives go last
  for (const [k, order] of Object.entries(out)) {
    if (!k.startsWith(SET_ELEMENT_ORDER) || !Array.isArray(order)) continue;
    const field = k.slice(SET_ELEMENT_ORDER.length);
    const list = out[field];
    if (!Array.isArray(list)) continue;
    const mergeKey = schema.field(field).mergeKey;
    const at = (v: JsonValue): number => {
      if (isObject(v) && v[DIRECTIVE] !== undefined) return Number.MAX_SAFE_INTEGER;
      const i = order.findIndex((o) => (mergeKey && isObject(v) && isObject(o) ? deepEqual(o[mergeKey], v[mergeKey]) : deepEqual(o, v)));
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    out[field] = list.map((v, i) => ({ v, i, at: at(v) })).sort((x, y) => x.at - y.at || x.i - y.i).map((x) => x.v);
  }
  return out;
}

function combineLists(a: JsonValue[], b: JsonValue[], schema: Schema, mergeKey: string | undefined): JsonValue[] {
  if (!mergeKey || ![...a, ...b].every(isObject)) return [...b, ...a.filter((x) => !b.some((y) => deepEqual(x, y)))];
  const keyOf = (v: JsonValue): JsonValue => (v as JsonObject)[mergeKey] ?? null;
  const out = b.map((bv) => {
    const av = a.find((x) => deepEqual(keyOf(x), keyOf(bv)));
    return av ? combine(av as JsonObject, bv as JsonObject, schema) : bv;
  });
  for (const av of a) if (!b.some((bv) => deepEqual(keyOf(av), keyOf(bv)))) out.push(av);
  return out;
}

function asObject(v: unknown, what: string): JsonObject {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) throw new ApiError('BadRequest', `${what}: expected an object, got ${jsonTypeName(v)}`);
  return v;
}

function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof StrategicPatchError) throw e.toApiError();
    throw e;
  }
}

/** The strategic merge patch that turns `original` into `modified` (upstream's CreateTwoWayMergePatch). */
export function createTwoWayMergePatch(original: unknown, modified: unknown, gvk: GroupVersionKind): JsonObject {
  return wrap(() => diffMaps(asObject(original, 'original'), asObject(modified, 'modified'), Schema.forKind(gvk), { setElementOrder: true }));
}

/**
 * The patch `kubectl apply` sends (upstream's CreateThreeWayMergePatch with overwrite): `original` is the
 * last-applied configuration (undefined on first apply), `modified` the new configuration, `current` the
 * live object. An empty object means nothing to change.
 */
export function createThreeWayMergePatch(original: unknown, modified: unknown, current: unknown, gvk: GroupVersionKind): JsonObject {
  return wrap(() => {
    const schema = Schema.forKind(gvk);
    const o = asObject(original, 'original');
    const m = asObject(modified, 'modified');
    const c = asObject(current, 'current');
    const delta = diffMaps(c, m, schema, { ignoreDeletions: true, setElementOrder: true });
    const deletions = diffMaps(o, m, schema, { ignoreChangesAndAdditions: true, setElementOrder: true });
    return combine(deletions, delta, schema);
  });
}
