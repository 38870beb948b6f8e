/**
 * Deletion and discovery controllers against the real API server (in-process): cascading deletion
 * (Foreground waits for pods, Background and Orphan), namespace deletion leaving nothing behind,
 * Endpoints/EndpointSlices following pod readiness, and the `default` ServiceAccount.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { isNotFound } from '../../src/api/errors.js';
import type { Endpoints, EndpointSlice, KubeObject, Pod } from '../../src/api/types.js';
import { resources, type ResourceRef } from '../../src/client/resource.js';
import { eventually, markPodReady, startControllerEnv, type ControllerEnv } from '../../src/controllers/testing/apiserver-env.js';
import { apiDiscovery } from '../../src/controllers/util/discovery.js';

let env: ControllerEnv;

before(async () => {
  env = await startControllerEnv();
  env.startManager({ controllers: ['replicaset', 'deployment', 'job', 'garbagecollector', 'namespace', 'endpoint', 'endpointslice', 'serviceaccount'] });
});

after(async () => {
  await env.stop();
});

type P = Pod & KubeObject;
const pods = async (ns: string) => (await env.client.list<P>({ ...resources.pods, namespace: ns })).items;
const exists = async (ref: ResourceRef, name: string) => env.client.get(ref, name).then(() => true, (err) => { if (isNotFound(err)) return false; throw err; });
const deployment = (name: string, replicas: number) => ({
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});

test('Foreground deletion of a Deployment: it stays until its ReplicaSet and pods are gone', async () => {
  const ns = 'gc-fg';
  await env.ensureNamespace(ns);
  const dRef = { ...resources.deployments, namespace: ns };
  await env.client.create(dRef, deployment('web', 3));
  await eventually(async () => (await pods(ns)).length === 3, 10_000, 'pods');
  // Hold one pod with a finalizer of our own, so the foreground deletion has to wait for it.
  const held = (await pods(ns))[0]!;
  await env.client.patch({ ...resources.pods, namespace: ns }, held.metadata!.name!, 'merge', { metadata: { finalizers: ['test.k8ts.io/hold'] } });
  await env.client.delete(dRef, 'web', { propagationPolicy: 'Foreground' });
  const d = await env.client.get(dRef, 'web');
  assert.ok(d.metadata!.deletionTimestamp);
  assert.deepEqual(d.metadata!.finalizers, ['foregroundDeletion']);
  await eventually(async () => (await pods(ns)).length === 1, 10_000, 'all but the held pod deleted');
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(await exists(dRef, 'web'), 'the Deployment waits for the held pod');
  await env.client.patch({ ...resources.pods, namespace: ns }, held.metadata!.name!, 'merge', { metadata: { finalizers: null } });
  await eventually(async () => !(await exists(dRef, 'web')), 10_000, 'deployment gone');
  assert.equal((await pods(ns)).length, 0);
  assert.equal((await env.client.list({ ...resources.replicasets, namespace: ns })).items.length, 0);
});

test('Background deletion removes dependents after the owner; Orphan keeps them without the reference', async () => {
  const ns = 'gc-bg';
  await env.ensureNamespace(ns);
  const rsRef = { ...resources.replicasets, namespace: ns };
  const rs = (name: string) => ({ metadata: { name }, spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
  await env.client.create(rsRef, rs('bg'));
  await env.client.create(rsRef, rs('or'));
  await eventually(async () => (await pods(ns)).length === 4, 10_000, 'pods');
  await env.client.delete(rsRef, 'bg', { propagationPolicy: 'Background' });
  await env.client.delete(rsRef, 'or', { propagationPolicy: 'Orphan' });
  await eventually(async () => {
    const left = await pods(ns);
    return left.length === 2 && left.every((p) => p.metadata!.labels!.app === 'or' && !p.metadata!.ownerReferences?.length);
  }, 10_000, 'bg pods deleted, or pods orphaned');
  await eventually(async () => !(await exists(rsRef, 'or')), 10_000, 'orphaning owner gone');
});

test('a deleted namespace leaves nothing behind, then goes', async () => {
  const ns = 'doomed';
  await env.ensureNamespace(ns);
  await env.client.create({ ...resources.deployments, namespace: ns }, deployment('app', 2));
  await env.client.create({ ...resources.configmaps, namespace: ns }, { metadata: { name: 'cfg' }, data: { a: 'b' } });
  await env.client.create({ ...resources.services, namespace: ns }, { metadata: { name: 'svc' }, spec: { selector: { app: 'app' }, ports: [{ port: 80 }] } });
  await env.client.create({ ...resources.jobs, namespace: ns }, { metadata: { name: 'batch' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } } });
  await eventually(async () => (await pods(ns)).length === 3, 10_000, 'pods (2 of the Deployment, 1 of the Job, held by its tracking finalizer)');
  await eventually(async () => exists({ ...resources.serviceaccounts, namespace: ns }, 'default'), 10_000, 'default service account');
  await env.client.delete(resources.namespaces, ns);
  assert.equal(((await env.client.get(resources.namespaces, ns)) as { status?: { phase?: string } }).status?.phase, 'Terminating');
  await eventually(async () => !(await exists(resources.namespaces, ns)), 15_000, 'namespace gone');
  const discovered = await apiDiscovery(env.client).resources();
  for (const r of discovered.filter((x) => x.namespaced && x.verbs.includes('list'))) {
    const left = (await env.client.list({ ...r, namespace: ns })).items;
    assert.deepEqual(left.map((o) => o.metadata?.name), [], `${r.resource} left in ${ns}`);
  }
});

test('Endpoints and EndpointSlices follow pod readiness, with named target ports resolved per pod', async () => {
  const ns = 'ep';
  await env.ensureNamespace(ns);
  const podsRef = { ...resources.pods, namespace: ns };
  const mk = (name: string, port: number) => env.client.create<P>(podsRef, {
    metadata: { name, labels: { app: 'web' } },
    spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: port }] }] },
  });
  const a = await mk('a', 8080);
  const b = await mk('b', 9090);
  await env.client.create({ ...resources.services, namespace: ns }, { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] } });
  await markPodReady(env.client, a, true, '10.1.0.1');
  await markPodReady(env.client, b, false, '10.1.0.2');
  const epRef = { ...resources.endpoints, namespace: ns };
  const subsets = async () => ((await env.client.get<Endpoints & KubeObject>(epRef, 'web').catch(() => undefined))?.subsets ?? []);
  const slices = async () => (await env.client.list<EndpointSlice & KubeObject>({ ...resources.endpointslices, namespace: ns }, { labelSelector: 'kubernetes.io/service-name=web' })).items;
  await eventually(async () => (await subsets()).length === 2, 5000, 'two subsets (two port numbers)');
  const s = await subsets();
  assert.deepEqual(s, [
    { addresses: [{ ip: '10.1.0.1', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: ns, name: 'a', uid: a.metadata!.uid } }], ports: [{ name: 'web', port: 8080, protocol: 'TCP' }] },
    { notReadyAddresses: [{ ip: '10.1.0.2', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: ns, name: 'b', uid: b.metadata!.uid } }], ports: [{ name: 'web', port: 9090, protocol: 'TCP' }] },
  ]);
  await eventually(async () => (await slices()).length === 2, 5000, 'two slices');
  for (const sl of await slices()) {
    assert.equal(sl.metadata!.labels!['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
    assert.equal(sl.metadata!.ownerReferences![0]!.kind, 'Service');
  }
  // b turns ready: it moves to addresses within a second.
  const t0 = Date.now();
  await markPodReady(env.client, await env.client.get<P>(podsRef, 'b'), true, '10.1.0.2');
  await eventually(async () => (await subsets()).every((x) => x.addresses?.length === 1 && !x.notReadyAddresses), 1000, 'b ready in Endpoints');
  await eventually(async () => (await slices()).every((sl) => sl.endpoints.every((e) => e.conditions?.ready === true)), 1000, 'b ready in slices');
  assert.ok(Date.now() - t0 < 1000);
  await env.client.delete(podsRef, 'a', { gracePeriodSeconds: 0 });
  await eventually(async () => (await subsets()).length === 1 && (await subsets())[0]!.addresses![0]!.ip === '10.1.0.2', 1000, 'a removed');
});
