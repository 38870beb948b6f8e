/**
 * The schema registry: field tables of every served type, looked up by type name or by kind.
 * See `table.ts` for what a table holds and `kinds.ts` for the kinds served.
 */
import { GENERATED_TYPES } from './generated/types.js';
import { fieldInfo, type FieldInfo } from './table.js';
import { KINDS, EXTRA_ROOT_KINDS, schemaNameOfKind, type KindInfo } from './kinds.js';

export * from './table.js';
export * from './kinds.js';

const expanded = new Map<string, readonly FieldInfo[]>();

/** Names of every type in the table. */
export function typeNames(): string[] {
  return Object.keys(GENERATED_TYPES);
}

export function hasType(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(GENERATED_TYPES, name);
}

/** The fields of a type, in proto order; throws for an unknown type. */
export function typeFields(name: string): readonly FieldInfo[] {
  let f = expanded.get(name);
  if (!f) {
    const raw = GENERATED_TYPES[name];
    if (!raw) throw new Error(`unknown schema type ${name}`);
    f = raw.map(fieldInfo);
    expanded.set(name, f);
  }
  return f;
}

const byJsonName = new Map<string, ReadonlyMap<string, FieldInfo>>();

/**
 * The fields of a type by JSON name, with embedded (inline) types' fields flattened in: what an object
 * of the type looks like in JSON. Use it to walk an object along its schema (patch, apply, validation).
 */
export function jsonFields(type: string): ReadonlyMap<string, FieldInfo> {
  let m = byJsonName.get(type);
  if (!m) {
    const built = new Map<string, FieldInfo>();
    for (const f of typeFields(type)) {
      if (f.inline) for (const [k, v] of jsonFields(f.type)) built.set(k, v);
      else built.set(f.name, f);
    }
    byJsonName.set(type, built);
    m = built;
  }
  return m;
}

/**
 * The schema type of a top-level kind, or undefined. `group` may also be "meta.k8s.io" (or "" for a
 * meta kind such as Status or DeleteOptions, which travel as "v1").
 */
export function typeOfKind(group: string, version: string, kind: string): string | undefined {
  const candidates = [schemaNameOfKind(group, version, kind)];
  if (group === '' || group === 'meta.k8s.io') candidates.push(schemaNameOfKind('meta', version, kind));
  return candidates.find((c) => hasType(c) && isRootKind(c));
}

const rootKinds = new Set([...KINDS, ...EXTRA_ROOT_KINDS].map((k) => schemaNameOfKind(k.group, k.version, k.kind)));

function isRootKind(typeName: string): boolean {
  return rootKinds.has(typeName);
}

/** The served kind entries of one group-version. */
export function kindsOf(group: string, version: string): KindInfo[] {
  return KINDS.filter((k) => k.group === group && k.version === version);
}
