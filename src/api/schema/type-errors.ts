/**
 * Checks that each value of an object has the JSON type its schema field needs, and reports the first
 * mismatch the way upstream's decoder (Go's encoding/json, as sigs.k8s.io/json) does:
 *   `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`
 * The API server answers such a body with 400 BadRequest and the message
 *   `<Kind> in version "<version>" cannot be handled as a <Kind>: <that message>`.
 *
 * A malformed base64 value of a `bytes` field (Secret data) gives Go's `illegal base64 data at input byte N`.
 * `null` is accepted anywhere (it means "unset"). Types with their own JSON parsers (Time, IntOrString,
 * Quantity, RawExtension, FieldsV1) are left to validation.
 */
import { jsonFields, isScalar, SPECIAL_TYPES, SPECIAL_TYPE_NAMES, hasType, typeOfKind, parseApiVersion, type FieldInfo } from './index.js';

/** Go's name of a value type: `int32`, `v1.PodSpec`, `[]v1.Container`, `map[string]string`. */
function goType(type: string): string {
  switch (type) {
    case 'string': case 'int32': case 'int64': case 'uint32': case 'uint64': case 'bool': return type;
    case 'double': return 'float64';
    case 'float': return 'float32';
    case 'bytes': return '[]uint8';
  }
  const parts = type.split('.');
  return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
}

function goFieldType(f: FieldInfo): string {
  if (f.mapKey) return `map[${goType(f.mapKey)}]${goType(f.type)}`;
  if (f.repeated) return `[]${goType(f.type)}`;
  return f.pointer && !isScalar(f.type) ? `*${goType(f.type)}` : goType(f.type);
}

/**
 * Go's word for a JSON value in "cannot unmarshal X": a number that does not fit a numeric field carries
 * its literal ("number 1.5"); a number where no number belongs is just "number".
 */
function jsonWord(v: unknown, goType: string): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return /^(u?int\d*|float\d+)$/.test(goType) ? `number ${String(v)}` : 'number';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

const INT_RANGE: Record<string, [number, number]> = {
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};

function scalarFits(type: string, v: unknown): boolean {
  switch (type) {
    case 'string': return typeof v === 'string';
    case 'bytes': return typeof v === 'string';
    case 'bool': return typeof v === 'boolean';
    case 'double': case 'float': return typeof v === 'number';
    default: {
      const r = INT_RANGE[type];
      return typeof v === 'number' && Number.isInteger(v) && v >= r[0] && v <= r[1];
    }
  }
}

interface Mismatch { value: unknown; struct: string; path: string; goType: string; message?: string }

/** Go's base64 error for a malformed `bytes` string (standard encoding, padded), or undefined. */
function base64Error(s: string): string | undefined {
  const bad = s.search(/[^A-Za-z0-9+/=]/);
  if (bad >= 0) return `illegal base64 data at input byte ${bad}`;
  const pad = s.indexOf('=');
  if ((pad >= 0 && !/^=={0,1}$/.test(s.slice(pad))) || s.length % 4 !== 0) {
    return `illegal base64 data at input byte ${pad >= 0 ? pad : s.length - (s.length % 4)}`;
  }
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether one value fits `type`; for objects, descends. Returns the first mismatch. */
function checkValue(type: string, v: unknown, f: FieldInfo, fieldGoType: string, struct: string, path: string): Mismatch | undefined {
  if (v === null) return undefined;
  if (isScalar(type)) {
    if (!scalarFits(type, v)) return { value: v, struct, path, goType: fieldGoType };
    const b64 = type === 'bytes' ? base64Error(v as string) : undefined;
    return b64 ? { value: v, struct, path, goType: fieldGoType, message: b64 } : undefined;
  }
  if (SPECIAL_TYPE_NAMES.has(type)) {
    if (type === SPECIAL_TYPES.rawExtension || type === SPECIAL_TYPES.fieldsV1) return undefined;
    // Time, MicroTime, Duration, Quantity take strings; IntOrString and Quantity also numbers.
    const ok = typeof v === 'string' || (typeof v === 'number' && (type === SPECIAL_TYPES.intOrString || type === SPECIAL_TYPES.quantity));
    return ok ? undefined : { value: v, struct, path, goType: fieldGoType };
  }
  if (!isObject(v)) return { value: v, struct, path, goType: fieldGoType };
  return checkObject(type, v, path);
}

function checkObject(type: string, obj: Record<string, unknown>, path: string): Mismatch | undefined {
  const struct = type.slice(type.lastIndexOf('.') + 1);
  for (const [k, v] of Object.entries(obj)) {
    const f = jsonFields(type).get(k);
    if (!f || v === null || v === undefined) continue;
    const p = path ? `${path}.${k}` : k;
    const gt = goFieldType(f);
    if (f.mapKey) {
      if (!isObject(v)) return { value: v, struct, path: p, goType: gt };
      for (const x of Object.values(v)) {
        const m = checkValue(f.type, x, f, goType(f.type), struct, p);
        if (m) return m;
      }
    } else if (f.repeated) {
      if (!Array.isArray(v)) return { value: v, struct, path: p, goType: gt };
      for (const x of v) {
        const m = checkValue(f.type, x, f, goType(f.type), struct, p);
        if (m) return m;
      }
    } else {
      const m = checkValue(f.type, v, f, gt, struct, p);
      if (m) return m;
    }
  }
  return undefined;
}

/** The first type mismatch in `obj` (of schema type `type`) as upstream words it, or undefined. */
export function typeError(type: string, obj: Record<string, unknown>): string | undefined {
  if (!hasType(type)) return undefined;
  const m = checkObject(type, obj, '');
  if (m?.message) return m.message;
  return m && `json: cannot unmarshal ${jsonWord(m.value, m.goType)} into Go struct field ${m.struct}.${m.path} of type ${m.goType}`;
}

/** Same for an object of a served kind; undefined when fine or when the kind has no schema. */
export function typeErrorOfKind(apiVersion: string, kind: string, obj: Record<string, unknown>): string | undefined {
  const { group, version } = parseApiVersion(apiVersion);
  const type = typeOfKind(group, version, kind);
  return type ? typeError(type, obj) : undefined;
}
