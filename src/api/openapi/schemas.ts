/**
 * OpenAPI v3 schemas (`components.schemas`) built from the schema table, in upstream's shape:
 * - references to other types are `allOf: [{$ref}]` so that a property can carry its own description;
 * - top-level kinds carry `x-kubernetes-group-version-kind`;
 * - lists carry `x-kubernetes-list-type` / `x-kubernetes-list-map-keys` and the strategic-merge-patch
 *   extensions `x-kubernetes-patch-strategy` / `x-kubernetes-patch-merge-key`;
 * - Time is a date-time string; IntOrString and Quantity have no `type` (they accept a number or a
 *   string), so `kubectl explain` names them by their type name.
 */
import { typeFields, isScalar, hasType, SPECIAL_TYPES, KINDS, EXTRA_ROOT_KINDS, schemaNameOfKind, type FieldInfo } from '../schema/index.js';
import { patchMeta, typePatchMeta } from '../schema/patch-meta.js';
import { describe, fallbackDescription } from '../schema/descriptions/index.js';
import { enumValues } from '../schema/enums.js';

export type Schema = Record<string, unknown>;

export const REF_PREFIX = '#/components/schemas/';
export const PATCH_SCHEMA = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';

/** GVK extension entries per type name, for every served kind and its list. */
const gvkOf = new Map<string, { group: string; kind: string; version: string }[]>();
for (const k of [...KINDS, ...EXTRA_ROOT_KINDS]) {
  const group = k.group === 'meta' ? '' : k.group;
  const name = schemaNameOfKind(k.group, k.version, k.kind);
  if (!gvkOf.has(name)) gvkOf.set(name, []);
  const list = gvkOf.get(name)!;
  if (!list.some((g) => g.group === group && g.version === k.version)) list.push({ group, kind: k.kind, version: k.version });
}

/** Name of the synthetic list schema of a kind's type. */
export function listSchemaName(type: string): string {
  return `${type}List`;
}

function scalarSchema(type: string): Schema {
  switch (type) {
    case 'string': return { type: 'string' };
    case 'bool': return { type: 'boolean' };
    case 'int32': case 'uint32': return { type: 'integer', format: 'int32' };
    case 'int64': case 'uint64': return { type: 'integer', format: 'int64' };
    case 'double': return { type: 'number', format: 'double' };
    case 'float': return { type: 'number', format: 'float' };
    case 'bytes': return { type: 'string', format: 'byte' };
  }
  throw new Error(`unknown scalar ${type}`);
}

const STRING_LIKE = new Set<string>([SPECIAL_TYPES.time, SPECIAL_TYPES.microTime, SPECIAL_TYPES.duration]);

/** Schema of one value of `type` (an element of a list or map, or a singular field). */
function valueSchema(type: string, pointer: boolean): Schema {
  if (isScalar(type)) return scalarSchema(type);
  const ref = { $ref: REF_PREFIX + type };
  if (STRING_LIKE.has(type) || type === SPECIAL_TYPES.intOrString || type === SPECIAL_TYPES.quantity) return { allOf: [ref] };
  return pointer ? { allOf: [ref] } : { allOf: [ref], default: {} };
}

function propertySchema(owner: string, f: FieldInfo, outer?: string): Schema {
  const description = (outer && describe(outer, f.name)) ?? describe(owner, f.name) ?? fallbackDescription(outer ?? owner, f.name);
  let s: Schema;
  if (f.mapKey) {
    s = { type: 'object', additionalProperties: isScalar(f.type) ? scalarSchema(f.type) : { $ref: REF_PREFIX + f.type } };
  } else if (f.repeated) {
    s = { type: 'array', items: valueSchema(f.type, false) };
  } else {
    s = valueSchema(f.type, f.pointer);
  }
  s = { ...s, description };
  const values = enumValues(owner, f.name);
  if (values) s.enum = [...values];
  const pm = patchMeta(owner, f.name);
  if (pm?.listType) s['x-kubernetes-list-type'] = pm.listType;
  if (pm?.listMapKeys) s['x-kubernetes-list-map-keys'] = pm.listMapKeys;
  if (pm?.mapType) s['x-kubernetes-map-type'] = pm.mapType;
  if (pm?.patchMergeKey) s['x-kubernetes-patch-merge-key'] = pm.patchMergeKey;
  if (pm?.patchStrategy) s['x-kubernetes-patch-strategy'] = pm.patchStrategy;
  return s;
}

function specialSchema(type: string): Schema | undefined {
  const description = describe(type);
  switch (type) {
    case SPECIAL_TYPES.time: case SPECIAL_TYPES.microTime: return { description, type: 'string', format: 'date-time' };
    case SPECIAL_TYPES.duration: return { description, type: 'string' };
    case SPECIAL_TYPES.intOrString: return { description: 'A number or a string, such as 8080 or "http", or 2 or "25%".', format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true };
    case SPECIAL_TYPES.quantity: return { description: 'An amount in Kubernetes quantity notation: a number with an optional suffix, such as 100m (0.1), 128Mi (binary) or 1G (decimal). Written as a string; a plain number is accepted.', oneOf: [{ type: 'string' }, { type: 'number' }] };
    case SPECIAL_TYPES.rawExtension: return { description: 'An embedded object of any kind.', type: 'object' };
    case SPECIAL_TYPES.fieldsV1: return { description, type: 'object' };
  }
  return undefined;
}

/** Properties and required names of a type, with inline (embedded) types flattened in. */
function collect(type: string, properties: Record<string, Schema>, required: string[], outer?: string): void {
  for (const f of typeFields(type)) {
    if (f.inline) {
      collect(f.type, properties, required, outer ?? type);
      continue;
    }
    properties[f.name] = propertySchema(type, f, outer);
    if (f.required) required.push(f.name);
  }
}

/** The schema of one type of the table. */
export function typeSchema(type: string): Schema {
  const special = specialSchema(type);
  if (special) return special;
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  collect(type, properties, required);
  const s: Schema = { description: describe(type), type: 'object', properties };
  if (required.length) s.required = required;
  const gvk = gvkOf.get(type);
  if (gvk) s['x-kubernetes-group-version-kind'] = gvk;
  const tm = typePatchMeta(type);
  if (tm?.structType) s['x-kubernetes-map-type'] = tm.structType;
  return s;
}

/** A list kind's schema (`PodList`): items of the kind plus list metadata. */
export function listSchema(type: string, group: string, version: string, kind: string): Schema {
  return {
    description: `A list of ${kind} objects.`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { type: 'string', description: 'API version of this object.' },
      kind: { type: 'string', description: `Kind of this object (${kind}List).` },
      metadata: { allOf: [{ $ref: `${REF_PREFIX}io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta` }], default: {}, description: 'Standard list metadata.' },
      items: { type: 'array', items: { allOf: [{ $ref: REF_PREFIX + type }], default: {} }, description: `The ${kind} objects.` },
    },
    'x-kubernetes-group-version-kind': [{ group, kind: `${kind}List`, version }],
  };
}

/** Every type reachable from `roots` (inline and referenced), in sorted order. */
export function closure(roots: Iterable<string>): string[] {
  const seen = new Set<string>();
  const walk = (t: string) => {
    if (seen.has(t) || isScalar(t) || !hasType(t)) return;
    seen.add(t);
    for (const f of typeFields(t)) walk(f.type);
  };
  for (const r of roots) walk(r);
  return [...seen].sort();
}
