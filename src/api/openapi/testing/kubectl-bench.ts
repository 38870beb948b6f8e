/**
 * Test-only harness: a minimal plain-HTTP server on 127.0.0.1 that answers just enough for the real
 * kubectl (1.32, chosen by the /version it reports) to run — version, legacy discovery, the OpenAPI v3
 * documents of `src/api/openapi` — and records every write it receives. Writes are kept in memory by
 * URL so that a later GET (for `kubectl apply`) finds them. It is NOT the API server; it exists to check
 * what kubectl sends and how it reads our documents.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { KINDS } from '../../schema/index.js';
import { openapiV3Paths, openapiV3DocumentJSON } from '../index.js';
import { decodeProtobufRequest, PROTOBUF_CONTENT_TYPE } from '../../protobuf/index.js';
import { KUBERNETES_VERSION } from '../../../version.js';

export interface Recorded {
  method: string;
  url: string;
  contentType: string;
  body: Buffer;
}

export const KUBECTL = '/usr/bin/kubectl';

export class KubectlBench {
  readonly requests: Recorded[] = [];
  private readonly objects = new Map<string, unknown>();
  private server!: Server;
  private dir!: string;
  port = 0;

  async start(): Promise<void> {
    this.dir = mkdtempSync(join(tmpdir(), 'k8ts-kubectl-bench-'));
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks)));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    writeFileSync(join(this.dir, 'kubeconfig'), [
      'apiVersion: v1', 'kind: Config', 'current-context: bench',
      'clusters:', '- name: bench', '  cluster:', `    server: http://127.0.0.1:${this.port}`,
      'contexts:', '- name: bench', '  context:', '    cluster: bench', '    namespace: default',
      'users: []', '',
    ].join('\n'));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections?.();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Writes a file into the bench's temp dir and returns its path. */
  file(name: string, content: string): string {
    const p = join(this.dir, name);
    writeFileSync(p, content);
    return p;
  }

  /** Runs the real kubectl against this server; resolves with its exit code and output. */
  kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(KUBECTL, ['--kubeconfig', join(this.dir, 'kubeconfig'), '--cache-dir', join(this.dir, 'cache'), ...args],
        { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: this.dir }, timeout: 60_000 },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
    });
  }

  writes(): Recorded[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  private json(res: ServerResponse, code: number, body: unknown): void {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    this.requests.push({ method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'] ?? '', body });
    if (req.method === 'GET') {
      if (path === '/version') return this.json(res, 200, { ...KUBERNETES_VERSION, gitCommit: '', gitTreeState: 'clean', buildDate: '2024-12-11T00:00:00Z', goVersion: 'go1.23', compiler: 'gc', platform: 'linux/amd64' });
      if (path === '/api') return this.json(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${this.port}` }] });
      if (path === '/apis') return this.json(res, 200, this.groupList());
      const rl = this.resourceList(path);
      if (rl) return this.json(res, 200, rl);
      if (path === '/openapi/v3') return this.json(res, 200, { paths: openapiV3Paths() });
      if (path.startsWith('/openapi/v3/')) {
        const doc = openapiV3DocumentJSON(path.slice('/openapi/v3/'.length));
        if (doc) {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          return void res.end(doc);
        }
      }
      const stored = this.objects.get(path);
      if (stored) return this.json(res, 200, stored);
      return this.json(res, 404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${path} not found`, reason: 'NotFound', code: 404 });
    }
    let obj: Record<string, unknown>;
    try {
      obj = (req.headers['content-type'] ?? '').startsWith(PROTOBUF_CONTENT_TYPE) ? decodeProtobufRequest(body) : JSON.parse(body.toString() || '{}');
    } catch (e) {
      return this.json(res, 400, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: String(e), reason: 'BadRequest', code: 400 });
    }
    if (req.method === 'POST') {
      const meta = (obj.metadata ?? {}) as Record<string, unknown>;
      const stored = { ...obj, metadata: { ...meta, uid: 'bench-uid', resourceVersion: '1', creationTimestamp: '2024-01-01T00:00:00Z' } };
      this.objects.set(`${path}/${String(meta.name)}`, stored);
      return this.json(res, 201, stored);
    }
    // PATCH/PUT: answer with the stored object; the test inspects the recorded body.
    return this.json(res, 200, this.objects.get(path) ?? obj);
  }

  private groupList(): unknown {
    const groups = new Map<string, string[]>();
    for (const k of KINDS) if (k.group) groups.set(k.group, [...new Set([...(groups.get(k.group) ?? []), k.version])]);
    return {
      kind: 'APIGroupList', apiVersion: 'v1',
      groups: [...groups].map(([name, versions]) => ({
        name,
        versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${name}/${versions[versions.length - 1]}`, version: versions[versions.length - 1] },
      })),
    };
  }

  private resourceList(path: string): unknown {
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (!m) return undefined;
    const group = m[2] ?? '';
    const version = m[1] ?? m[3];
    const kinds = KINDS.filter((k) => k.group === group && k.version === version);
    if (!kinds.length) return undefined;
    const all = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
    const resources = kinds.flatMap((k) => [
      { name: k.plural, singularName: k.kind.toLowerCase(), namespaced: k.namespaced, kind: k.kind, verbs: k.createOnly ? ['create'] : all },
      ...(k.subresources ?? []).map((s) => ({ name: `${k.plural}/${s}`, singularName: '', namespaced: k.namespaced, kind: k.kind, verbs: ['get', 'patch', 'update'] })),
      ...(k.otherSubresources ?? []).map((s) => ({ name: `${k.plural}/${s.name}`, singularName: '', namespaced: k.namespaced, group: s.group, version: s.version, kind: s.kind,
        verbs: s.verbs.map((v) => (v === 'post' ? 'create' : v === 'put' ? 'update' : v)) })),
    ]);
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
  }
}
