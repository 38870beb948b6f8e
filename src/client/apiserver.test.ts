/**
 * The client machinery against the real k8ts API server (in-process, in-memory store, HTTPS on
 * 127.0.0.1): the Client contract suite, informers, leader election on a real Lease, and events.
 * (A test-only dependency on src/apiserver; the client itself never imports it.)
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlreadyExists } from '../api/errors.js';
import type { Event, KubeObject, Lease } from '../api/types.js';
import { startApiServer, type RunningApiServer } from '../apiserver/apiserver.js';
import { MemoryStore } from '../apiserver/testing/memory-store.js';
import { settleUntil } from './clock.js';
import { SharedInformerFactory } from './cache/informer-factory.js';
import { LeaderElector } from './leaderelection/leader-elector.js';
import { LeaseLock } from './leaderelection/lease-lock.js';
import { ApiEventRecorder } from './record/event-recorder.js';
import { RestClient } from './rest.js';
import { resources } from './resource.js';
import { runClientConformance } from './testing/client-conformance.js';

let dir: string;
let server: RunningApiServer;
let admin: RestClient;

const connect = () => new RestClient({ server: server.url, namespace: 'default', ca: Buffer.from(server.pki.serverCA.certPem), token: server.pki.adminToken });
const ensureNamespace = async (c: RestClient, name: string) => {
  await c.create(resources.namespaces, { metadata: { name } }).catch((err) => {
    if (!isAlreadyExists(err)) throw err;
  });
};
/** Waits on the real clock (the server and sockets are real). */
const eventually = async (cond: () => boolean | Promise<boolean>, ms = 5000, what = 'condition') => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'k8ts-client-apiserver-'));
  server = await startApiServer(new MemoryStore(), { dataDir: dir, port: 0, bindAddress: '127.0.0.1' });
  admin = connect();
});

after(async () => {
  admin.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

runClientConformance('RestClient against the k8ts API server', async () => {
  const client = connect();
  return { client, ensureNamespace: (ns) => ensureNamespace(client, ns), cleanup: async () => client.close() };
});

test('client certificate authentication against the API server', async () => {
  const pair = await server.pki.issueClientCert('carol', ['system:masters']);
  const c = new RestClient({ server: server.url, namespace: 'default', ca: Buffer.from(server.pki.serverCA.certPem), cert: Buffer.from(pair.certPem), key: Buffer.from(pair.keyPem) });
  try {
    const list = await c.list(resources.namespaces);
    assert.ok(list.items.some((n) => n.metadata?.name === 'default'));
  } finally {
    c.close();
  }
});

test('shared informers list and follow pods on the API server', async () => {
  await ensureNamespace(admin, 'inf');
  const pods = { ...resources.pods, namespace: 'inf' };
  const pod = (name: string): KubeObject => ({ metadata: { name, labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  await admin.create(pods, pod('before'));
  const factory = new SharedInformerFactory(admin, { namespace: 'inf' });
  const informer = factory.forResource(resources.pods);
  const seen: string[] = [];
  informer.addEventHandler({
    onAdd: (o) => seen.push(`add ${o.metadata!.name}`),
    onUpdate: (a, b) => { if (a.metadata?.resourceVersion !== b.metadata?.resourceVersion) seen.push(`update ${b.metadata!.name}`); },
    onDelete: (o) => seen.push(`delete ${(o as KubeObject).metadata?.name ?? ''}`),
  });
  const ac = new AbortController();
  factory.start(ac.signal);
  try {
    assert.equal(await factory.waitForCacheSync(ac.signal), true);
    assert.deepEqual(seen, ['add before']);
    await admin.create(pods, pod('after'));
    await admin.patch(pods, 'after', 'merge', { metadata: { labels: { app: 'y' } } });
    await admin.delete(pods, 'after', { gracePeriodSeconds: 0 });
    await eventually(() => seen.includes('delete after'), 5000, 'delete event');
    assert.deepEqual(seen.slice(0, 3), ['add before', 'add after', 'update after']);
    assert.deepEqual(informer.lister().namespaced('inf').list().map((p) => p.metadata!.name), ['before']);
  } finally {
    ac.abort();
    await factory.shutdown();
  }
});

test('leader election hands over between two electors on one Lease', async () => {
  await ensureNamespace(admin, 'kube-system');
  const log: string[] = [];
  const elector = (id: string) => {
    const e = new LeaderElector({
      lock: new LeaseLock(admin, 'kube-system', 'client-test-lock', id),
      leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 200, releaseOnCancel: true,
      callbacks: { onStartedLeading: () => { log.push(`${id} started`); }, onStoppedLeading: () => { log.push(`${id} stopped`); } },
    });
    const ac = new AbortController();
    return { e, ac, running: e.run(ac.signal) };
  };
  const a = elector('a');
  await eventually(() => a.e.isLeader(), 5000, 'a leads');
  const b = elector('b');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(b.e.isLeader(), false);
  assert.equal(b.e.getLeader(), 'a');
  a.ac.abort();
  await a.running;
  await eventually(() => b.e.isLeader(), 5000, 'b leads');
  const lease = await admin.get<Lease & KubeObject>({ ...resources.leases, namespace: 'kube-system' }, 'client-test-lock');
  assert.equal(lease.spec?.holderIdentity, 'b');
  assert.equal(lease.spec?.leaseTransitions, 1);
  assert.deepEqual(log, ['a started', 'a stopped', 'b started']);
  b.ac.abort();
  await b.running;
});

test('events are created and then folded by PATCH on the API server', async () => {
  await ensureNamespace(admin, 'ev');
  const cm = await admin.create({ ...resources.configmaps, namespace: 'ev' }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: {} });
  const recorder = new ApiEventRecorder(admin, { component: 'client-test', host: 'h1' });
  recorder.event({ ...cm, kind: 'ConfigMap', apiVersion: 'v1' }, 'Warning', 'Broken', 'it broke');
  recorder.event({ ...cm, kind: 'ConfigMap', apiVersion: 'v1' }, 'Warning', 'Broken', 'it broke');
  await recorder.flush();
  const events = (await admin.list({ ...resources.events, namespace: 'ev' })).items as unknown as Event[];
  assert.equal(events.length, 1);
  assert.equal(events[0]!.count, 2);
  assert.equal(events[0]!.involvedObject.name, 'x');
  assert.equal(events[0]!.source?.component, 'client-test');
  await settleUntil(() => true);
});
