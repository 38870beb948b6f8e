/**
 * The API server's HTTP behaviour, in process over HTTPS on 127.0.0.1 with an in-memory store:
 * discovery, paging, watch (Table events, 410 Gone, slow readers), eviction with budgets.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startApiServer, type RunningApiServer } from './apiserver.js';
import { MemoryStore } from './testing/memory-store.js';

let dir: string;
let srv: RunningApiServer;
let store: MemoryStore;
let agent: Agent;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'k8ts-apiserver-'));
  store = new MemoryStore();
  srv = await startApiServer(store, { dataDir: dir, port: 0, bindAddress: '127.0.0.1' });
  agent = new Agent({ keepAlive: true, ca: srv.pki.serverCA.certPem });
});

after(async () => {
  agent.destroy();
  await srv.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = request({ host: '127.0.0.1', port: srv.port, method, path: p, agent,
      headers: { Authorization: `Bearer ${srv.pki.adminToken}`, 'Content-Type': 'application/json', ...headers } }, resolve);
    req.on('error', reject);
    req.end(text);
  });
}

async function call(method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ code: number; json: any; headers: IncomingMessage['headers'] }> {
  const res = await open(method, p, body, headers);
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString();
  const isJson = String(res.headers['content-type'] ?? '').startsWith('application/json');
  return { code: res.statusCode!, json: text && isJson ? JSON.parse(text) : text, headers: res.headers };
}

const NS = '/api/v1/namespaces/default';

test('aggregated discovery answers with exactly the content type asked for', async () => {
  const ct = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
  const r = await call('GET', '/apis', undefined, { Accept: `${ct},application/json` });
  assert.equal(r.headers['content-type'], ct);
  const apps = r.json.items.find((g: any) => g.metadata.name === 'apps');
  const dep = apps.versions[0].resources.find((x: any) => x.resource === 'deployments');
  assert.deepEqual(dep.responseKind, { group: 'apps', version: 'v1', kind: 'Deployment' });
  assert.deepEqual(dep.subresources.map((s: any) => s.subresource).sort(), ['scale', 'status']);
  const core = await call('GET', '/api', undefined, { Accept: ct });
  assert.equal(core.json.items[0].versions[0].version, 'v1');
  assert.equal((await call('GET', '/api/v1')).json.resources.find((x: any) => x.name === 'pods/eviction').group, 'policy');
});

test('list pages with limit and continue at one resourceVersion', async () => {
  for (const n of ['p1', 'p2', 'p3']) assert.equal((await call('POST', `${NS}/configmaps`, { metadata: { name: n, labels: { page: 'yes' } } })).code, 201);
  const first = await call('GET', `${NS}/configmaps?labelSelector=page%3Dyes&limit=2`);
  assert.deepEqual(first.json.items.map((i: any) => i.metadata.name), ['p1', 'p2']);
  assert.ok(first.json.metadata.continue);
  const second = await call('GET', `${NS}/configmaps?labelSelector=page%3Dyes&limit=2&continue=${encodeURIComponent(first.json.metadata.continue)}`);
  assert.deepEqual(second.json.items.map((i: any) => i.metadata.name), ['p3']);
  assert.equal(second.json.metadata.continue, undefined);
  assert.equal(second.json.metadata.resourceVersion, first.json.metadata.resourceVersion);
});

test('watch with a Table Accept sends one-row Tables; column definitions only in the first', async () => {
  const res = await open('GET', `${NS}/configmaps?watch=true&labelSelector=w%3Dt&timeoutSeconds=2`, undefined, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
  assert.equal(res.statusCode, 200);
  const lines: any[] = [];
  let buf = '';
  res.on('data', (d: Buffer) => { buf += d; });
  await call('POST', `${NS}/configmaps`, { metadata: { name: 'w1', labels: { w: 't' } }, data: { a: 'b' } });
  await call('POST', `${NS}/configmaps`, { metadata: { name: 'w2', labels: { w: 't' } } });
  await new Promise((r) => res.on('end', r));
  for (const l of buf.trim().split('\n')) lines.push(JSON.parse(l));
  assert.deepEqual(lines.map((e) => [e.type, e.object.kind, e.object.rows[0].cells[0]]), [['ADDED', 'Table', 'w1'], ['ADDED', 'Table', 'w2']]);
  assert.deepEqual(lines[0].object.columnDefinitions.map((c: any) => c.name), ['Name', 'Data', 'Age']);
  assert.deepEqual(lines[1].object.columnDefinitions, []);
  assert.equal(lines[0].object.rows[0].object.kind, 'PartialObjectMetadata');
  assert.deepEqual(lines[0].object.rows[0].object.metadata.labels, { w: 't' });
});

test('a watch from a compacted resourceVersion ends with an ERROR event carrying 410 Gone', async () => {
  const made = await call('POST', `${NS}/configmaps`, { metadata: { name: 'old' } });
  const rv = Number(made.json.metadata.resourceVersion);
  await call('POST', `${NS}/configmaps`, { metadata: { name: 'newer' } });
  await store.compact(rv + 1);
  // A second API server on the same store: its cache starts now, so an older revision goes to the store.
  const dir2 = mkdtempSync(path.join(tmpdir(), 'k8ts-apiserver-'));
  const srv2 = await startApiServer(store, { dataDir: dir2, port: 0, bindAddress: '127.0.0.1' });
  try {
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: srv2.port, path: `${NS}/configmaps?watch=true&resourceVersion=${rv}&timeoutSeconds=5`, ca: srv2.pki.serverCA.certPem,
        headers: { Authorization: `Bearer ${srv2.pki.adminToken}` } }, resolve);
      req.on('error', reject);
      req.end();
    });
    let body = '';
    for await (const c of res) body += c;
    const events = body.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(events.length, 1);
    assert.equal(events[0].type, 'ERROR');
    assert.equal(events[0].object.code, 410);
    assert.equal(events[0].object.reason, 'Expired');
  } finally {
    await srv2.stop();
    rmSync(dir2, { recursive: true, force: true });
  }
});

test('a watcher that stops reading is disconnected instead of buffering without bound', async () => {
  const res = await open('GET', `${NS}/configmaps?watch=true&labelSelector=slow%3Dyes&timeoutSeconds=60`);
  res.pause();
  const big = 'x'.repeat(900 * 1024);
  for (let i = 0; i < 40; i++) {
    const r = await call('POST', `${NS}/configmaps`, { metadata: { name: `big-${i}`, labels: { slow: 'yes' } }, data: { big } });
    assert.equal(r.code, 201);
  }
  // Other requests are answered while the slow watcher is stuck.
  assert.equal((await call('GET', '/healthz')).code, 200);
  let received = 0;
  const ended = new Promise<void>((resolve) => { res.on('end', resolve); res.on('close', resolve); });
  res.on('data', (d: Buffer) => { received += d.length; });
  res.resume();
  await ended;
  assert.ok(received < 40 * big.length, `received all ${received} bytes: the slow watcher was not cut off`);
  for (let i = 0; i < 40; i++) await call('DELETE', `${NS}/configmaps/big-${i}`);
});

test('eviction honours PodDisruptionBudgets: 429 when no disruption is allowed', async () => {
  const pod = { metadata: { name: 'ev', labels: { app: 'ev' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
  assert.equal((await call('POST', `${NS}/pods`, pod)).code, 201);
  await call('PATCH', `${NS}/pods/ev/status`, { status: { phase: 'Running' } }, { 'Content-Type': 'application/merge-patch+json' });
  const pdb = await call('POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', { metadata: { name: 'b' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'ev' } } } });
  assert.equal(pdb.code, 201);
  const evict = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'ev', namespace: 'default' } };
  const denied = await call('POST', `${NS}/pods/ev/eviction`, evict);
  assert.equal(denied.code, 429);
  assert.equal(denied.json.message, "Cannot evict pod as it would violate the pod's disruption budget.");
  await call('PATCH', '/apis/policy/v1/namespaces/default/poddisruptionbudgets/b/status', { status: { disruptionsAllowed: 1, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 } }, { 'Content-Type': 'application/merge-patch+json' });
  assert.equal((await call('POST', `${NS}/pods/ev/eviction`, evict)).code, 201);
  assert.equal((await call('GET', `${NS}/pods/ev`)).code, 404);
  assert.equal((await call('GET', '/apis/policy/v1/namespaces/default/poddisruptionbudgets/b')).json.status.disruptionsAllowed, 0);
});

test('service account tokens: issued by serviceaccounts/token, accepted as bearer tokens, void once the account is gone', async () => {
  assert.equal((await call('POST', `${NS}/serviceaccounts`, { metadata: { name: 'robot' } })).code, 201);
  const tr = await call('POST', `${NS}/serviceaccounts/robot/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} });
  assert.equal(tr.code, 201);
  assert.equal(tr.json.spec.expirationSeconds, 3600);
  const token: string = tr.json.status.token;
  const asRobot = (t: string) => call('GET', `${NS}/configmaps`, undefined, { Authorization: `Bearer ${t}` });
  assert.equal((await asRobot(token)).code, 200);
  const tampered = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  assert.equal((await asRobot(tampered)).code, 401);
  assert.equal((await call('POST', `${NS}/serviceaccounts/robot/token`, { spec: { expirationSeconds: 60 } })).code, 422);
  await call('DELETE', `${NS}/serviceaccounts/robot`);
  assert.equal((await asRobot(token)).code, 401);
});

test('Priority admission: priorityClassName sets spec.priority; an unknown class is Forbidden', async () => {
  const pod = (name: string, priorityClassName?: string) => ({ metadata: { name }, spec: { priorityClassName, containers: [{ name: 'c', image: 'x' }] } });
  const critical = await call('POST', `${NS}/pods`, pod('crit', 'system-cluster-critical'));
  assert.equal(critical.code, 201);
  assert.equal(critical.json.spec.priority, 2000000000);
  assert.equal(critical.json.spec.preemptionPolicy, 'PreemptLowerPriority');
  assert.equal((await call('POST', `${NS}/pods`, pod('plain'))).json.spec.priority, 0);
  const unknown = await call('POST', `${NS}/pods`, pod('nope', 'gold'));
  assert.equal(unknown.code, 403);
  assert.equal(unknown.json.message, 'pods "nope" is forbidden: no PriorityClass with name gold was found');
});

test('/metrics counts requests by verb, resource and code in the Prometheus format', async () => {
  await call('GET', `${NS}/configmaps/does-not-exist`);
  const r = await call('GET', '/metrics');
  assert.equal(r.code, 200);
  assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  assert.match(r.json, /^apiserver_request_total\{verb="GET",group="",version="v1",resource="configmaps",subresource="",code="404"\} [1-9]\d*$/m);
  assert.match(r.json, /^apiserver_storage_objects\{resource="namespaces"\} 4$/m);
  assert.match(r.json, /^apiserver_request_duration_seconds_count\{verb="LIST",group="",version="v1",resource="configmaps",subresource=""\} \d+$/m);
});

test('client certificates authenticate as CN with O groups; a denying authorizer gives 403 worded as upstream', async () => {
  const dir3 = mkdtempSync(path.join(tmpdir(), 'k8ts-apiserver-'));
  const seen: string[] = [];
  const srv3 = await startApiServer(store, {
    dataDir: dir3, port: 0, bindAddress: '127.0.0.1',
    authorizer: { authorize: (a) => { seen.push(`${a.user.name}|${a.user.groups.join(',')}`); return { allowed: a.user.name !== 'jane' || a.verb !== 'delete' }; } },
  });
  try {
    const cert = await srv3.pki.issueClientCert('jane', ['devs', 'qa']);
    const go = (method: string, p: string) => new Promise<{ code: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: srv3.port, method, path: p, ca: srv3.pki.serverCA.certPem, cert: cert.certPem, key: cert.keyPem }, (res) => {
        let body = '';
        res.on('data', (d) => { body += d; });
        res.on('end', () => resolve({ code: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal((await go('GET', `${NS}/configmaps`)).code, 200);
    assert.ok(seen.includes('jane|devs,qa,system:authenticated'), seen.join(' '));
    const denied = await go('DELETE', `${NS}/configmaps/p1`);
    assert.equal(denied.code, 403);
    assert.equal(JSON.parse(denied.body).message, 'configmaps "p1" is forbidden: User "jane" cannot delete resource "configmaps" in API group "" in the namespace "default"');
  } finally {
    await srv3.stop();
    rmSync(dir3, { recursive: true, force: true });
  }
});
