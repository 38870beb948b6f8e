import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAlreadyExists, isConflict, isInvalid, isNotFound } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { MemoryStore } from '../testing/memory-store.js';
import { WatchCache } from '../watchcache/watch-cache.js';
import { IpAllocator } from './allocators/ip-allocator.js';
import { PortAllocator } from './allocators/port-allocator.js';
import { lookup } from './catalog.js';
import { ResourceStore } from './resource-store.js';
import './strategies/index.js';
import { servicesStrategy } from './strategies/services.js';

async function setup(resource: string, group = '', version = 'v1', strategy?: ReturnType<typeof servicesStrategy>) {
  const store = new MemoryStore();
  const cache = new WatchCache(store);
  await cache.start();
  return new ResourceStore(lookup(group, version, resource)!, store, cache, undefined, strategy);
}

const cm = (name: string, extra: Partial<KubeObject> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { a: '1' }, ...extra });

test('create fills uid, creationTimestamp, resourceVersion and generated names; a second create is AlreadyExists', async () => {
  const rs = await setup('configmaps');
  const o = await rs.create(cm('a'));
  assert.match(o.metadata!.uid!, /^[0-9a-f-]{36}$/);
  assert.match(o.metadata!.creationTimestamp!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(o.metadata!.resourceVersion, '1');
  const g = await rs.create({ ...cm(''), metadata: { generateName: 'web-', namespace: 'default' } });
  assert.match(g.metadata!.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  await assert.rejects(rs.create(cm('a')), isAlreadyExists);
  await assert.rejects(rs.create(cm('Bad_Name')), isInvalid);
});

test('updates: a stale resourceVersion is a Conflict, an unchanged object is not written, generation counts spec changes', async () => {
  const rs = await setup('deployments', 'apps');
  const d: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' },
    spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } };
  const created = await rs.create(structuredClone(d));
  assert.equal(created.metadata!.generation, 1);
  assert.equal((created.spec as { replicas: number }).replicas, 1);
  const same = await rs.update('default', 'd', (cur) => cur);
  assert.equal(same.object.metadata!.resourceVersion, created.metadata!.resourceVersion);
  const labelled = await rs.update('default', 'd', (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { x: 'y' } } }));
  assert.equal(labelled.object.metadata!.generation, 1);
  const scaled = await rs.update('default', 'd', (cur) => ({ ...cur, spec: { ...(cur.spec as object), replicas: 3 } }));
  assert.equal(scaled.object.metadata!.generation, 2);
  await assert.rejects(rs.update('default', 'd', (cur) => ({ ...cur, metadata: { ...cur.metadata, resourceVersion: created.metadata!.resourceVersion } })), isConflict);
  // The main resource cannot write status; the status subresource writes only status.
  const st = await rs.update('default', 'd', (cur) => ({ ...cur, status: { replicas: 7 } }));
  assert.deepEqual(st.object.status, {});
  const st2 = await rs.update('default', 'd', (cur) => ({ ...cur, spec: { ...(cur.spec as object), replicas: 9 }, status: { replicas: 7 } }), {}, { subresource: 'status' });
  assert.deepEqual(st2.object.status, { replicas: 7 });
  assert.equal((st2.object.spec as { replicas: number }).replicas, 3);
});

test('finalizers keep a deleted object until the last one is removed', async () => {
  const rs = await setup('configmaps');
  await rs.create(cm('f', { metadata: { name: 'f', namespace: 'default', finalizers: ['example.com/hold'] } }));
  const marked = await rs.delete('default', 'f');
  assert.equal(marked.deleted, false);
  assert.ok(marked.object.metadata!.deletionTimestamp);
  assert.equal((await rs.get('default', 'f')).obj.metadata!.deletionGracePeriodSeconds, 0);
  await rs.update('default', 'f', (cur) => ({ ...cur, metadata: { ...cur.metadata, finalizers: [] } }));
  await assert.rejects(rs.get('default', 'f'), isNotFound);
});

