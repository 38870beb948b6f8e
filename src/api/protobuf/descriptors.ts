/**
 * Protobuf descriptors of the API types, built from the schema table (`src/api/schema`) with
 * protobufjs reflection, plus the `runtime.Unknown` envelope kubectl wraps every body in.
 *
 * Message names and field numbers are upstream's (`generated.proto`), so bytes produced by Kubernetes
 * clients decode here and bytes encoded here decode in Kubernetes.
 */
import protobuf from 'protobufjs';
import { typeNames, typeFields, isScalar, protoNameOfSchema } from '../schema/index.js';

let built: protobuf.Root | undefined;

/** The root holding every API message, resolved and ready to decode. */
export function protoRoot(): protobuf.Root {
  if (built) return built;
  const root = new protobuf.Root();
  for (const name of typeNames()) {
    const protoName = protoNameOfSchema(name);
    const dot = protoName.lastIndexOf('.');
    const type = new protobuf.Type(protoName.slice(dot + 1));
    for (const f of typeFields(name)) {
      const ref = (t: string) => (isScalar(t) ? t : `.${protoNameOfSchema(t)}`);
      if (f.mapKey) type.add(new protobuf.MapField(f.protoName, f.number, f.mapKey, ref(f.type)));
      else type.add(new protobuf.Field(f.protoName, f.number, ref(f.type), f.repeated ? 'repeated' : 'optional'));
    }
    root.define(protoName.slice(0, dot)).add(type);
  }
  // runtime.TypeMeta and runtime.Unknown (k8s.io/apimachinery/pkg/runtime/generated.proto).
  const runtime = root.define('k8s.io.apimachinery.pkg.runtime');
  runtime.add(new protobuf.Type('TypeMeta')
    .add(new protobuf.Field('apiVersion', 1, 'string'))
    .add(new protobuf.Field('kind', 2, 'string')));
  runtime.add(new protobuf.Type('Unknown')
    .add(new protobuf.Field('typeMeta', 1, '.k8s.io.apimachinery.pkg.runtime.TypeMeta'))
    .add(new protobuf.Field('raw', 2, 'bytes'))
    .add(new protobuf.Field('contentEncoding', 3, 'string'))
    .add(new protobuf.Field('contentType', 4, 'string')));
  root.resolveAll();
  built = root;
  return root;
}

/** The message type of a schema type name (`io.k8s.api.apps.v1.Deployment`). */
export function messageType(schemaName: string): protobuf.Type {
  return protoRoot().lookupType(protoNameOfSchema(schemaName));
}

export function unknownType(): protobuf.Type {
  return protoRoot().lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
}
