/**
 * Conversion between decoded protobuf messages and the JSON shape objects have on the wire, driven by
 * the schema table. What differs between the two forms:
 * - Time → RFC 3339 seconds ("2024-01-02T03:04:05Z"); MicroTime → with microseconds; Duration → Go's
 *   duration string ("1h0m0s");
 * - IntOrString → a number or a string; Quantity → its string; RawExtension and FieldsV1 → the JSON they
 *   carry; `bytes` → base64;
 * - embedded Go structs (Volume.volumeSource, Probe.handler, …) are inline in JSON;
 * - a value field (not a Go pointer) is always on the wire; as Go's JSON encoder does with `omitempty`,
 *   its zero value is left out unless the field is required. Pointer fields keep explicit zeros
 *   (`replicas: 0`). Struct-valued fields stay, even when empty (`status: {}`), and an unset Time in a
 *   value field is `null` (`creationTimestamp: null`), exactly as kubectl's own JSON.
 */
import { typeFields, SPECIAL_TYPES, SPECIAL_TYPE_NAMES, isScalar, type FieldInfo } from '../schema/index.js';
import { errors } from '../errors.js';

type Msg = Record<string, unknown>;

const has = (m: Msg, k: string) => Object.prototype.hasOwnProperty.call(m, k);

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'object' && v !== null && 'low' in v) return Number(String(v));
  return Number(v);
}

function base64(v: unknown): string {
  return Buffer.from(v as Uint8Array).toString('base64');
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** RFC 3339 in UTC, with `fractionDigits` (0 or 6) digits of fraction. */
export function formatTime(seconds: number, nanos: number, fractionDigits: 0 | 6): string {
  const d = new Date(seconds * 1000);
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return fractionDigits ? `${base}.${pad(Math.floor(nanos / 1000), 6)}Z` : `${base}Z`;
}

/** Go's `time.Duration.String()` for a count of nanoseconds. */
export function formatDuration(nanos: number): string {
  if (nanos === 0) return '0s';
  const sign = nanos < 0 ? '-' : '';
  let n = Math.abs(nanos);
  if (n < 1e3) return `${sign}${n}ns`;
  if (n < 1e6) return `${sign}${trim(n / 1e3)}µs`;
  if (n < 1e9) return `${sign}${trim(n / 1e6)}ms`;
  const h = Math.floor(n / 3.6e12);
  n -= h * 3.6e12;
  const m = Math.floor(n / 6e10);
  n -= m * 6e10;
  const s = `${trim(n / 1e9)}s`;
  return h ? `${sign}${h}h${m}m${s}` : m ? `${sign}${m}m${s}` : `${sign}${s}`;
}

function trim(x: number): string {
  return String(Number(x.toFixed(9)));
}

function parseJsonBytes(v: unknown, what: string): unknown {
  const bytes = Buffer.from(v as Uint8Array);
  if (bytes.length === 0) return {};
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw errors.badRequest(`${what} does not hold JSON`);
  }
}

/** The JSON form of a special type's message, or `undefined` for "leave the field out". */
function specialToJson(type: string, m: Msg, f: FieldInfo | undefined): unknown {
  switch (type) {
    case SPECIAL_TYPES.time:
    case SPECIAL_TYPES.microTime: {
      if (!has(m, 'seconds') && !has(m, 'nanos')) return f?.pointer ? undefined : null;
      return formatTime(toNumber(m.seconds ?? 0), toNumber(m.nanos ?? 0), type === SPECIAL_TYPES.time ? 0 : 6);
    }
    case SPECIAL_TYPES.duration:
      return formatDuration(toNumber(m.duration ?? 0));
    case SPECIAL_TYPES.intOrString: {
      const value = toNumber(m.type ?? 0) === 1 ? String(m.strVal ?? '') : toNumber(m.intVal ?? 0);
      if (f && !f.pointer && !f.required && !has(m, 'type') && !has(m, 'intVal') && !has(m, 'strVal')) return undefined;
      return value;
    }
    case SPECIAL_TYPES.quantity:
      return has(m, 'string') ? String(m.string) : f && !f.pointer && !f.required ? undefined : '0';
    case SPECIAL_TYPES.rawExtension:
      return parseJsonBytes(m.raw, 'RawExtension');
    case SPECIAL_TYPES.fieldsV1:
      return parseJsonBytes(m.Raw, 'FieldsV1');
  }
  throw new Error(`no JSON form for ${type}`);
}

function scalarToJson(type: string, v: unknown): unknown {
  switch (type) {
    case 'bytes': return base64(v);
    case 'int64': case 'uint64': return toNumber(v);
    default: return v;
  }
}

function isZero(v: unknown): boolean {
  if (v === '' || v === false || v === 0) return true;
  if (typeof v === 'object' && v !== null && 'low' in v) return String(v) === '0';
  if (v instanceof Uint8Array) return v.length === 0;
  return false;
}