test('pods: graceful deletion when bound to a node, immediate otherwise; defaults as upstream', async () => {
  const rs = await setup('pods');
  const pod = (name: string, nodeName?: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: { nodeName, containers: [{ name: 'c', image: 'nginx:1.25' }] } });
  const p = await rs.create(pod('a'));
  const spec = p.spec as { restartPolicy: string; dnsPolicy: string; terminationGracePeriodSeconds: number; schedulerName: string; containers: { imagePullPolicy: string }[] };
  assert.deepEqual([spec.restartPolicy, spec.dnsPolicy, spec.terminationGracePeriodSeconds, spec.schedulerName, spec.containers[0]!.imagePullPolicy],
    ['Always', 'ClusterFirst', 30, 'default-scheduler', 'IfNotPresent']);
  assert.deepEqual(p.status, { phase: 'Pending', qosClass: 'BestEffort' });
  assert.equal((await rs.delete('default', 'a')).deleted, true);
  await rs.create(pod('b', 'node-1'));
  const g = await rs.delete('default', 'b');
  assert.equal(g.deleted, false);
  assert.equal(g.object.metadata!.deletionGracePeriodSeconds, 30);
  const now = await rs.delete('default', 'b', { gracePeriodSeconds: 0 });
  assert.equal(now.deleted, true);
});

test('namespaces go Terminating on delete and leave once spec.finalizers is empty', async () => {
  const rs = await setup('namespaces');
  const ns = await rs.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
  assert.deepEqual((ns.spec as { finalizers: string[] }).finalizers, ['kubernetes']);
  assert.equal(ns.metadata!.labels!['kubernetes.io/metadata.name'], 'team');
  const d = await rs.delete('', 'team');
  assert.equal(d.deleted, false);
  assert.equal((d.object.status as { phase: string }).phase, 'Terminating');
  await rs.update('', 'team', (cur) => ({ ...cur, spec: {} }), {}, { subresource: 'finalize' });
  await assert.rejects(rs.get('', 'team'), isNotFound);
});

test('services get a ClusterIP and NodePorts, released on delete; dry runs keep nothing', async () => {
  const ips = new IpAllocator('10.43.0.0/16');
  const ports = new PortAllocator();
  const rs = await setup('services', '', 'v1', servicesStrategy(ips, ports));
  const svc = (name: string, type = 'ClusterIP'): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { type, ports: [{ port: 80 }] } });
  const a = await rs.create(svc('a', 'NodePort'));
  const spec = a.spec as { clusterIP: string; ports: { nodePort: number; targetPort: number; protocol: string }[] };
  assert.equal(spec.clusterIP, '10.43.0.2');
  assert.ok(spec.ports[0]!.nodePort >= 30000 && spec.ports[0]!.nodePort <= 32767);
  assert.deepEqual([spec.ports[0]!.targetPort, spec.ports[0]!.protocol], [80, 'TCP']);
  assert.equal(ips.allocated, 1);
  await rs.create(svc('dry'), { dryRun: true });
  assert.equal(ips.allocated, 1);
  await assert.rejects(rs.get('default', 'dry'), isNotFound);
  await rs.delete('default', 'a');
  assert.equal(ips.allocated, 0);
  assert.equal(ports.allocate(spec.ports[0]!.nodePort), 'ok');
});

test('two API servers sharing a store never hand out the same ClusterIP or NodePort', async () => {
  const { storeClaims } = await import('./allocators/claims.js');
  const store = new MemoryStore();
  const cache = new WatchCache(store);
  await cache.start();
  const entry = lookup('', 'v1', 'services')!;
  const claims = () => ({ ips: storeClaims(store, '/registry/ipaddresses/', 'IPAddress'), ports: storeClaims(store, '/registry/servicenodeports/', 'ServiceNodePort') });
  // Two servers with their own (empty) in-memory allocators and one datastore.
  const a = new ResourceStore(entry, store, cache, undefined, servicesStrategy(new IpAllocator(), new PortAllocator(30000, 30001), claims()));
  const b = new ResourceStore(entry, store, cache, undefined, servicesStrategy(new IpAllocator(), new PortAllocator(30000, 30001), claims()));
  const svc = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } });
  const s1 = await a.create(svc('one'));
  const s2 = await b.create(svc('two'));
  const ip = (o: KubeObject) => (o.spec as { clusterIP: string }).clusterIP;
  const np = (o: KubeObject) => (o.spec as { ports: { nodePort: number }[] }).ports[0]!.nodePort;
  assert.notEqual(ip(s1), ip(s2));
  assert.notEqual(np(s1), np(s2));
  await assert.rejects(a.create(svc('three')), /failed to allocate a nodePort/);
  await b.delete('default', 'one');
  assert.ok(np(await a.create(svc('four'))) >= 30000);
});
