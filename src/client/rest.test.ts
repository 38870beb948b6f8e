import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { isAlreadyExists, isConflict, isNotFound, ApiError } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import type { WatchEvent } from './client.js';
import { RestClient, errorFromResponse } from './rest.js';
import { resources } from './resource.js';
import { makeTestPki, type TestPki } from './testing/test-pki.js';
import { startTestRestServer, type TestRestServer } from './testing/rest-server.js';

let pki: TestPki;
let server: TestRestServer;
let dir: string;
const pods = { ...resources.pods, namespace: 'default' };
const pod = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });

before(async () => {
  pki = makeTestPki();
  server = await startTestRestServer({ cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert });
  dir = mkdtempSync(join(tmpdir(), 'k8ts-rest-'));
});

after(async () => {
  await server.close();
  pki.remove();
  rmSync(dir, { recursive: true, force: true });
});

function kubeconfigFile(user: Record<string, unknown>, cluster: Record<string, unknown> = {}): string {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}`);
  writeFileSync(path, stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'test',
    clusters: [{ name: 'c', cluster: { server: server.url, 'certificate-authority-data': Buffer.from(pki.caCert).toString('base64'), ...cluster } }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'test', context: { cluster: 'c', user: 'u', namespace: 'team-a' } }],
  }));
  return path;
}

test('CRUD over HTTPS with a bearer token from a kubeconfig', async () => {
  const client = RestClient.fromKubeconfig({ explicitPath: kubeconfigFile({ token: 'secret-token' }) });
  try {
    assert.equal(client.namespace, 'team-a');
    const created = await client.create(pods, pod('a'));
    assert.equal(created.metadata?.name, 'a');
    assert.ok(created.metadata?.uid);
    await assert.rejects(client.create(pods, pod('a')), isAlreadyExists);
    const got = await client.get(pods, 'a');
    assert.equal(got.metadata?.resourceVersion, created.metadata?.resourceVersion);
    const updated = await client.update(pods, { ...got, metadata: { ...got.metadata, labels: { app: 'db' } } });
    await assert.rejects(client.update(pods, got), isConflict, 'stale resourceVersion');
    const patched = await client.patch(pods, 'a', 'merge', { metadata: { annotations: { note: 'x' } } });
    assert.deepEqual(patched.metadata?.annotations, { note: 'x' });
    assert.equal(patched.metadata?.labels?.app, 'db');
    const list = await client.list(pods, { labelSelector: 'app=db' });
    assert.deepEqual(list.items.map((p) => p.metadata?.name), ['a']);
    assert.ok(Number(list.metadata.resourceVersion) >= Number(updated.metadata?.resourceVersion));
    await client.delete(pods, 'a', { propagationPolicy: 'Background' });
    await assert.rejects(client.get(pods, 'a'), (err) => isNotFound(err) && (err as ApiError).code === 404);

    const byPath = (m: string) => server.seen.filter((s) => s.method === m).at(-1)!;
    assert.equal(byPath('GET').headers.authorization, 'Bearer secret-token');
    assert.equal(byPath('PATCH').headers['content-type'], 'application/merge-patch+json');
    assert.equal(byPath('PATCH').url, '/api/v1/namespaces/default/pods/a');
    assert.deepEqual(JSON.parse(byPath('DELETE').body), { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
    assert.ok(server.seen.some((s) => s.url === '/api/v1/namespaces/default/pods?labelSelector=app%3Ddb'));
  } finally {
    client.close();
  }
});

test('client certificate authentication and a group resource path', async () => {
  const path = join(dir, 'cert-config');
  writeFileSync(path, stringify({
    'current-context': 'x',
    clusters: [{ name: 'c', cluster: { server: server.url, 'certificate-authority': pki.files.ca } }],
    users: [{ name: 'u', user: { 'client-certificate': pki.files.clientCert, 'client-key': pki.files.clientKey } }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
  }));
  const client = RestClient.fromKubeconfig({ explicitPath: path });
  try {
    const deploys = { ...resources.deployments, namespace: 'default' };
    await client.create(deploys, { metadata: { name: 'web' }, spec: { replicas: 1 } });
    const last = server.seen.at(-1)!;
    assert.equal(last.url, '/apis/apps/v1/namespaces/default/deployments');
    assert.equal(last.clientCN, 'alice');
    assert.equal(last.headers.authorization, undefined);
    const scaled = await client.patch(deploys, 'web', 'json', [{ op: 'replace', path: '/spec/replicas', value: 3 }]);
    assert.equal((scaled.spec as { replicas: number }).replicas, 3);
    assert.equal(server.seen.at(-1)!.headers['content-type'], 'application/json-patch+json');
  } finally {
    client.close();
  }
});

test('TLS: an unknown CA is refused; tls-server-name and insecure-skip-tls-verify are honoured; basic auth', async () => {
  const other = makeTestPki();
  try {
    const wrongCa = new RestClient({ server: server.url, namespace: 'default', ca: Buffer.from(other.caCert) });
    await assert.rejects(wrongCa.list(pods), (err: NodeJS.ErrnoException) => /certificate/i.test(err.message) || err.code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    wrongCa.close();
    const named = new RestClient({ server: server.url, namespace: 'default', ca: Buffer.from(pki.caCert), tlsServerName: 'k8ts.test' });
    await named.list(pods);
    named.close();
    const badName = new RestClient({ server: server.url, namespace: 'default', ca: Buffer.from(pki.caCert), tlsServerName: 'wrong.test' });
    await assert.rejects(badName.list(pods), /altnames|Hostname/i);
    badName.close();
    const insecure = RestClient.fromKubeconfig({ explicitPath: kubeconfigFile({ username: 'bob', password: 'pw' }, { 'certificate-authority-data': undefined, 'insecure-skip-tls-verify': true }) });
    await insecure.list(pods);
    assert.equal(server.seen.at(-1)!.headers.authorization, `Basic ${Buffer.from('bob:pw').toString('base64')}`);
    insecure.close();
  } finally {
    other.remove();
  }
});

test('watch streams newline-delimited events; stop() ends the iteration and the connection', async () => {
  const client = new RestClient({ server: server.url, namespace: 'default', ca: Buffer.from(pki.caCert) });
  try {
    await client.create(pods, pod('w1'));
    const rv = (await client.list(pods)).metadata.resourceVersion!;
    const w = await client.watch(pods, { resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: 60 });
    const seen: string[] = [];
    const consumer = (async () => {
      for await (const ev of w as AsyncIterable<WatchEvent>) {
        seen.push(`${ev.type} ${ev.object.metadata?.name ?? ''}`);
        if (seen.length === 4) w.stop();
      }
    })();
    await client.create(pods, pod('w2'));
    await client.patch(pods, 'w2', 'merge', { metadata: { labels: { x: 'y' } } });
    server.backend.tracker.bookmark();
    await client.delete(pods, 'w2');
    await consumer;
    assert.deepEqual(seen, ['ADDED w2', 'MODIFIED w2', 'BOOKMARK ', 'DELETED w2']);
    const watchReq = server.seen.find((s) => s.url.includes('watch=true'))!;
    assert.match(watchReq.url, /resourceVersion=\d+/);
    assert.match(watchReq.url, /allowWatchBookmarks=true/);
    assert.match(watchReq.url, /timeoutSeconds=60/);
  } finally {
    client.close();
  }
});

test('a watch the server ends finishes the iteration; a 410 is an ERROR event', async () => {
  const client = new RestClient({ server: server.url, namespace: 'default', ca: Buffer.from(pki.caCert) });
  try {
    const w = await client.watch(pods, { resourceVersion: server.backend.tracker.resourceVersion() });
    const done = (async () => {
      const evs = [];
      for await (const ev of w) evs.push(ev);
      return evs;
    })();
    await new Promise((r) => setTimeout(r, 20));
    server.backend.tracker.closeWatches();
    assert.deepEqual(await done, []);
    server.backend.tracker.compact();
    const old = await client.watch(pods, { resourceVersion: '1' });
    const evs = [];
    for await (const ev of old) evs.push(ev);
    assert.equal(evs.length, 1);
    assert.equal(evs[0]!.type, 'ERROR');
    assert.equal(ApiError.fromStatus(evs[0]!.object as never).code, 410);
  } finally {
    client.close();
  }
});

test('request timeout; non-Status error bodies map by HTTP code; Retry-After is honoured; raw requests', async () => {
  const client = new RestClient({ server: server.url, namespace: 'default', ca: Buffer.from(pki.caCert) }, { timeoutMs: 200 });
  try {
    server.hang('/api/v1/namespaces/slow');
    await assert.rejects(client.list({ ...resources.pods, namespace: 'slow' }), (err: NodeJS.ErrnoException) => err.code === 'ETIMEDOUT');
    server.rawReply('/api/v1/namespaces/default/pods/x', 409, 'busy');
    await assert.rejects(client.get(pods, 'x'), (err) => isConflict(err) && (err as ApiError).code === 409);
    server.rawReply('/api/v1/namespaces/default/pods/y', 503, '<html>down</html>', 'text/html');
    await assert.rejects(client.get(pods, 'y'), (err) => err instanceof ApiError && err.reason === 'ServiceUnavailable');
    server.rawReply('/api/v1/namespaces/default/pods/z', 429, 'slow down', 'text/plain', { 'Retry-After': '0' });
    server.rawReply('/api/v1/namespaces/default/pods/z', 503, 'starting', 'text/plain', { 'Retry-After': '0' });
    await assert.rejects(client.get(pods, 'z'), isNotFound, 'retried twice, then the real answer');
    assert.equal(server.seen.filter((s) => s.url === '/api/v1/namespaces/default/pods/z').length, 3);
    server.rawReply('/api/v1/namespaces/default/pods/z', 500, 'no retry-after');
    await assert.rejects(client.get(pods, 'z'), (err) => err instanceof ApiError && err.code === 500);
    const raw = await client.request({ method: 'GET', path: '/nope' });
    assert.equal(raw.status, 404);
    assert.equal(JSON.parse(raw.body.toString()).reason, 'NotFound');
  } finally {
    client.close();
  }
});

test('errorFromResponse keeps the Status reason and details', () => {
  const e = errorFromResponse(422, Buffer.from(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Invalid', message: 'bad', code: 422, details: { causes: [{ field: 'spec' }] } })));
  assert.equal(e.reason, 'Invalid');
  assert.deepEqual(e.details, { causes: [{ field: 'spec' }] });
});
