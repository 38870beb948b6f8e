/**
 * Unknown-field detection for `fieldValidation=Strict|Warn`: the paths of every field of an object that
 * its kind's schema does not define, written as upstream writes them (`spec.containers[0].bogus`).
 *
 * Upstream's messages built from these paths: Strict → 400 BadRequest
 * `<Kind> in version "<v>" cannot be handled as a <Kind>: strict decoding error: unknown field "<path>", …`;
 * Warn → one `Warning: unknown field "<path>"` header per path.
 */
import { jsonFields, isScalar, SPECIAL_TYPE_NAMES, hasType, typeOfKind, parseApiVersion } from './index.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function walkValue(type: string, v: unknown, path: string, out: string[]): void {
  if (isScalar(type) || SPECIAL_TYPE_NAMES.has(type) || !isObject(v)) return;
  walkObject(type, v, path, out);
}

function walkObject(type: string, obj: Record<string, unknown>, path: string, out: string[], topLevel = false): void {
  const fields = jsonFields(type);
  for (const [k, v] of Object.entries(obj)) {
    const p = path ? `${path}.${k}` : k;
    const f = fields.get(k);
    if (!f) {
      if (!(topLevel && (k === 'apiVersion' || k === 'kind'))) out.push(p);
      continue;
    }
    if (v === null || v === undefined) continue;
    if (f.mapKey) {
      if (isObject(v)) for (const [mk, mv] of Object.entries(v)) walkValue(f.type, mv, `${p}[${mk}]`, out);
    } else if (f.repeated) {
      if (Array.isArray(v)) v.forEach((x, i) => walkValue(f.type, x, `${p}[${i}]`, out));
    } else {
      walkValue(f.type, v, p, out);
    }
  }
}

/** Paths of the fields of `obj` that schema type `type` does not define (apiVersion/kind allowed at the top). */
export function unknownFields(type: string, obj: Record<string, unknown>): string[] {
  if (!hasType(type)) return [];
  const out: string[] = [];
  walkObject(type, obj, '', out, true);
  return out;
}

/** Same, for an object of a served kind; [] when the kind has no schema (nothing can be said). */
export function unknownFieldsOfKind(apiVersion: string, kind: string, obj: Record<string, unknown>): string[] {
  const { group, version } = parseApiVersion(apiVersion);
  const type = typeOfKind(group, version, kind);
  return type ? unknownFields(type, obj) : [];
}

function pruneValue(type: string, v: unknown): unknown {
  if (isScalar(type) || SPECIAL_TYPE_NAMES.has(type) || !isObject(v)) return v;
  return pruneObject(type, v, false);
}

function pruneObject(type: string, obj: Record<string, unknown>, topLevel: boolean): Record<string, unknown> {
  const fields = jsonFields(type);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const f = fields.get(k);
    if (!f) {
      if (topLevel && (k === 'apiVersion' || k === 'kind')) out[k] = v;
      continue;
    }
    if (v === null || v === undefined) out[k] = v;
    else if (f.mapKey && isObject(v)) out[k] = Object.fromEntries(Object.entries(v).map(([mk, mv]) => [mk, pruneValue(f.type, mv)]));
    else if (f.repeated && Array.isArray(v)) out[k] = v.map((x) => pruneValue(f.type, x));
    else out[k] = pruneValue(f.type, v);
  }
  return out;
}

/**
 * A copy of `obj` without the fields its schema does not define — what upstream stores, since a typed
 * decode drops them (under fieldValidation Warn and Ignore). Objects of unknown types are returned as is.
 */
export function pruneUnknownFields<T extends Record<string, unknown>>(type: string, obj: T): T {
  return hasType(type) ? (pruneObject(type, obj, true) as T) : obj;
}

/** Same, for an object of a served kind. */
export function pruneUnknownFieldsOfKind<T extends Record<string, unknown>>(apiVersion: string, kind: string, obj: T): T {
  const { group, version } = parseApiVersion(apiVersion);
  const type = typeOfKind(group, version, kind);
  return type ? pruneUnknownFields(type, obj) : obj;
}
