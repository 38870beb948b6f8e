/**
 * Kubernetes' protobuf wire format (`application/vnd.kubernetes.protobuf`) for request and response
 * bodies: the 4-byte magic `k8s\0`, then a `runtime.Unknown` whose TypeMeta names the kind and whose
 * `raw` holds the object encoded with upstream's `generated.proto` field numbers.
 *
 * Every type in the schema table (`src/api/schema`) can be decoded and encoded; that covers every kind
 * k8ts serves, including everything `kubectl create <kind>` sends.
 */
import { ApiError, errors } from '../errors.js';
import type { KubeObject } from '../types.js';
import { typeOfKind, parseApiVersion } from '../schema/index.js';
import { messageType, unknownType } from './descriptors.js';
import { messageToJson, jsonToMessage } from './json.js';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
export const PROTOBUF_MAGIC = Uint8Array.of(0x6b, 0x38, 0x73, 0x00); // "k8s\0"

function schemaTypeOf(apiVersion: string, kind: string): string {
  const { group, version } = parseApiVersion(apiVersion);
  const type = typeOfKind(group, version, kind);
  if (!type) {
    throw new ApiError('UnsupportedMediaType',
      `the protobuf body holds ${kind ? `kind "${kind}"` : 'no kind'}${apiVersion ? ` of apiVersion "${apiVersion}"` : ''}, which k8ts cannot decode from protobuf; send it as application/json`);
  }
  return type;
}

/**
 * Decodes a protobuf request body into the object's JSON form (what the same object looks like when
 * kubectl sends it as JSON), with `apiVersion` and `kind` taken from the envelope.
 * Throws ApiError BadRequest for malformed bytes, UnsupportedMediaType for a kind it does not know.
 */
export function decodeProtobufRequest(body: Uint8Array): KubeObject {
  if (body.length < 4 || !PROTOBUF_MAGIC.every((b, i) => body[i] === b)) {
    throw errors.badRequest('the protobuf body does not start with the Kubernetes magic number "k8s\\x00"');
  }
  let envelope: { typeMeta?: { apiVersion?: string; kind?: string }; raw?: Uint8Array; contentEncoding?: string; contentType?: string };
  try {
    envelope = unknownType().decode(body.subarray(4)) as typeof envelope;
  } catch (e) {
    throw errors.badRequest(`the protobuf body is not a valid runtime.Unknown: ${(e as Error).message}`);
  }
  if (envelope.contentEncoding) throw errors.badRequest(`unsupported protobuf content encoding "${envelope.contentEncoding}"`);
  const apiVersion = envelope.typeMeta?.apiVersion ?? '';
  const kind = envelope.typeMeta?.kind ?? '';
  const type = schemaTypeOf(apiVersion, kind);
  let message: Record<string, unknown>;
  try {
    message = messageType(type).decode(envelope.raw ?? new Uint8Array()) as unknown as Record<string, unknown>;
  } catch (e) {
    throw errors.badRequest(`the protobuf body is not a valid ${kind}: ${(e as Error).message}`);
  }
  return { apiVersion, kind, ...messageToJson(type, message) };
}

/** Encodes an object (its JSON form, with apiVersion and kind) as a protobuf body, magic included. */
export function encodeProtobuf(obj: KubeObject): Uint8Array {
  const apiVersion = obj.apiVersion ?? '';
  const kind = obj.kind ?? '';
  const type = messageType(schemaTypeOf(apiVersion, kind));
  const raw = type.encode(type.fromObject(jsonToMessage(schemaTypeOf(apiVersion, kind), obj))).finish();
  const u = unknownType();
  const envelope = u.encode(u.fromObject({ typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '' })).finish();
  const out = new Uint8Array(4 + envelope.length);
  out.set(PROTOBUF_MAGIC, 0);
  out.set(envelope, 4);
  return out;
}
