/**
 * Parses a request path into what it addresses, as upstream's `RequestInfoFactory`:
 *
 *   /api/v1/namespaces/{ns}/{resource}/{name}/{subresource}
 *   /apis/{group}/{version}/{resource}/{name}
 *
 * and derives the verb: get, list, watch (GET with ?watch=true), create, update, patch, delete,
 * deletecollection.
 */
export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** Path segments after the subresource (e.g. pods/x/proxy/…). */
  parts: string[];
}

const METHOD_VERBS: Record<string, string> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

export function parseRequestInfo(method: string, pathname: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false, path: pathname, verb: (method ?? 'GET').toLowerCase(), apiPrefix: '', apiGroup: '', apiVersion: '',
    namespace: '', resource: '', subresource: '', name: '', parts: [],
  };
  const segs = pathname.split('/').filter((s, i) => i > 0 && s !== '').map((s) => { try { return decodeURIComponent(s); } catch { return s; } });
  if (segs[0] !== 'api' && segs[0] !== 'apis') return info;
  info.apiPrefix = segs[0];
  let rest = segs.slice(1);
  if (info.apiPrefix === 'apis') {
    if (rest.length < 1) return info;
    info.apiGroup = rest[0]!;
    rest = rest.slice(1);
  }
  if (rest.length < 1) return info;
  info.apiVersion = rest[0]!;
  rest = rest.slice(1);
  if (rest.length < 1) return info;
  info.isResourceRequest = true;
  info.verb = METHOD_VERBS[method] ?? method.toLowerCase();
  // /watch/... is the deprecated watch prefix.
  if (rest[0] === 'watch') {
    info.verb = 'watch';
    rest = rest.slice(1);
  }
  if (rest[0] === 'namespaces' && rest.length > 1) {
    info.namespace = rest[1]!;
    if (rest.length > 2 && rest[2] !== 'status' && rest[2] !== 'finalize') rest = rest.slice(2);
  }
  info.resource = rest[0] ?? '';
  if (rest.length > 1) info.name = rest[1]!;
  if (rest.length > 2) info.subresource = rest[2]!;
  info.parts = rest.slice(3);
  // A namespace object is addressed by name; it is not inside a namespace.
  if (info.resource === 'namespaces') info.namespace = '';
  if (info.verb === 'get' && !info.name && info.resource) {
    info.verb = isWatch(query) ? 'watch' : 'list';
  } else if (info.verb === 'delete' && !info.name) {
    info.verb = 'deletecollection';
  }
  return info;
}

function isWatch(q: URLSearchParams): boolean {
  const w = q.get('watch');
  return w === 'true' || w === '1';
}
