/**
 * The kubelet's HTTPS server (port 10250), what the API server proxies `kubectl logs` to:
 * - `GET /containerLogs/<ns>/<pod>/<container>?follow&tailLines&sinceSeconds&sinceTime&timestamps&previous&limitBytes`
 *   streams the container's CRI log file (../logs/log-reader.ts) as text/plain, flushed per line;
 * - `GET /healthz` → ok.
 * Clients must present a certificate signed by `clientCaPem` (the cluster's client CA) when it is given.
 * Errors are plain text with upstream's status codes (404 for an unknown pod or container, 400 for a bad
 * request).
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pod } from '../../api/types.js';
import type { RuntimeService } from '../cri/service.js';
import { readContainerLog } from '../logs/log-reader.js';
import { readRuntimeState } from '../pods/runtime-state.js';

export interface KubeletServerOptions {
  runtime: RuntimeService;
  /** The pod of that namespace and name bound to this node, if any. */
  findPod(namespace: string, name: string): Pod | undefined;
  certPem: string;
  keyPem: string;
  clientCaPem?: string;
  port: number;
  bindAddress: string;
}

class HttpError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

export class KubeletServer {
  private server: Server | undefined;

  constructor(private readonly o: KubeletServerOptions) {}

  async listen(): Promise<number> {
    const server = createServer({
      cert: this.o.certPem, key: this.o.keyPem,
      ...(this.o.clientCaPem ? { ca: this.o.clientCaPem, requestCert: true, rejectUnauthorized: true } : {}),
    }, (req, res) => {
      this.handle(req, res).catch((err) => {
        const code = err instanceof HttpError ? err.code : 500;
        if (!res.headersSent) {
          res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8' });
          res.end(`${(err as Error).message}\n`);
        } else res.destroy();
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.port, this.o.bindAddress, () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === 'healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (parts[0] === 'containerLogs' && parts.length === 4 && req.method === 'GET') return this.logs(parts[1]!, parts[2]!, parts[3]!, url.searchParams, req, res);
    throw new HttpError(404, `404 page not found`);
  }

  private async logs(ns: string, name: string, container: string, q: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pod = this.o.findPod(ns, name);
    if (!pod) throw new HttpError(404, `pod "${name}" in namespace "${ns}" not found`);
    const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    if (!specs.some((c) => c.name === container)) throw new HttpError(404, `container ${container} is not valid for pod ${name}`);
    const state = await readRuntimeState(this.o.runtime, pod.metadata!.uid!);
    const list = state.containers.get(container) ?? [];
    const previous = q.get('previous') === 'true';
    const target = previous ? list[1] : list[0];
    if (!target) {
      if (previous) throw new HttpError(400, `previous terminated container "${container}" in pod "${name}" not found`);
      throw new HttpError(400, `container "${container}" in pod "${name}" is waiting to start: ContainerCreating`);
    }
    const num = (k: string) => (q.has(k) ? Number(q.get(k)) : undefined);
    let sinceMs: number | undefined;
    if (q.has('sinceSeconds')) sinceMs = Date.now() - Number(q.get('sinceSeconds')) * 1000;
    if (q.has('sinceTime')) sinceMs = Date.parse(q.get('sinceTime')!);
    const ac = new AbortController();
    res.on('close', () => ac.abort());
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const id = target.id;
    await readContainerLog(target.logPath, {
      follow: q.get('follow') === 'true' && !previous, tailLines: num('tailLines'), sinceMs, timestamps: q.get('timestamps') === 'true', limitBytes: num('limitBytes'),
    }, (chunk) => new Promise<void>((resolve) => (res.write(chunk) ? resolve() : res.once('drain', resolve))), async () => {
      try {
        return (await this.o.runtime.containerStatus(id)).status.state === 'CONTAINER_RUNNING';
      } catch {
        return false;
      }
    }, ac.signal);
    res.end();
    void req;
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
}
