/**
 * `RestClient`: the `Client` that speaks the Kubernetes REST API over HTTPS (client-go `rest`).
 *
 * - One keep-alive `Agent` per client, carrying the TLS settings of the `RestConfig` (CA, client
 *   certificate, insecure-skip-tls-verify, tls-server-name); bearer token (re-read from `tokenFile`
 *   every minute) or basic auth in the Authorization header.
 * - JSON in and out. A non-2xx answer becomes an `ApiError`: from the `Status` body when the server sent
 *   one, else from the HTTP code alone.
 * - Requests time out after `timeoutMs` (default 30 s; 0: never); watches are not timed out by the
 *   client, they carry `timeoutSeconds` for the server instead.
 * - A watch is a stream of newline-delimited JSON events, surfaced as a `Watch` (async iterable).
 * - No client-side rate limiting: the server's priority and fairness is the limit. An answer that asks
 *   to come back later (429, or 5xx with `Retry-After`) is retried after the given delay, 10 times at most.
 * - `request()` is the raw escape hatch (discovery, logs, OpenAPI) the CLI uses.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { ApiError, type Status } from '../api/errors.js';
import type { KubeList, KubeObject } from '../api/types.js';
import type { Client, DeleteOptions, GetOptions, ListOptions, PatchOptions, PatchType, Watch, WatchOptions, WriteOptions } from './client.js';
import { PATCH_CONTENT_TYPES } from './client.js';
import { readTokenFile, restConfigFromKubeconfig, type ConfigOverrides, type LoadOptions, type RestConfig } from './kubeconfig.js';
import { resourcePath, type ResourceRef } from './resource.js';
import { WatchChannel } from './watch-channel.js';

export interface RestClientOptions {
  /** Per-request timeout for everything but watches. Default 30 000 ms; 0 disables. */
  timeoutMs?: number;
  /** How many times to honour a `Retry-After` (429, or 5xx with the header). Default 10, as client-go. */
  maxRetries?: number;
  userAgent?: string;
}

export interface RawRequest {
  method: string;
  /** Path below the server URL, e.g. `/api/v1/namespaces`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Defaults to `application/json` when there is a body. */
  contentType?: string;
  accept?: string;
  timeoutMs?: number;
  headers?: Record<string, string>;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const TOKEN_FILE_REFRESH_MS = 60_000;

export class RestClient implements Client {
  private readonly agent: http.Agent;
  private readonly base: URL;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly userAgent: string;
  private token: string | undefined;
  private tokenReadAt = 0;

  constructor(readonly config: RestConfig, opts: RestClientOptions = {}) {
    this.base = new URL(config.server);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.maxRetries = opts.maxRetries ?? 10;
    this.userAgent = opts.userAgent ?? 'k8ts/v0.1.0';
    this.token = config.token;
    this.tokenReadAt = Date.now();
    if (this.base.protocol === 'https:') {
      this.agent = new https.Agent({
        keepAlive: true,
        ...(config.ca ? { ca: config.ca } : {}),
        ...(config.cert ? { cert: config.cert } : {}),
        ...(config.key ? { key: config.key } : {}),
        rejectUnauthorized: !config.insecureSkipTLSVerify,
        ...(config.tlsServerName ? { servername: config.tlsServerName } : {}),
      });
    } else {
      this.agent = new http.Agent({ keepAlive: true });
    }
  }

  /** Loads kubeconfig as kubectl does (`--kubeconfig`, `$KUBECONFIG`, `~/.kube/config`) and connects. */
  static fromKubeconfig(opts: LoadOptions & ConfigOverrides = {}, clientOpts: RestClientOptions = {}): RestClient {
    return new RestClient(restConfigFromKubeconfig(opts), clientOpts);
  }

  /** The namespace the kubeconfig context selects (or "default"). */
  get namespace(): string {
    return this.config.namespace;
  }

  /** Closes idle keep-alive connections. Open watches end. */
  close(): void {
    this.agent.destroy();
  }

  async get<T extends KubeObject = KubeObject>(ref: ResourceRef, name: string, opts: GetOptions = {}): Promise<T> {
    return this.json<T>({ method: 'GET', path: resourcePath(ref, name, opts.subresource), query: { resourceVersion: opts.resourceVersion } });
  }

