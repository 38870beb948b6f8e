/**
 * The metadata rules every kind shares, as upstream's `rest.BeforeCreate` / `rest.BeforeUpdate` and
 * the fields the server owns: generated names, uid, creationTimestamp, generation. (Validation of
 * metadata is src/api/validation/object-meta.ts.)
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { KubeObject } from '../../api/types.js';

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_GENERATED_NAME_LENGTH = 58;

/** `names.SimpleNameGenerator`: the prefix (cut to 58 characters) and five random characters. */
export function generateName(prefix: string): string {
  let s = prefix.length > MAX_GENERATED_NAME_LENGTH ? prefix.slice(0, MAX_GENERATED_NAME_LENGTH) : prefix;
  for (let i = 0; i < 5; i++) s += NAME_CHARS[randomInt(NAME_CHARS.length)];
  return s;
}

/** RFC 3339 with second precision, as upstream's metav1.Time marshals. */
export function timestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Fills the fields the server owns on a new object. */
export function beforeCreate(obj: KubeObject, now: Date, tracksGeneration: boolean): void {
  const m = (obj.metadata ??= {});
  if (!m.name && m.generateName) m.name = generateName(m.generateName);
  m.uid = randomUUID();
  m.creationTimestamp = timestamp(now);
  delete m.resourceVersion;
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete (m as Record<string, unknown>).selfLink;
  if (tracksGeneration) m.generation = 1;
  else delete m.generation;
}

/** Carries over what an update may not change and bumps generation when the spec changed. */
export function beforeUpdate(obj: KubeObject, old: KubeObject, tracksGeneration: boolean, specChanged: boolean): void {
  const m = (obj.metadata ??= {});
  const o = old.metadata ?? {};
  if (!m.uid) m.uid = o.uid;
  if (!m.resourceVersion) m.resourceVersion = o.resourceVersion;
  m.creationTimestamp = o.creationTimestamp;
  if (o.deletionTimestamp) m.deletionTimestamp = o.deletionTimestamp;
  else delete m.deletionTimestamp;
  if (o.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds;
  else delete m.deletionGracePeriodSeconds;
  if (m.generateName === undefined && o.generateName !== undefined) m.generateName = o.generateName;
  delete (m as Record<string, unknown>).selfLink;
  if (tracksGeneration) m.generation = (o.generation ?? 1) + (specChanged ? 1 : 0);
  else delete m.generation;
}

/** Compares everything except metadata and status: what `generation` counts. */
export function specChanged(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
    return canonicalJson(rest);
  };
  return strip(a) !== strip(b);
}

/** JSON with object keys sorted, so that two equal values give equal text whatever their key order. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}
