/**
 * JSON as kubectl (Go's encoding/json) writes it for `-o json`: map keys sorted byte-wise, 4-space
 * indent, `<`, `>`, `&`, U+2028 and U+2029 escaped as \u003c..., a final newline.
 */

/** `-o json`: indented with 4 spaces, ending with a newline. */
export function toJSON(value: unknown): string {
  return `${goJSON(value, '    ')}\n`;
}

/** Go's json.Marshal (indent '') or json.MarshalIndent(v, "", indent). */
export function goJSON(value: unknown, indent = ''): string {
  return encode(value, indent, '');
}

function encode(v: unknown, indent: string, cur: string): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : 'null';
  if (typeof v === 'boolean') return String(v);
  const next = cur + indent;
  const nl = indent ? '\n' : '';
  const sep = indent ? ': ' : ':';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[${nl}${v.map((x) => next + encode(x, indent, next)).join(`,${nl}`)}${nl}${cur}]`;
  }
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort(byteOrder);
  if (keys.length === 0) return '{}';
  return `{${nl}${keys.map((k) => `${next}${quote(k)}${sep}${encode(obj[k], indent, next)}`).join(`,${nl}`)}${nl}${cur}}`;
}

function byteOrder(a: string, b: string): number {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return Buffer.compare(ba, bb);
}

const HTML_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

function quote(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => HTML_ESCAPES[c]);
}
