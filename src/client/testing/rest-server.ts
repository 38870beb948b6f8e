/**
 * A small HTTPS server that answers the Kubernetes REST paths from a `FakeClient`, for testing
 * `RestClient` against real sockets and TLS. It records each request (method, URL, headers, body, the
 * client certificate's CN) and can be told to misbehave (`hang`, `rawReply`: canned answers, queued per path).
 * Listens on 127.0.0.1 only, on a port the OS picks.
 */
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { ApiError } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import type { PatchType } from '../client.js';
import { PATCH_CONTENT_TYPES } from '../client.js';
import { FakeClient } from '../fake.js';
import type { ResourceRef } from '../resource.js';

export interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  clientCN?: string;
}

export interface TestRestServer {
  url: string;
  backend: FakeClient;
  seen: SeenRequest[];
  /** Requests to a path starting with this prefix never get an answer. */
  hang(prefix: string): void;
  /** The next request to `path` gets this status and body verbatim. */
  rawReply(path: string, status: number, body: string, contentType?: string, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

const PATCH_TYPES = Object.fromEntries(Object.entries(PATCH_CONTENT_TYPES).map(([k, v]) => [v, k])) as Record<string, PatchType>;

/** `/api/v1/namespaces/ns/pods/name/status` → ref, name, subresource. */
function route(pathname: string): { ref: ResourceRef; name?: string; sub?: string } | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group = '';
  let version: string;
  if (parts[0] === 'api') {
    version = parts[1]!;
    parts.splice(0, 2);
  } else if (parts[0] === 'apis') {
    group = parts[1]!;
    version = parts[2]!;
    parts.splice(0, 3);
  } else return undefined;
  let namespace: string | undefined;
  if ((parts[0] as string) === 'namespaces' && parts.length >= 3) {
    namespace = parts[1];
    parts.splice(0, 2);
  }
  const [resource, name, sub] = parts;
  if (!resource || !version) return undefined;
  return { ref: { group, version, resource, ...(namespace !== undefined ? { namespace } : {}) }, ...(name ? { name } : {}), ...(sub ? { sub } : {}) };
}

export async function startTestRestServer(tls: { cert: string; key: string; ca: string }, backend = new FakeClient()): Promise<TestRestServer> {
  const seen: SeenRequest[] = [];
  const hung: string[] = [];
  const raw = new Map<string, { status: number; body: string; contentType: string; headers: Record<string, string> }[]>();
  const server = https.createServer({ cert: tls.cert, key: tls.key, ca: tls.ca, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url!, 'https://x');
      const peer = (req.socket as TLSSocket).getPeerCertificate?.();
      const cn = peer && (req.socket as TLSSocket).authorized ? peer.subject?.CN : undefined;
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body, ...(cn ? { clientCN: String(cn) } : {}) });
      if (hung.some((p) => url.pathname.startsWith(p))) return;
      const canned = raw.get(url.pathname)?.shift();
      if (canned) {
        res.writeHead(canned.status, { 'Content-Type': canned.contentType, ...canned.headers });
        res.end(canned.body);
        return;
      }
      void answer(req.method!, url, body, req.headers['content-type'] ?? '', res);
    });
  });

  const sendJson = (res: import('node:http').ServerResponse, status: number, obj: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(obj));
  };

  async function answer(method: string, url: URL, body: string, contentType: string, res: import('node:http').ServerResponse): Promise<void> {
    const r = route(url.pathname);
    if (!r) return sendJson(res, 404, new ApiError('NotFound', 'the server could not find the requested resource').toStatus());
    const q = Object.fromEntries(url.searchParams);
    const parsed = body ? JSON.parse(body) : undefined;
    try {
      if (method === 'GET' && q.watch === 'true') {
        const w = await backend.watch(r.ref, { ...q, allowWatchBookmarks: q.allowWatchBookmarks === 'true' });
        res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
        res.flushHeaders();
        res.on('close', () => w.stop());
        for await (const ev of w) res.write(JSON.stringify(ev) + '\n');
        res.end();
        return;
      }
      let out: unknown;
      if (method === 'GET' && r.name) out = await backend.get(r.ref, r.name, r.sub ? { subresource: r.sub } : {});
      else if (method === 'GET') out = await backend.list(r.ref, q);
      else if (method === 'POST') out = await backend.create(r.ref, parsed as KubeObject, { ...(r.sub ? { subresource: r.sub, name: r.name! } : {}) });
      else if (method === 'PUT') out = await backend.update(r.ref, parsed as KubeObject, r.sub ? { subresource: r.sub } : {});
      else if (method === 'PATCH') {
        const type = PATCH_TYPES[contentType];
        if (!type) return sendJson(res, 415, new ApiError('UnsupportedMediaType', `unsupported patch type ${contentType}`).toStatus());
        out = await backend.patch(r.ref, r.name!, type, parsed, r.sub ? { subresource: r.sub } : {});
      } else if (method === 'DELETE') out = await backend.delete(r.ref, r.name!, parsed ?? {});
      else return sendJson(res, 405, new ApiError('MethodNotAllowed', `method ${method} not allowed`).toStatus());
      sendJson(res, method === 'POST' ? 201 : 200, out);
    } catch (err) {
      if (err instanceof ApiError) sendJson(res, err.code, err.toStatus());
      else sendJson(res, 500, new ApiError('InternalError', String(err)).toStatus());
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    backend,
    seen,
    hang: (prefix) => hung.push(prefix),
    rawReply: (path, status, body, contentType = 'text/plain', headers = {}) => {
      const list = raw.get(path) ?? [];
      list.push({ status, body, contentType, headers });
      raw.set(path, list);
    },
    close: () => {
      backend.tracker.closeWatches();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
