/**
 * Fuzzing the API server: 10,000 random and mutated requests (methods, paths, query parameters, content
 * types, bodies) against an API server on 127.0.0.1 with an in-memory store. No request may crash the
 * server or get a 5xx, every error must be a Status body, and afterwards every stored object must be
 * whole and agree between the store and the watch cache.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startApiServer, type RunningApiServer } from '../../src/apiserver/apiserver.js';
import { MemoryStore } from '../../src/apiserver/testing/memory-store.js';

const REQUESTS = 10_000;
let dir: string;
let srv: RunningApiServer;
let store: MemoryStore;
let agent: Agent;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'k8ts-fuzz-'));
  store = new MemoryStore();
  srv = await startApiServer(store, { dataDir: dir, port: 0, bindAddress: '127.0.0.1' });
  agent = new Agent({ keepAlive: true, maxSockets: 16, ca: srv.pki.serverCA.certPem });
});

after(async () => {
  agent?.destroy();
  await srv?.stop();
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A small seeded PRNG (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env.K8TS_FUZZ_SEED ?? 20261123);
const rand = rng(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const NAMES = ['a', 'b', 'web', 'x-1', 'Bad_Name', '', '..', 'a'.repeat(300), 'ü', '%2F', 'kube-system', 'default'];
const RESOURCES = ['/api/v1/namespaces/default/pods', '/api/v1/namespaces/default/configmaps', '/api/v1/namespaces/default/services',
  '/apis/apps/v1/namespaces/default/deployments', '/api/v1/namespaces', '/api/v1/nodes', '/api/v1/namespaces/nope/secrets',
  '/apis/batch/v1/namespaces/default/jobs', '/api/v1/pods', '/apis/nope/v1/things', '/api/v2/pods', '/api/v1/namespaces/default/pods/a/status',
  '/apis/apps/v1/namespaces/default/deployments/web/scale', '/api/v1/namespaces/default/pods/a/binding', '/api/v1/namespaces/default/pods/a/log',
  '/api/v1/namespaces/default/pods/a/eviction', '/api/v1/namespaces/x/finalize', '/openapi/v3', '/version', '/apis', '/api'];
const QUERIES = ['', 'labelSelector=a%3Db', 'labelSelector=a%20in%20(', 'fieldSelector=metadata.name%3Da', 'fieldSelector=bogus%3D1', 'limit=1',
  'limit=-1', 'continue=zzz', 'resourceVersion=abc', 'resourceVersion=0', 'resourceVersionMatch=Exact&resourceVersion=1', 'dryRun=All',
  'dryRun=Bogus', 'fieldValidation=Strict', 'fieldValidation=Nope', 'watch=true&timeoutSeconds=0', 'propagationPolicy=Foreground',
  'propagationPolicy=Nope', 'gracePeriodSeconds=x', 'force=true&fieldManager=f'];
const TYPES = ['application/json', 'application/yaml', 'application/merge-patch+json', 'application/json-patch+json',
  'application/strategic-merge-patch+json', 'application/apply-patch+yaml', 'application/vnd.kubernetes.protobuf', 'text/plain', undefined];

function validObject(kind: string): Record<string, unknown> {
  const name = pick(NAMES);
  switch (kind) {
    case 'pods': return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    case 'services': return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }], type: pick(['ClusterIP', 'NodePort', 'Bogus']) } };
    case 'deployments': return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } };
    default: return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, finalizers: rand() < 0.1 ? ['x/y'] : undefined }, data: { k: 'v' } };
  }
}

/** Changes a value somewhere in the object: a wrong type, a removal, a junk field. */
function mutate(v: unknown, depth = 0): unknown {
  if (depth > 4 || rand() < 0.2) return pick([null, 1, -1, 'x', true, [], {}, [1, 'a'], { a: { b: [] } }, 1e308, '\u0000']);
  if (Array.isArray(v)) return v.map((x) => (rand() < 0.5 ? mutate(x, depth + 1) : x));
  if (v && typeof v === 'object') {
    const o = { ...(v as Record<string, unknown>) };
    const keys = Object.keys(o);
    if (keys.length && rand() < 0.7) {
      const k = pick(keys);
      if (rand() < 0.3) delete o[k];
      else o[k] = mutate(o[k], depth + 1);
    } else o[pick(['junk', 'spec', 'status', 'metadata', 'kind'])] = mutate(undefined, depth + 1);
    return o;
  }
  return v;
}

