/**
 * Raw HTTP(S) requests to the API server for kubectl's commands, which need control over Accept
 * headers (server-side Tables), query parameters and streaming that the typed Client does not expose.
 * Uses node:http/https directly (not fetch) because it loads faster; static imports so that a start-up
 * snapshot can hold them. Non-2xx answers become ApiErrors.
 */
import * as http from 'node:http';
import type { IncomingMessage, RequestOptions } from 'node:http';
import * as httpsModule from 'node:https';
import { ApiError, type Status } from '../api/errors.js';
import type { Connection } from './connection.js';

export interface RawRequest {
  method?: string;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  accept?: string;
  contentType?: string;
  body?: string | Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export const USER_AGENT = 'kubectl/v1.32.0+k8ts (linux/amd64) k8ts';

export class Transport {
  constructor(readonly conn: Connection) {}

  private async open(req: RawRequest): Promise<IncomingMessage> {
    const url = new URL(this.conn.server + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    const https = url.protocol === 'https:';
    const mod = https ? httpsModule : http;
    const headers: Record<string, string> = { 'User-Agent': USER_AGENT, Accept: req.accept ?? 'application/json' };
    if (req.contentType) headers['Content-Type'] = req.contentType;
    if (req.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(req.body));
    if (https && this.conn.token) headers.Authorization = `Bearer ${this.conn.token}`;
    else if (https && this.conn.username) headers.Authorization = `Basic ${Buffer.from(`${this.conn.username}:${this.conn.password ?? ''}`).toString('base64')}`;
    const opts: RequestOptions & Record<string, unknown> = { method: req.method ?? 'GET', headers };
    if (https) {
      if (this.conn.ca) opts.ca = this.conn.ca;
      if (this.conn.cert) opts.cert = this.conn.cert;
      if (this.conn.key) opts.key = this.conn.key;
      opts.rejectUnauthorized = !this.conn.insecure;
      if (this.conn.tlsServerName) opts.servername = this.conn.tlsServerName;
    }
    return new Promise((resolve, reject) => {
      const r = mod.request(url, opts, resolve);
      r.on('error', reject);
      if (this.conn.timeoutMs > 0) r.setTimeout(this.conn.timeoutMs, () => r.destroy(new Error(`the server was unable to return a response in the time allotted, but may still be processing the request`)));
      r.end(req.body);
    });
  }

  /** Sends a request and reads the whole answer; throws ApiError for non-2xx. */
  async request(req: RawRequest): Promise<RawResponse> {
    const res = await this.open(req);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const status = res.statusCode ?? 0;
    if (status < 200 || status > 299) throw errorFromResponse(status, body, req);
    return { status, headers: res.headers, body };
  }

  async json<T = unknown>(req: RawRequest): Promise<T> {
    return JSON.parse((await this.request(req)).body) as T;
  }

  /** Opens a streaming request (watch, logs); throws ApiError for non-2xx. */
  async stream(req: RawRequest): Promise<IncomingMessage> {
    const res = await this.open(req);
    const status = res.statusCode ?? 0;
    if (status < 200 || status > 299) {
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      throw errorFromResponse(status, Buffer.concat(chunks).toString('utf8'), req);
    }
    return res;
  }
}

/** A Status body becomes its ApiError; anything else gets upstream's generic wording for the code. */
export function errorFromResponse(status: number, body: string, req: RawRequest): ApiError {
  try {
    const s = JSON.parse(body) as Partial<Status>;
    if (s && s.kind === 'Status') return ApiError.fromStatus({ ...s, code: s.code ?? status });
  } catch { /* not JSON */ }
  const what = req.path.split('/').filter(Boolean).pop() ?? '';
  const generic: Record<number, [string, string]> = {
    401: ['Unauthorized', 'Unauthorized'],
    403: ['Forbidden', `forbidden`],
    404: ['NotFound', `the server could not find the requested resource (${req.method ?? 'get'} ${what})`],
    409: ['Conflict', 'the server reported a conflict'],
    500: ['InternalError', `an error on the server ("${body.trim()}") has prevented the request from succeeding`],
    503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
  };
  const [reason, message] = generic[status] ?? ['InternalError', `an error on the server ("${body.trim()}") has prevented the request from succeeding`];
  return new ApiError(reason as never, message, undefined, status);
}
