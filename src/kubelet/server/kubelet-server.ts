/**
 * The kubelet's HTTPS server (port 10250), what the API server proxies `kubectl logs` to:
 * - `GET /containerLogs/<ns>/<pod>/<container>?follow&tailLines&sinceSeconds&sinceTime&timestamps&previous&limitBytes`
 *   streams the container's CRI log file (../logs/log-reader.ts) as text/plain, flushed per line;
 * - `/exec/<ns>/<pod>/<container>?command=…&stdin&stdout&stderr&tty`, `/attach/<ns>/<pod>/<container>?…` and
 *   `/portForward/<ns>/<pod>`: the runtime's Exec/Attach/PortForward prepares a stream and returns the
 *   URL of its streaming server; the (upgrade) request is replayed there and the connection joined to it
 *   byte for byte (./stream-proxy.ts), so the runtime speaks SPDY/WebSocket with the client itself;
 * - `GET /healthz` → ok.
 * Clients must present a certificate signed by `clientCaPem` (the cluster's client CA) when it is given,
 * else `Authorization: Bearer <bearerToken>` when that is given (a joined agent: the join secret).
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
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { proxyUpgrade } from './stream-proxy.js';

export interface KubeletServerOptions {
  runtime: RuntimeService;
  /** The pod of that namespace and name bound to this node, if any. */
  findPod(namespace: string, name: string): Pod | undefined;
  certPem: string;
  keyPem: string;
  clientCaPem?: string;
  bearerToken?: string;
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
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (head.length) socket.unshift(head);
      this.stream(req, socket).catch((err) => {
        const code = err instanceof HttpError ? err.code : 500;
        const body = `${(err as Error).message}\n`;
        socket.end(`HTTP/1.1 ${code} Error\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.port, this.o.bindAddress, () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  private authorize(req: IncomingMessage): void {
    if (this.o.clientCaPem || !this.o.bearerToken) return;
    if (req.headers.authorization !== `Bearer ${this.o.bearerToken}`) throw new HttpError(401, 'Unauthorized');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.authorize(req);
    const url = new URL(req.url ?? '/', 'https://kubelet');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === 'healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (parts[0] === 'containerLogs' && parts.length === 4 && req.method === 'GET') return this.logs(parts[1]!, parts[2]!, parts[3]!, url.searchParams, res);
    if (parts[0] === 'exec' || parts[0] === 'attach' || parts[0] === 'portForward') {
      throw new HttpError(400, `${parts[0]} needs an upgraded connection (SPDY/3.1 or WebSocket)`);
    }
    throw new HttpError(404, `404 page not found`);
  }

  /** Where the runtime's streaming server wants this exec/attach/port-forward. */
  private async streamUrl(kind: string, parts: string[], q: URLSearchParams): Promise<string> {
    const pod = this.o.findPod(parts[0]!, parts[1]!);
    if (!pod) throw new HttpError(404, `pod "${parts[1]}" in namespace "${parts[0]}" not found`);
    const state = await readRuntimeState(this.o.runtime, pod.metadata!.uid!);
    const flag = (...names: string[]) => names.some((n) => q.get(n) === 'true' || q.get(n) === '1');
    if (kind === 'portForward') {
      const sb = state.sandboxes.find((s) => s.state === 'SANDBOX_READY');
      if (!sb) throw new HttpError(400, `pod ${parts[1]} has no running sandbox`);
      return this.o.runtime.portForward(sb.id, q.getAll('port').map(Number).filter((n) => n > 0));
    }
    const name = parts[2]!;
    const c = state.containers.get(name)?.[0];
    if (!c || c.state !== 'CONTAINER_RUNNING') throw new HttpError(400, `container ${name} is not running in pod ${parts[1]}`);
    const opts = { containerId: c.id, tty: flag('tty'), stdin: flag('stdin', 'input'), stdout: flag('stdout', 'output'), stderr: flag('stderr', 'error') };
    if (kind === 'exec') return this.o.runtime.exec({ ...opts, cmd: q.getAll('command') });
    return this.o.runtime.attach(opts);
  }

  private async stream(req: IncomingMessage, socket: Duplex): Promise<void> {
    this.authorize(req);
    const url = new URL(req.url ?? '/', 'https://kubelet');
    const [kind, ...parts] = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const arity: Record<string, number> = { exec: 3, attach: 3, portForward: 2 };
    if (!kind || arity[kind] !== parts.length) throw new HttpError(404, '404 page not found');
    const target = new URL(await this.streamUrl(kind, parts, url.searchParams));
    await proxyUpgrade(req, socket, () => new Promise<Duplex>((resolve, reject) => {
      const s = connect({ host: target.hostname, port: Number(target.port || 80) }, () => resolve(s));
      s.once('error', reject);
    }), `${target.pathname}${target.search}`, target.host);
  }

  private async logs(ns: string, name: string, container: string, q: URLSearchParams, res: ServerResponse): Promise<void> {
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
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
}
