import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, Pod } from '../../api/types.js';
import { resources } from '../../client/resource.js';
import { fakeEnv, shutDown } from '../testing/fake-env.js';
import { replicaSetKind, replicationControllerKind } from './kinds.js';
import { ReplicaSetController } from './replica-set-controller.js';

const rs = (replicas: number, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'ReplicaSet',
  metadata: { name: 'web', namespace: 'default', uid: 'rs-uid', generation: 2 },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  ...extra,
});
const ownerRef = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true, blockOwnerDeletion: true };
const pod = (name: string, o: { ready?: boolean; created?: string; node?: string; owned?: boolean; labels?: Record<string, string> } = {}): Pod & KubeObject => ({
  metadata: {
    name, namespace: 'default', uid: `uid-${name}`, labels: o.labels ?? { app: 'web' }, creationTimestamp: o.created ?? '2025-12-31T00:00:00Z',
    ...(o.owned === false ? {} : { ownerReferences: [ownerRef] }),
  },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...(o.node ? { nodeName: o.node } : {}) },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: o.ready ? 'True' : 'False', lastTransitionTime: '2025-12-31T00:00:00Z' }] },
});

test('sync of a new ReplicaSet creates its pods in slow-start batches, then writes status', async () => {
  const env = fakeEnv();
  env.seed(resources.replicasets, rs(3));
  const c = new ReplicaSetController(env.ctx, replicaSetKind);
  await env.start();
  const { writes } = await env.syncOnce(c, 'default/web');
  const creates = writes.filter((w) => w.verb === 'create');
  assert.equal(creates.length, 3);
  assert.deepEqual(creates[0], {
    verb: 'create', resource: 'pods', namespace: 'default',
    body: { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'web-', namespace: 'default', labels: { app: 'web' }, ownerReferences: [ownerRef] }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  });
  assert.deepEqual(writes.slice(3).map((w) => [w.verb, w.resource, w.subresource, (w.body as KubeObject).status]), [
    ['update', 'replicasets.apps', 'status', { replicas: 0, fullyLabeledReplicas: 0, readyReplicas: 0, availableReplicas: 0, observedGeneration: 2 }],
  ]);
  await env.settle();
  assert.deepEqual(c.expectations.pending('default/web'), { add: 0, del: 0 }, 'the informer observed the three creations');
  const names = (await env.client.list(resources.pods)).items.map((p) => p.metadata!.name!);
  assert.deepEqual([...env.recorder.events].sort(), names.map((n) => `Normal SuccessfulCreate Created pod: ${n}`).sort());
  // Until the informer has seen the creations, a second sync creates nothing more.
  c.expectations.setExpectations('default/web', 3, 0);
  const again = await env.syncOnce(c, 'default/web');
  assert.equal(again.writes.filter((w) => w.verb === 'create').length, 0);
  shutDown(c);
  await env.stop();
});

test('scale down deletes unscheduled, then not-ready, then newer pods first', async () => {
  const env = fakeEnv();
  env.seed(resources.replicasets, rs(2, { status: { replicas: 5, fullyLabeledReplicas: 5, readyReplicas: 3, availableReplicas: 3, observedGeneration: 2 } }));
  env.seed(resources.pods,
    pod('old-ready', { ready: true, node: 'n1', created: '2025-12-01T00:00:00Z' }),
    pod('new-ready', { ready: true, node: 'n1', created: '2025-12-30T00:00:00Z' }),
    pod('mid-ready', { ready: true, node: 'n1', created: '2025-12-15T00:00:00Z' }),
    pod('not-ready', { ready: false, node: 'n1' }),
    pod('unscheduled', { ready: false }));
  const c = new ReplicaSetController(env.ctx, replicaSetKind);
  await env.start();
  const { writes } = await env.syncOnce(c, 'default/web');
  assert.deepEqual(writes.filter((w) => w.verb === 'delete').map((w) => w.name), ['unscheduled', 'not-ready', 'new-ready']);
  shutDown(c);
  await env.stop();
});

test('orphans that match are adopted; owned pods that stop matching are released', async () => {
  const env = fakeEnv();
  env.seed(resources.replicasets, rs(2, { status: { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 2 } }));
  env.seed(resources.pods, pod('orphan', { ready: true, owned: false }), pod('mine', { ready: true }), pod('relabelled', { ready: true, labels: { app: 'other' } }));
  const c = new ReplicaSetController(env.ctx, replicaSetKind);
  await env.start();
  const { writes } = await env.syncOnce(c, 'default/web');
  assert.deepEqual(writes, [
    { verb: 'patch', resource: 'pods', namespace: 'default', name: 'orphan', patchType: 'json', body: [{ op: 'test', path: '/metadata/uid', value: 'uid-orphan' }, { op: 'add', path: '/metadata/ownerReferences', value: [ownerRef] }] },
    { verb: 'patch', resource: 'pods', namespace: 'default', name: 'relabelled', patchType: 'json', body: [
      { op: 'test', path: '/metadata/uid', value: 'uid-relabelled' }, { op: 'test', path: '/metadata/ownerReferences/0/uid', value: 'rs-uid' }, { op: 'remove', path: '/metadata/ownerReferences/0' },
    ] },
  ]);
  shutDown(c);
  await env.stop();
});

test('a ReplicationController selects by its plain label map and owns pods as v1 ReplicationController', async () => {
  const env = fakeEnv();
  env.seed(resources.replicationcontrollers, {
    metadata: { name: 'kubia', namespace: 'default', uid: 'rc-uid', generation: 1 },
    spec: { replicas: 1, selector: { app: 'kubia' }, template: { metadata: { labels: { app: 'kubia' } }, spec: { containers: [{ name: 'c', image: 'kubia' }] } } },
  });
  const c = new ReplicaSetController(env.ctx, replicationControllerKind);
  await env.start();
  const { writes } = await env.syncOnce(c, 'default/kubia');
  assert.deepEqual((writes[0]!.body as KubeObject).metadata!.ownerReferences, [{ apiVersion: 'v1', kind: 'ReplicationController', name: 'kubia', uid: 'rc-uid', controller: true, blockOwnerDeletion: true }]);
  assert.equal(writes[1]!.resource, 'replicationcontrollers');
  shutDown(c);
  await env.stop();
});