function valueToJson(type: string, v: unknown, f?: FieldInfo): unknown {
  if (isScalar(type)) return scalarToJson(type, v);
  if (SPECIAL_TYPE_NAMES.has(type)) return specialToJson(type, v as Msg, f);
  return messageToJson(type, v as Msg);
}

/** The JSON object of a decoded message of schema type `type`. */
export function messageToJson(type: string, m: Msg, into: Record<string, unknown> = {}): Record<string, unknown> {
  for (const f of typeFields(type)) {
    if (!has(m, f.protoName)) continue;
    const v = m[f.protoName];
    if (f.inline) {
      messageToJson(f.type, v as Msg, into);
    } else if (f.mapKey) {
      const entries = Object.entries(v as Msg);
      if (entries.length) into[f.name] = Object.fromEntries(entries.map(([k, x]) => [k, valueToJson(f.type, x)]));
    } else if (f.repeated) {
      const list = v as unknown[];
      if (list.length) into[f.name] = list.map((x) => valueToJson(f.type, x));
    } else if (isScalar(f.type)) {
      if (!f.pointer && !f.required && isZero(v)) continue;
      into[f.name] = scalarToJson(f.type, v);
    } else {
      const j = valueToJson(f.type, v, f);
      if (j !== undefined) into[f.name] = j;
    }
  }
  return into;
}

/* ---------- JSON → message object (for protobufjs `fromObject`) ---------- */

function parseTime(s: unknown, what: string): Msg {
  if (s === null || s === undefined) return {};
  const ms = Date.parse(String(s));
  if (Number.isNaN(ms)) throw errors.badRequest(`${what}: invalid time ${JSON.stringify(s)}`);
  const frac = /\.(\d+)/.exec(String(s));
  const nanos = frac ? Number(frac[1].slice(0, 9).padEnd(9, '0')) : 0;
  return { seconds: Math.floor(ms / 1000), nanos };
}

/** Go duration string → nanoseconds. */
export function parseDuration(s: string): number {
  const units: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 6e10, h: 3.6e12 };
  const sign = s.startsWith('-') ? -1 : 1;
  let total = 0;
  for (const m of s.replace(/^[-+]/, '').matchAll(/([0-9.]+)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * units[m[2]];
  return sign * Math.round(total);
}

function specialFromJson(type: string, v: unknown, what: string): Msg {
  switch (type) {
    case SPECIAL_TYPES.time:
    case SPECIAL_TYPES.microTime:
      return parseTime(v, what);
    case SPECIAL_TYPES.duration:
      return { duration: parseDuration(String(v)) };
    case SPECIAL_TYPES.intOrString:
      return typeof v === 'number' ? { type: 0, intVal: v } : { type: 1, strVal: String(v) };
    case SPECIAL_TYPES.quantity:
      return { string: String(v) };
    case SPECIAL_TYPES.rawExtension:
      return { raw: Buffer.from(JSON.stringify(v)) };
    case SPECIAL_TYPES.fieldsV1:
      return { Raw: Buffer.from(JSON.stringify(v)) };
  }
  throw new Error(`no JSON form for ${type}`);
}

function valueFromJson(type: string, v: unknown, what: string): unknown {
  if (isScalar(type)) return type === 'bytes' && typeof v === 'string' ? Buffer.from(v, 'base64') : v;
  if (SPECIAL_TYPE_NAMES.has(type)) return specialFromJson(type, v, what);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw errors.badRequest(`${what}: expected an object`);
  return jsonToMessage(type, v as Record<string, unknown>, what);
}

/** A plain object with proto field names, ready for `Type.fromObject`, from a JSON object. */
export function jsonToMessage(type: string, obj: Record<string, unknown>, what = ''): Msg {
  const out: Msg = {};
  for (const f of typeFields(type)) {
    const path = what ? `${what}.${f.name}` : f.name;
    if (f.inline) {
      out[f.protoName] = jsonToMessage(f.type, obj, what);
      continue;
    }
    const v = obj[f.name];
    if (v === undefined || (v === null && !SPECIAL_TYPE_NAMES.has(f.type))) continue;
    if (f.mapKey) {
      out[f.protoName] = Object.fromEntries(Object.entries(v as Msg).map(([k, x]) => [k, valueFromJson(f.type, x, `${path}[${k}]`)]));
    } else if (f.repeated) {
      if (!Array.isArray(v)) throw errors.badRequest(`${path}: expected a list`);
      out[f.protoName] = v.map((x, i) => valueFromJson(f.type, x, `${path}[${i}]`));
    } else {
      out[f.protoName] = valueFromJson(f.type, v, path);
    }
  }
  return out;
}