  async list<T extends KubeObject = KubeObject>(ref: ResourceRef, opts: ListOptions = {}): Promise<KubeList<T>> {
    return this.json<KubeList<T>>({ method: 'GET', path: resourcePath(ref), query: { ...opts } });
  }

  async create<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T, opts: WriteOptions & { name?: string } = {}): Promise<T> {
    const path = opts.subresource ? resourcePath(ref, opts.name ?? obj.metadata?.name ?? '', opts.subresource) : resourcePath(ref);
    return this.json<T>({ method: 'POST', path, query: writeQuery(opts), body: obj });
  }

  async update<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.json<T>({ method: 'PUT', path: resourcePath(ref, obj.metadata?.name ?? '', opts.subresource), query: writeQuery(opts), body: obj });
  }

  async patch<T extends KubeObject = KubeObject>(ref: ResourceRef, name: string, type: PatchType, patch: unknown, opts: PatchOptions = {}): Promise<T> {
    return this.json<T>({
      method: 'PATCH',
      path: resourcePath(ref, name, opts.subresource),
      query: { ...writeQuery(opts), force: opts.force },
      body: patch,
      contentType: PATCH_CONTENT_TYPES[type],
    });
  }

  async delete(ref: ResourceRef, name: string, opts: DeleteOptions & { subresource?: string } = {}): Promise<KubeObject | Status> {
    const { subresource, dryRun, ...rest } = opts;
    const body = { kind: 'DeleteOptions', apiVersion: 'v1', ...rest, ...(dryRun ? { dryRun: ['All'] } : {}) };
    return this.json<KubeObject | Status>({ method: 'DELETE', path: resourcePath(ref, name, subresource), body });
  }

  async watch<T extends KubeObject = KubeObject>(ref: ResourceRef, opts: WatchOptions = {}): Promise<Watch<T>> {
    const { req, res } = await this.open({ method: 'GET', path: resourcePath(ref), query: { ...opts, watch: true }, timeoutMs: 0 });
    if (res.statusCode! < 200 || res.statusCode! >= 300) {
      const body = await readAll(res);
      throw errorFromResponse(res.statusCode!, body);
    }
    const channel = new WatchChannel<T>(() => req.destroy());
    let pending = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        if (!line) continue;
        try {
          channel.push(JSON.parse(line));
        } catch (err) {
          channel.end(new Error(`watch ${resourcePath(ref)}: malformed event: ${(err as Error).message}`));
          req.destroy();
          return;
        }
      }
    });
    res.on('end', () => {
      if (pending.trim()) {
        try {
          channel.push(JSON.parse(pending));
        } catch {
          /* a truncated last line: the stream was cut */
        }
      }
      channel.end();
    });
    res.on('error', (err) => channel.end(err));
    res.on('close', () => channel.end(res.complete ? undefined : new Error(`watch ${resourcePath(ref)}: connection closed`)));
    return channel;
  }

  /** Any request; the body comes back raw. Never throws for HTTP status codes. */
  async request(r: RawRequest): Promise<RawResponse> {
    const { res } = await this.open(r);
    return { status: res.statusCode!, headers: res.headers, body: await readAll(res) };
  }

  /** A request whose 2xx answer is JSON; anything else throws `ApiError`. */
  async json<T>(r: RawRequest): Promise<T> {
    let res = await this.request({ accept: 'application/json', ...r });
    // The server asks us to come back later (429, or a 5xx with Retry-After): do so, as client-go does.
    for (let retry = 1; retry <= this.maxRetries; retry++) {
      const wait = retryAfterSeconds(res);
      if (wait === undefined) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 60) * 1000));
      res = await this.request({ accept: 'application/json', ...r });
    }
    if (res.status < 200 || res.status >= 300) throw errorFromResponse(res.status, res.body);
    if (res.body.length === 0) return undefined as T;
    try {
      return JSON.parse(res.body.toString('utf8')) as T;
    } catch (err) {
      throw new ApiError('InternalError', `${r.method} ${r.path}: the server sent a body that is not JSON: ${(err as Error).message}`, undefined, res.status);
    }
  }

  private authorization(): string | undefined {
    if (this.config.tokenFile && Date.now() - this.tokenReadAt > TOKEN_FILE_REFRESH_MS) {
      try {
        this.token = readTokenFile(this.config.tokenFile);
        this.tokenReadAt = Date.now();
      } catch {
        /* keep the last good token, as client-go does */
      }
    }
    if (this.token) return `Bearer ${this.token}`;
    if (this.config.username !== undefined) return `Basic ${Buffer.from(`${this.config.username}:${this.config.password ?? ''}`).toString('base64')}`;
    return undefined;
  }

  private open(r: RawRequest): Promise<{ req: http.ClientRequest; res: http.IncomingMessage }> {
    const url = new URL(this.base.href);
    url.pathname = (this.base.pathname.replace(/\/+$/, '') + r.path).replace(/\/{2,}/g, '/');
    for (const [k, v] of Object.entries(r.query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    const body = r.body === undefined ? undefined : Buffer.isBuffer(r.body) ? r.body : Buffer.from(typeof r.body === 'string' ? r.body : JSON.stringify(r.body));
    const headers: Record<string, string> = { 'User-Agent': this.userAgent, Accept: r.accept ?? 'application/json', ...r.headers };
    const auth = this.authorization();
    if (auth) headers.Authorization = auth;
    if (body) {
      headers['Content-Type'] = r.contentType ?? 'application/json';
      headers['Content-Length'] = String(body.length);
    }
    const timeoutMs = r.timeoutMs ?? this.timeoutMs;
    const mod = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(url, { method: r.method, headers, agent: this.agent }, (res) => {
        if (timeoutMs > 0) {
          // The timeout covers the whole exchange: keep it running while the body is read.
          res.on('end', () => clearTimeout(timer));
          res.on('close', () => clearTimeout(timer));
        } else clearTimeout(timer);
        resolve({ req, res });
      });
      const timer = timeoutMs > 0
        ? setTimeout(() => req.destroy(Object.assign(new Error(`${r.method} ${url.pathname}: request timed out after ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs)
        : undefined;
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(body);
    });
  }
}

/** Seconds to wait before retrying, when the answer asks for a retry (client-go `checkWait`). */
function retryAfterSeconds(res: RawResponse): number | undefined {
  if (res.status !== 429 && (res.status < 500 || res.status > 599)) return undefined;
  const h = res.headers['retry-after'];
  const v = Array.isArray(h) ? h[0] : h;
  if (v === undefined) return undefined;
  const n = Number.parseInt(v, 10);
  return Number.isNaN(n) || n < 0 ? undefined : n;
}

function writeQuery(opts: WriteOptions): Record<string, string | undefined> {
  return { dryRun: opts.dryRun ? 'All' : undefined, fieldManager: opts.fieldManager, fieldValidation: opts.fieldValidation };
}

function readAll(res: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
  });
}

/** A `Status` body becomes its ApiError; any other body an ApiError for the HTTP code, as client-go does. */
export function errorFromResponse(code: number, body: Buffer): ApiError {
  const text = body.toString('utf8');
  try {
    const parsed = JSON.parse(text) as Partial<Status>;
    if (parsed && parsed.kind === 'Status') {
      const c = parsed.code || code;
      return ApiError.fromStatus({ ...parsed, code: c, ...(!parsed.reason && c === 409 ? { reason: 'Conflict' } : {}) });
    }
  } catch {
    /* not JSON */
  }
  const generic: Record<number, string> = {
    400: 'the server rejected our request for an unknown reason',
    401: 'the server has asked for the client to provide credentials',
    403: 'the server does not allow access to the requested resource',
    404: 'the server could not find the requested resource',
    409: 'the server reported a conflict',
    410: 'the server reported a gone resource',
    422: 'the server rejected our request due to an error in our request',
    429: 'the server has received too many requests and has asked us to try again later',
    500: 'an error on the server has prevented the request from succeeding',
    503: 'the server is currently unable to handle the request',
    504: 'the server was unable to return a response in the time allotted, but may still be processing the request',
  };
  const message = generic[code] ?? `an error on the server ("${text.slice(0, 200)}") has prevented the request from succeeding`;
  // 409 without a reason is a Conflict, as client-go reads it (the code alone would say AlreadyExists).
  return ApiError.fromStatus({ code, ...(code === 409 ? { reason: 'Conflict' } : {}), message: text && generic[code] ? `${message} (${text.slice(0, 200).trim()})` : message });
}