function body(resourcePath: string): string | Buffer | undefined {
  const r = rand();
  if (r < 0.1) return undefined;
  if (r < 0.2) return Buffer.from(Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256)));
  const kind = resourcePath.split('/').find((s) => ['pods', 'services', 'deployments'].includes(s)) ?? 'configmaps';
  const obj = rand() < 0.4 ? validObject(kind) : mutate(validObject(kind));
  const text = JSON.stringify(rand() < 0.1 ? [{ op: pick(['add', 'remove', 'bogus']), path: pick(['/metadata/labels/x', '/spec', '', '/a/b/c']), value: 1 }] : obj);
  return rand() < 0.1 ? text.slice(0, Math.floor(rand() * text.length)) : text;
}

function send(method: string, p: string, b: string | Buffer | undefined, ct: string | undefined): Promise<{ code: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { Authorization: `Bearer ${srv.pki.adminToken}` };
    if (ct) headers['Content-Type'] = ct;
    if (b !== undefined) headers['Content-Length'] = Buffer.byteLength(b);
    const req = request({ host: '127.0.0.1', port: srv.port, method, path: p, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`timeout: ${method} ${p}`)));
    req.end(b);
  });
}

test(`${REQUESTS} random and mutated requests: no crash, no 5xx, Status bodies, consistent state (seed ${SEED})`, async () => {
  let next = 0;
  const failures: string[] = [];
  const codes = new Map<number, number>();
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < REQUESTS && failures.length < 5) {
      next++;
      const base = pick(RESOURCES);
      const withName = rand() < 0.5 && !base.match(/\/(status|scale|binding|log|eviction|finalize)$/) ? `${base}/${encodeURIComponent(pick(NAMES))}` : base;
      const q = pick(QUERIES);
      const method = pick(['GET', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
      const p = q ? `${withName}?${q}` : withName;
      const b = method === 'GET' ? undefined : body(base);
      const ct = pick(TYPES);
      const r = await send(method, p, b, ct);
      codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
      if (r.code >= 500) failures.push(`${method} ${p} (${ct}) → ${r.code} ${r.body.slice(0, 300)}`);
      else if (r.code >= 400 && !p.startsWith('/version')) {
        try {
          const s = JSON.parse(r.body) as { kind?: string; code?: number };
          if (s.kind !== 'Status' || s.code !== r.code) failures.push(`${method} ${p} → ${r.code} without a matching Status: ${r.body.slice(0, 200)}`);
        } catch {
          failures.push(`${method} ${p} → ${r.code} with a body that is not JSON: ${r.body.slice(0, 200)}`);
        }
      }
    }
  }));
  assert.deepEqual(failures, [], `codes seen: ${JSON.stringify([...codes])}`);
  assert.equal((await send('GET', '/healthz', undefined, undefined)).code, 200);

  // Every stored object is whole, and the cache agrees with the store.
  const rev = await store.currentRevision();
  await srv.api.cache.waitFor(rev);
  const listed = await store.list('/registry/');
  for (const kv of listed.kvs) {
    const obj = JSON.parse(Buffer.from(kv.value).toString()) as { metadata: { name: string; uid: string; creationTimestamp: string; namespace?: string } };
    assert.ok(kv.key.endsWith(`/${obj.metadata.name}`), kv.key);
    assert.match(obj.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.ok(obj.metadata.creationTimestamp);
    const cached = srv.api.cache.get(kv.key);
    assert.ok(cached, `cache lacks ${kv.key}`);
    assert.equal(cached.rv, kv.modRevision);
  }
  let cachedCount = 0;
  for (const storage of new Set(listed.kvs.map((kv) => kv.key.split('/')[2]!))) cachedCount += srv.api.cache.count(storage);
  assert.equal(cachedCount, listed.kvs.length);
});
