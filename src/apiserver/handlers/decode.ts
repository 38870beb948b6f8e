/**
 * Request body decoding: JSON, YAML and (through a registered decoder) protobuf, into one object, with
 * upstream's error messages for malformed input. Decoders register by media type.
 */
import { parse as parseYaml } from 'yaml';
import { errors } from '../../api/errors.js';
import { decodeProtobufRequest, PROTOBUF_CONTENT_TYPE } from '../../api/protobuf/index.js';
import type { KubeObject } from '../../api/types.js';

export type BodyDecoder = (body: Buffer) => unknown;

function decodeJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw errors.badRequest(`couldn't get version/kind; json parse error: ${jsonMessage(e as Error, body)}`);
  }
}

/** Go's encoding/json wording for the common cases. */
function jsonMessage(e: Error, body: Buffer): string {
  const text = body.toString('utf8');
  if (text.trim() === '') return 'unexpected end of JSON input';
  const m = /position (\d+)/.exec(e.message);
  if (/Unexpected end/.test(e.message)) return 'unexpected end of JSON input';
  if (m) {
    const ch = text[Number(m[1])];
    if (ch !== undefined) return `invalid character '${ch}' looking for beginning of value`;
  }
  return e.message;
}

function decodeYaml(body: Buffer): unknown {
  const text = body.toString('utf8');
  try {
    return parseYaml(text, { prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    const err = e as Error & { linePos?: { line: number }[] };
    const line = err.linePos?.[0]?.line;
    throw errors.badRequest(`error converting YAML to JSON: yaml: ${line ? `line ${line}: ` : ''}${err.message.split('\n')[0]}`);
  }
}

const decoders = new Map<string, BodyDecoder>([
  ['application/json', decodeJson],
  ['application/yaml', decodeYaml],
  ['application/apply-patch+yaml', decodeYaml],
  ['application/json-patch+json', decodeJson],
  ['application/merge-patch+json', decodeJson],
  ['application/strategic-merge-patch+json', decodeJson],
  [PROTOBUF_CONTENT_TYPE, (body) => decodeProtobufRequest(body)],
]);

/** Adds a decoder for a media type (the protobuf decoder registers here). */
export function registerDecoder(mediaType: string, d: BodyDecoder): void {
  decoders.set(mediaType, d);
}

/** The media type of a Content-Type header, without parameters, lowercased. */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase() || 'application/json';
}

export function decodeBody(body: Buffer, contentType: string | undefined): unknown {
  const mt = mediaTypeOf(contentType);
  const d = decoders.get(mt);
  if (!d) throw errors.unsupportedMediaType(mt);
  return d(body);
}

/** Decodes a body that must be one object (create, update). */
export function decodeObject(body: Buffer, contentType: string | undefined): KubeObject {
  const v = decodeBody(body, contentType);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw errors.badRequest(`couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`);
  }
  return v as KubeObject;
}
