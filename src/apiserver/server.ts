/**
 * The API server's HTTPS front: TLS (HTTP/1.1), and the request pipeline as separate stages:
 *
 *   max-in-flight → authentication → authorization → (resource requests) REST handler, which runs admission
 *                                     before anything is written → watch cache / store
 *
 * Non-resource paths (`/version`, `/healthz`, `/livez`, `/readyz`, discovery, OpenAPI) take the same
 * authentication and authorization stages; `/version` and the health checks are open to anonymous
 * requests, as upstream's `system:public-info-viewer` role makes them.
 */
import { createServer, type Server } from 'node:https';
import { ServerResponse, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ApiError, errors } from '../api/errors.js';
import { KUBERNETES_VERSION } from '../version.js';
import type { Authenticator, UserInfo } from './authn/authenticator.js';
import { type Authorizer, forbiddenMessage } from './authz/authorizer.js';
import {
  aggregatedContentType, aggregatedDiscovery, apiGroupList, apiGroupOf, apiResourceList, apiVersions,
} from './discovery/discovery.js';
import type { ApiContext } from './handlers/context.js';
import { writeError, writeJson, writeText } from './handlers/io.js';
import { parseRequestInfo, type RequestInfo } from './handlers/request-info.js';
import { handleResource } from './handlers/rest.js';
import { MaxInFlight } from './max-in-flight.js';
import { ApiMetrics } from './metrics.js';
import { CATALOG } from './registry/catalog.js';

export interface TlsMaterial {
  certPem: string;
  keyPem: string;
  /** CA whose client certificates are accepted. */
  clientCaPem: string;
}

/** A handler for extra non-resource paths (OpenAPI, metrics), registered by path prefix. */
export type PathHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

export interface ApiServerOptions {
  api: ApiContext;
  tls: TlsMaterial;
  authenticator: Authenticator;
  authorizer: Authorizer;
  /** Non-resource paths served besides discovery and health, longest prefix first. */
  paths?: Map<string, PathHandler>;
  /** Reports readiness problems (e.g. the watch cache failing); undefined when ready. */
  unready?: () => string | undefined;
}

const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };
const PUBLIC_PATHS = new Set(['/version', '/version/', '/healthz', '/livez', '/readyz', '/cacerts']);

export class ApiServer {
  private server?: Server;
  private readonly paths: [string, PathHandler][];
  private readonly inFlight = new MaxInFlight();
  private readonly metrics = new ApiMetrics();

  constructor(private readonly o: ApiServerOptions) {
    this.paths = [...(o.paths ?? new Map()).entries()].sort((a, b) => b[0].length - a[0].length);
  }

