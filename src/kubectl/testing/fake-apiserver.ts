/**
 * A tiny canned API server on 127.0.0.1 for tests: enough discovery for kubectl to map pods, services,
 * nodes, namespaces, configmaps, events and deployments, plus fixed answers per path. Tests point the
 * real kubectl and k8ts kubectl at it and compare what they print for the same responses.
 *
 * A GET whose Accept asks for `as=Table` is answered from `tables[path]`, any other GET from
 * `objects[path]` (a string is served as text, e.g. a manifest for `-f URL`); anything else is 404 with a
 * NotFound Status. Every request is recorded.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeApiServer {
  url: string;
  /** A kubeconfig file pointing at the server (context "fake", namespace "default"). */
  kubeconfig: string;
  requests: { method: string; url: string; accept: string; body: string }[];
  tables: Record<string, unknown>;
  objects: Record<string, unknown>;
  /** Watch streams by path: the events are sent, then the stream ends. */
  watches: Record<string, unknown[]>;
  close(): Promise<void>;
}

const core = [
  ['pods', 'Pod', true, ['po'], ['all']],
  ['services', 'Service', true, ['svc'], ['all']],
  ['nodes', 'Node', false, ['no'], []],
  ['namespaces', 'Namespace', false, ['ns'], []],
  ['configmaps', 'ConfigMap', true, ['cm'], []],
  ['events', 'Event', true, ['ev'], []],
] as const;

const apps = [['deployments', 'Deployment', true, ['deploy'], ['all']]] as const;

function resourceList(groupVersion: string, list: readonly (readonly [string, string, boolean, readonly string[], readonly string[]])[]) {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: list.map(([name, kind, namespaced, shortNames, categories]) => ({
      name, singularName: kind.toLowerCase(), namespaced, kind, shortNames, categories,
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    })),
  };
}

export async function startFakeApiServer(): Promise<FakeApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-fake-apiserver-'));
  const fake: FakeApiServer = { url: '', kubeconfig: join(dir, 'kubeconfig'), requests: [], tables: {}, objects: {}, watches: {}, close: async () => {} };
  const fixed: Record<string, unknown> = {
    '/version': { major: '1', minor: '32', gitVersion: 'v1.32.0+k8ts', gitCommit: '', gitTreeState: 'clean', buildDate: '2026-01-01T00:00:00Z', goVersion: 'node', compiler: 'tsc', platform: 'linux/amd64' },
    '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] },
    '/apis': { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } }] },
    '/api/v1': resourceList('v1', core),
    '/apis/apps/v1': resourceList('apps/v1', apps),
  };
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const accept = String(req.headers.accept ?? '');
      fake.requests.push({ method: req.method ?? '', url: req.url ?? '', accept, body });
      const path = (req.url ?? '').split('?')[0];
      if (/[?&]watch=(true|1)/.test(req.url ?? '') && fake.watches[path]) {
        res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
        for (const ev of fake.watches[path]) res.write(`${JSON.stringify(ev)}\n`);
        res.end();
        return;
      }
      const answer = req.method === 'GET'
        ? fixed[path] ?? (accept.includes('as=Table') ? fake.tables[path] ?? fake.objects[path] : fake.objects[path])
        : undefined;
      if (answer === undefined) {
        res.writeHead(404, { 'content-type': 'application/json' });
        const name = path.split('/').pop();
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `the server could not find the requested resource (${name})`, reason: 'NotFound', code: 404 }));
        return;
      }
      if (answer && typeof answer === 'object' && (answer as { kind?: string }).kind === 'Status') {
        const code = (answer as { code: number }).code;
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
        return;
      }
      if (typeof answer === 'string') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(answer);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  fake.url = `http://127.0.0.1:${port}`;
  writeFileSync(fake.kubeconfig, [
    'apiVersion: v1', 'kind: Config', 'clusters:', '- name: fake', '  cluster:', `    server: ${fake.url}`,
    'contexts:', '- name: fake', '  context:', '    cluster: fake', '    user: fake', '    namespace: default',
    'current-context: fake', 'users:', '- name: fake', '  user: {}', '',
  ].join('\n'));
  fake.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  };
  return fake;
}

