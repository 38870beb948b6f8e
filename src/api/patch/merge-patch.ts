/**
 * JSON Merge Patch (RFC 7386): objects merge key by key, `null` deletes a key, anything else (arrays
 * included) replaces. The API server only accepts an object as the patch of an object; anything else is a
 * BadRequest.
 */
import { ApiError } from '../errors.js';
import { clone, deepEqual, isObject, jsonTypeName, type JsonObject, type JsonValue } from './json-value.js';

/** RFC 7386 MergePatch(target, patch) over plain values, never mutating its arguments. */
export function mergePatchValue(target: unknown, patch: unknown): JsonValue {
  if (!isObject(patch)) return clone(patch as JsonValue);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatchValue(Object.hasOwn(out, k) ? out[k] : undefined, v);
  }
  return out;
}

/** Applies a merge patch body to an object; returns the new object (the input is not changed). */
export function applyMergePatch<T = unknown>(doc: T, patch: unknown): T {
  if (!isObject(patch)) throw new ApiError('BadRequest', `json: cannot unmarshal ${jsonTypeName(patch)} into Go value of type map[string]interface {}`);
  return mergePatchValue(doc, patch) as unknown as T;
}

/** The merge patch that turns `original` into `modified` (nulls for removed keys; arrays replaced whole). */
export function createMergePatch(original: unknown, modified: unknown): JsonValue {
  if (!isObject(original) || !isObject(modified)) return clone(modified as JsonValue);
  const patch: JsonObject = {};
  for (const k of Object.keys(original)) if (!Object.hasOwn(modified, k)) patch[k] = null;
  for (const [k, v] of Object.entries(modified)) {
    const o = original[k];
    if (!Object.hasOwn(original, k)) {
      patch[k] = clone(v);
    } else if (isObject(o) && isObject(v)) {
      const sub = createMergePatch(o, v) as JsonObject;
      if (Object.keys(sub).length > 0) patch[k] = sub;
    } else if (!deepEqual(o, v)) {
      patch[k] = clone(v);
    }
  }
  return patch;
}

/** Keeps only the deletions (`null`s) of a merge patch, or only everything else (upstream's keepOrDeleteNullInObj). */
function filterNulls(patch: JsonObject, keepNulls: boolean): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      if (keepNulls) out[k] = null;
    } else if (isObject(v) && Object.keys(v).length > 0) {
      const sub = filterNulls(v, keepNulls);
      if (Object.keys(sub).length > 0) out[k] = sub;
    } else if (!keepNulls) {
      out[k] = clone(v);
    }
  }
  return out;
}

/**
 * The JSON merge patch `kubectl apply` sends for kinds without strategic merge metadata (custom resources),
 * as upstream's CreateThreeWayJSONMergePatch: changes from `current` to `modified` (no deletions) plus the
 * deletions from `original` (the last-applied configuration) to `modified`.
 */
export function createThreeWayJsonMergePatch(original: unknown, modified: unknown, current: unknown): JsonObject {
  const asObj = (v: unknown): JsonObject => (isObject(v) ? v : {});
  const addAndChange = filterNulls(asObj(createMergePatch(asObj(current), asObj(modified))), false);
  const deletions = filterNulls(asObj(createMergePatch(asObj(original), asObj(modified))), true);
  return mergePatchKeepingNulls(deletions, addAndChange);
}

/** Merges two merge patches into one (nulls of either are kept as deletions). */
function mergePatchKeepingNulls(a: JsonObject, b: JsonObject): JsonObject {
  const out: JsonObject = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObject(v) && isObject(out[k]) ? mergePatchKeepingNulls(out[k] as JsonObject, v) : v;
  return out;
}