  async listen(port: number, host: string): Promise<number> {
    this.server = createServer({
      cert: this.o.tls.certPem, key: this.o.tls.keyPem, ca: this.o.tls.clientCaPem,
      requestCert: true, rejectUnauthorized: false, keepAlive: true,
    }, (req, res) => { void this.handle(req, res); });
    // Upgrade requests (exec, attach, port-forward) go through the same handlers, with a response bound to
    // the raw socket: a connect handler takes the socket over (res.socket), errors are written as usual.
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      if (head.length) socket.unshift(head);
      const res = new ServerResponse(req);
      res.shouldKeepAlive = false;
      res.assignSocket(socket);
      void this.handle(req, res);
    });
    this.server.keepAliveTimeout = 60_000;
    this.server.headersTimeout = 65_000;
    this.server.requestTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => { this.server!.off('error', reject); resolve(); });
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const api = this.o.api;
    let release = () => {};
    try {
      const url = new URL(req.url ?? '/', 'https://apiserver');
      const path = url.pathname;
      const info = parseRequestInfo(req.method ?? 'GET', path, url.searchParams);
      // Stage 0: max in flight (429 when overloaded).
      release = this.inFlight.acquire(info);
      res.once('close', release);
      this.measure(info, res);
      // Stage 1: authentication.
      let user: UserInfo;
      try {
        user = await this.o.authenticator.authenticate(req) as UserInfo;
      } catch (err) {
        if (err instanceof ApiError && err.code === 401 && PUBLIC_PATHS.has(path) && !req.headers.authorization) user = ANONYMOUS;
        else throw err;
      }
      // Stage 2: authorization.
      const attrs = {
        user, verb: info.verb, isResourceRequest: info.isResourceRequest, path, apiGroup: info.apiGroup, apiVersion: info.apiVersion,
        namespace: info.namespace, resource: info.resource, subresource: info.subresource, name: info.name,
      };
      const decision = await this.o.authorizer.authorize(attrs);
      if (!decision.allowed) throw errors.forbidden(forbiddenMessage(attrs, decision.reason));
      // Stage 3 and 4: admission runs inside the REST handlers, on the decoded object.
      if (info.isResourceRequest) {
        await handleResource(api, info, url.searchParams, user, req, res);
        return;
      }
      await this.nonResource(req, res, url);
    } catch (err) {
      if (!res.headersSent) writeError(res, err, api.log);
      else res.end();
    } finally {
      release(); // a no-op for long-running requests, which hold no slot
    }
  }

  /** Counts the request in /metrics when its response is done. */
  private measure(info: RequestInfo, res: ServerResponse): void {
    const start = performance.now();
    const endLong = MaxInFlight.isLongRunning(info) ? this.metrics.longRunningStarted() : undefined;
    res.once('close', () => {
      endLong?.();
      this.metrics.observe(info, res.statusCode, (performance.now() - start) / 1000);
    });
  }

  private async nonResource(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (req.method !== 'GET' && req.method !== 'HEAD') throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
    const accept = req.headers.accept;
    switch (path) {
      case '/version':
        return writeJson(res, 200, { ...KUBERNETES_VERSION, gitCommit: '', gitTreeState: 'clean', buildDate: '', goVersion: `node${process.versions.node}`, compiler: 'tsc', platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`, emulationMajor: KUBERNETES_VERSION.major, emulationMinor: KUBERNETES_VERSION.minor, minCompatibilityMajor: KUBERNETES_VERSION.major, minCompatibilityMinor: String(Number(KUBERNETES_VERSION.minor) - 1) });
      case '/metrics': {
        const counts: Record<string, number> = {};
        for (const e of CATALOG) if (e.storageVersion) counts[e.group ? `${e.resource}.${e.group}` : e.resource] = this.o.api.cache.count(e.storage);
        return writeText(res, 200, this.metrics.render(counts), 'text/plain; version=0.0.4; charset=utf-8');
      }
      case '/healthz':
      case '/livez':
        return writeText(res, 200, 'ok', 'text/plain; charset=utf-8');
      case '/readyz': {
        const why = this.o.unready?.();
        if (why) return writeText(res, 500, `[-]watch-cache failed: ${why}\nreadyz check failed`, 'text/plain; charset=utf-8');
        return writeText(res, 200, 'ok', 'text/plain; charset=utf-8');
      }
      case '/api': {
        const ct = aggregatedContentType(accept);
        if (ct) return writeText(res, 200, JSON.stringify(aggregatedDiscovery(true, ct)), ct);
        return writeJson(res, 200, apiVersions(req.headers.host ?? ''));
      }
      case '/apis': {
        const ct = aggregatedContentType(accept);
        if (ct) return writeText(res, 200, JSON.stringify(aggregatedDiscovery(false, ct)), ct);
        return writeJson(res, 200, apiGroupList());
      }
      default:
        break;
    }
    if (path.startsWith('/healthz/') || path.startsWith('/livez/') || path.startsWith('/readyz/')) {
      return writeText(res, 200, 'ok', 'text/plain; charset=utf-8');
    }
    const segs = path.split('/').slice(1);
    if (segs[0] === 'api' && segs.length === 2) {
      const list = apiResourceList('', segs[1]!);
      if (list) return writeJson(res, 200, list);
    }
    if (segs[0] === 'apis' && segs.length === 2) {
      const g = apiGroupOf(segs[1]!);
      if (g) return writeJson(res, 200, g);
    }
    if (segs[0] === 'apis' && segs.length === 3) {
      const list = apiResourceList(segs[1]!, segs[2]!);
      if (list) return writeJson(res, 200, list);
    }
    for (const [prefix, h] of this.paths) {
      if (path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)) return h(req, res, url);
    }
    throw new ApiError('NotFound', 'the server could not find the requested resource', {});
  }
}
