/**
 * Interplay of server-side apply with client-side apply's `kubectl.kubernetes.io/last-applied-configuration`
 * annotation, as upstream's fieldmanager does it for the `kubectl` field manager:
 * - switching an object from `kubectl apply` to `kubectl apply --server-side` does not conflict on fields
 *   the annotation still describes (same value live as in the annotation);
 * - after a server-side apply by `kubectl`, an existing annotation is rewritten to the applied configuration,
 *   so a later client-side apply computes the right patch.
 */
import { isObject, type JsonObject } from '../patch/json-value.js';
import type { Schema } from '../patch/merge-keys.js';
import { FieldSet } from './field-set.js';
import { compare, toFieldSet } from './typed.js';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** Only this field manager gets the client-side apply upgrade path (as upstream). */
export const KUBECTL_MANAGER = 'kubectl';

/** Go's encoding/json escapes these even inside strings; kubectl's annotation text has them escaped. */
function goEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
    return out;
  }
  return v;
}

/**
 * The annotation value for a configuration, byte for byte as kubectl and the API server write it: the object
 * without the annotation itself, keys sorted, Go's escaping, and a trailing newline.
 */
export function encodeLastApplied(config: JsonObject): string {
  const copy: JsonObject = { ...config };
  if (isObject(copy.metadata)) {
    const meta = { ...copy.metadata };
    if (isObject(meta.annotations)) {
      const ann = { ...meta.annotations };
      delete ann[LAST_APPLIED_ANNOTATION];
      meta.annotations = ann;
    }
    copy.metadata = meta;
  }
  return `${goEscape(JSON.stringify(sortKeys(copy)))}\n`;
}

/** The annotation of an object, if it has a non-empty one. */
export function lastAppliedOf(obj: JsonObject | undefined): string | undefined {
  const ann = isObject(obj?.metadata) && isObject(obj.metadata.annotations) ? obj.metadata.annotations : undefined;
  const v = ann?.[LAST_APPLIED_ANNOTATION];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * The fields a `kubectl` server-side apply may take over without conflict: those the last-applied
 * annotation sets to the value the live object still has. Undefined when there is no usable annotation.
 * `strip` removes what nobody owns, as for every other field set.
 */
export function allowedConflictsFromLastApplied(live: JsonObject, apiVersion: string, schema: Schema, strip: (o: JsonObject) => JsonObject | undefined): FieldSet | undefined {
  const text = lastAppliedOf(live);
  if (!text) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(last) || last.apiVersion !== apiVersion) return undefined;
  const lastStripped = strip(last) ?? {};
  const cmp = compare(lastStripped, strip(live) ?? {}, schema);
  return toFieldSet(lastStripped, schema).difference(cmp.modified).difference(cmp.added).difference(cmp.removed);
}
