/**
 * The schema table: one entry per API type, listing its fields with the facts every codec needs.
 *
 * This is the one source of schema truth. The OpenAPI documents (`src/api/openapi`) and the protobuf
 * descriptors (`src/api/protobuf`) are both derived from it; descriptions and patch metadata are kept
 * beside it (`descriptions/`, `patch-meta.ts`) keyed by the same type and field names.
 *
 * Type names are the OpenAPI schema names (`io.k8s.api.core.v1.PodSpec`); the proto message of a type is
 * the same name with its first two segments swapped (`k8s.io.api.core.v1.PodSpec`).
 */

/** Scalar field types, named as in protobuf. */
export type ScalarType = 'string' | 'int32' | 'int64' | 'uint32' | 'uint64' | 'bool' | 'double' | 'float' | 'bytes';

/** Field is a list (`repeated`). */
export const REPEATED = 1;
/** Field is a Go pointer: present on the wire only when set, so a zero value there is meaningful. */
export const POINTER = 2;
/** Field is required in the upstream schema. */
export const REQUIRED = 4;

/** Field is a Go embedded struct: its fields appear inline in the parent's JSON (e.g. Volume.volumeSource). */
export const INLINE = 8;

/**
 * One field: `[protoName, protoNumber, type, flags, jsonName?]` (jsonName only when it differs). `type` is a ScalarType, a type name, or
 * `map<KEY,VALUE>` where KEY is a scalar and VALUE a scalar or a type name.
 */
export type FieldTuple = readonly [name: string, number: number, type: string, flags: number, jsonName?: string];

export interface FieldInfo {
  /** The JSON name. */
  name: string;
  /** The proto name (usually the JSON name). */
  protoName: string;
  number: number;
  /** Element type for lists, value type for maps. */
  type: string;
  repeated: boolean;
  pointer: boolean;
  required: boolean;
  inline: boolean;
  /** Key type when the field is a map. */
  mapKey?: ScalarType;
}

const SCALARS = new Set<string>(['string', 'int32', 'int64', 'uint32', 'uint64', 'bool', 'double', 'float', 'bytes']);

export function isScalar(type: string): type is ScalarType {
  return SCALARS.has(type);
}

/** Expands a compact tuple. */
export function fieldInfo(t: FieldTuple): FieldInfo {
  const [protoName, number, type, flags, json] = t;
  const info: FieldInfo = {
    name: json ?? protoName, protoName, number, type,
    repeated: (flags & REPEATED) !== 0, pointer: (flags & POINTER) !== 0, required: (flags & REQUIRED) !== 0, inline: (flags & INLINE) !== 0,
  };
  const m = /^map<([a-z0-9]+),(.+)>$/.exec(type);
  if (m) {
    info.mapKey = m[1] as ScalarType;
    info.type = m[2];
  }
  return info;
}

/**
 * Types whose JSON form is not an object of their proto fields. Each has a fixed JSON shape, which the
 * codecs and the OpenAPI builder implement.
 */
export const SPECIAL_TYPES = {
  time: 'io.k8s.apimachinery.pkg.apis.meta.v1.Time',
  microTime: 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
  duration: 'io.k8s.apimachinery.pkg.apis.meta.v1.Duration',
  intOrString: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  quantity: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
  rawExtension: 'io.k8s.apimachinery.pkg.runtime.RawExtension',
  fieldsV1: 'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1',
} as const;

export const SPECIAL_TYPE_NAMES: ReadonlySet<string> = new Set(Object.values(SPECIAL_TYPES));
