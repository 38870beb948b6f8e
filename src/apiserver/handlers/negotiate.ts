/**
 * Response negotiation from the Accept header: a plain object or list (JSON), a meta.k8s.io/v1 Table
 * (server-side printing), or PartialObjectMetadata. kubectl asks for a Table first, then plain JSON.
 */
import { ApiError } from '../../api/errors.js';

export type ResponseForm = 'object' | 'table' | 'partial';

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseAccept(accept: string): MediaRange[] {
  return accept.split(',').map((part) => {
    const [type, ...ps] = part.split(';').map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of ps) {
      const eq = p.indexOf('=');
      if (eq > 0) params[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
    }
    return { type: (type ?? '').toLowerCase(), params };
  });
}

/** The first form in the Accept header this server can produce; 406 when none. */
export function negotiate(accept: string | undefined): ResponseForm {
  if (!accept) return 'object';
  for (const r of parseAccept(accept)) {
    const jsonish = r.type === 'application/json' || r.type === '*/*' || r.type === 'application/*' || r.type === 'application/yaml';
    if (!jsonish && r.type !== 'application/vnd.kubernetes.protobuf') continue;
    if (r.params.as === 'Table') {
      if (r.params.g === 'meta.k8s.io' && (r.params.v === 'v1' || r.params.v === 'v1beta1') && r.type === 'application/json') return 'table';
      continue;
    }
    if (r.params.as === 'PartialObjectMetadata' || r.params.as === 'PartialObjectMetadataList') {
      if (r.params.g === 'meta.k8s.io' && r.params.v === 'v1' && r.type === 'application/json') return 'partial';
      continue;
    }
    if (r.params.as) continue;
    if (r.type === 'application/vnd.kubernetes.protobuf') continue;
    return 'object';
  }
  throw new ApiError('NotAcceptable',
    'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf');
}
