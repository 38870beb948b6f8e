/**
 * The merge metadata of the built-in kinds, as strategic merge patch, the three-way patch of `kubectl apply`
 * and server-side apply read it. This is a view, not a table: the facts (upstream's `patchStrategy` /
 * `patchMergeKey` struct tags and `+listType` / `+listMapKey` / `+structType` markers) live in
 * `src/api/schema/patch-meta.ts`, and which type each field holds comes from the schema table
 * (`src/api/schema`), the same sources the OpenAPI documents and the protobuf codec use.
 *
 * A type is a map from field name to `FieldMeta`. A struct field without metadata is still merged key by key
 * (maps always are), and a list without metadata is atomic (replaced whole), which is upstream's default.
 * Kinds the schema does not serve (custom resources) get `UNKNOWN_KIND`: their `metadata` follows
 * ObjectMeta, everything else the defaults (lists replaced, as a JSON merge patch does).
 */
import { KINDS, hasType, isScalar, schemaNameOfKind, typeFields, typeNames, typeOfKind } from '../schema/index.js';
import { patchMeta, typePatchMeta } from '../schema/patch-meta.js';

export interface FieldMeta {
  /** The type of the value (for a list: of its items), when that type is in the schema table. */
  type?: string;
  /**
   * Upstream's patchStrategy. `merge` on a list: items are merged by `mergeKey` (lists of objects) or as a
   * set (lists of scalars). `retainKeys` on an object (or on the items of a list): fields the patch leaves
   * out are cleared (`$retainKeys`), used for unions such as a volume's source or a deployment's strategy.
   */
  strategy?: 'merge' | 'retainKeys' | 'merge,retainKeys';
  /** Upstream's patchMergeKey. */
  mergeKey?: string;
  /** Server-side apply keys of an associative list (`+listType=map`, `+listMapKey`). */
  listMapKeys?: string[];
  /** Defaults of list map keys that an item may leave out (e.g. a port's protocol). */
  keyDefaults?: Record<string, string | number>;
  /** Server-side apply: a list, map or struct that is owned as one value (`+listType=atomic`, `+mapType=atomic`, `+structType=atomic`). */
  atomic?: boolean;
}

export type TypeMeta = Record<string, FieldMeta>;

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** What a kind not in the table (a custom resource) gets: only its `metadata` is known. */
export const UNKNOWN_KIND = 'Object';

/** The merge metadata of one field of the schema table, declared by `owner` (an embedded type's own name). */
function fieldMeta(owner: string, field: { name: string; type: string; repeated: boolean; mapKey?: string }): FieldMeta {
  const pm = patchMeta(owner, field.name);
  const meta: FieldMeta = {};
  // A map's keys are data, not fields: its values are not walked by type.
  if (!field.mapKey && !isScalar(field.type) && hasType(field.type)) meta.type = field.type;
  if (pm?.patchStrategy) meta.strategy = pm.patchStrategy as FieldMeta['strategy'];
  if (pm?.patchMergeKey) meta.mergeKey = pm.patchMergeKey;
  if (pm?.listType === 'map' && pm.listMapKeys) meta.listMapKeys = [...pm.listMapKeys];
  if (pm?.keyDefaults) meta.keyDefaults = { ...pm.keyDefaults };
  const atomicStruct = !field.repeated && !field.mapKey && meta.type !== undefined && typePatchMeta(meta.type)?.structType === 'atomic';
  if (pm?.listType === 'atomic' || pm?.mapType === 'atomic' || atomicStruct) meta.atomic = true;
  return meta;
}

/** The fields of a schema type as they appear in JSON, embedded (inline) types' fields flattened in. */
function typeMeta(type: string, into: TypeMeta = {}): TypeMeta {
  for (const f of typeFields(type)) {
    if (f.inline) typeMeta(f.type, into);
    else into[f.name] = fieldMeta(type, f);
  }
  return into;
}

/** Every type by name: the schema table's names (`io.k8s.api.core.v1.PodSpec`) plus `UNKNOWN_KIND`. */
export const TYPES: Record<string, TypeMeta> = {
  ...Object.fromEntries(typeNames().map((n) => [n, typeMeta(n)])),
  [UNKNOWN_KIND]: { metadata: { type: OBJECT_META } },
};

/**
 * Root type per served kind, keyed `group/Kind` (core group: `/Kind`), for a version the schema does not
 * know; `Schema.forKind` prefers the type of the exact version (autoscaling v1 and v2 differ).
 */
export const KIND_TYPES: Record<string, string> = {};
for (const k of KINDS) {
  const key = `${k.group}/${k.kind}`;
  const type = schemaNameOfKind(k.group, k.version, k.kind);
  if (!Object.hasOwn(KIND_TYPES, key) && hasType(type)) KIND_TYPES[key] = type;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** A position in the type table: the fields of the value at hand (empty when nothing is known). */
export class Schema {
  private constructor(readonly name: string, readonly fields: TypeMeta) {}

  private static readonly cache = new Map<string, Schema>();

  static named(name: string | undefined): Schema {
    const key = name ?? '';
    let s = Schema.cache.get(key);
    if (!s) {
      s = new Schema(key, (key && Object.hasOwn(TYPES, key) ? TYPES[key] : undefined) ?? {});
      Schema.cache.set(key, s);
    }
    return s;
  }

  /** The schema of a kind's objects. */
  static forKind(gvk: GroupVersionKind): Schema {
    if (!Schema.isKnownKind(gvk)) return Schema.named(UNKNOWN_KIND);
    return Schema.named(typeOfKind(gvk.group, gvk.version, gvk.kind) ?? KIND_TYPES[`${gvk.group}/${gvk.kind}`]);
  }

  /** True when the kind is a built-in one of the table (strategic merge patch is defined for it upstream). */
  static isKnownKind(gvk: GroupVersionKind): boolean {
    return Object.hasOwn(KIND_TYPES, `${gvk.group}/${gvk.kind}`);
  }

  /** The metadata of field `name`: defaults (`{}`) when not listed. */
  field(name: string): FieldMeta {
    return Object.hasOwn(this.fields, name) ? this.fields[name]! : NO_META;
  }

  /** The schema of field `name`'s value (of its items, for a list). */
  child(name: string): Schema {
    return Schema.named(this.field(name).type);
  }
}

/** The metadata of a field the table does not list: upstream's defaults. */
const NO_META: FieldMeta = Object.freeze({});

const STRATEGIES = {
  none: Object.freeze({ merge: false, retainKeys: false }),
  merge: Object.freeze({ merge: true, retainKeys: false }),
  retainKeys: Object.freeze({ merge: false, retainKeys: true }),
  'merge,retainKeys': Object.freeze({ merge: true, retainKeys: true }),
};

/** The strategies of a field split into its list strategy and whether retainKeys applies. */
export function strategyOf(meta: FieldMeta): { readonly merge: boolean; readonly retainKeys: boolean } {
  return STRATEGIES[meta.strategy ?? 'none'];
}
