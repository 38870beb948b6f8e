import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { resources } from '../../client/resource.js';
import { computeHash } from '../util/hash.js';
import { fakeEnv, shutDown } from '../testing/fake-env.js';
import { DeploymentController } from './deployment-controller.js';
import { maxSurge, maxUnavailable, newRSNewReplicas, type DeploymentObj, type RS } from './util.js';

const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } });
const deployment = (image: string, extra: Partial<DeploymentObj['spec']> = {}, annotations: Record<string, string> = {}): DeploymentObj => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', uid: 'd-uid', generation: 1, annotations },
  spec: {
    replicas: 4, selector: { matchLabels: { app: 'web' } }, template: template(image), revisionHistoryLimit: 10, progressDeadlineSeconds: 600,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }, ...extra,
  },
});
const dRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-uid', controller: true, blockOwnerDeletion: true };
const rsFor = (image: string, replicas: number, available: number, revision: string, created: string): RS => {
  const hash = computeHash(template(image));
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: {
      name: `web-${hash}`, namespace: 'default', uid: `rs-${image}`, creationTimestamp: created, generation: 1, labels: { app: 'web', 'pod-template-hash': hash }, ownerReferences: [dRef],
      annotations: { 'deployment.kubernetes.io/revision': revision, 'deployment.kubernetes.io/desired-replicas': '4', 'deployment.kubernetes.io/max-replicas': '5' },
    },
    spec: { replicas, selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } }, template: { ...template(image), metadata: { labels: { app: 'web', 'pod-template-hash': hash } } } },
    status: { replicas, readyReplicas: available, availableReplicas: available, observedGeneration: 1 },
  };
};

test('fenceposts round as upstream: surge up, unavailable down, never both zero', () => {
  const d = (replicas: number, s: number | string, u: number | string) => ({ spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: s, maxUnavailable: u } } } }) as DeploymentObj;
  assert.deepEqual([maxSurge(d(10, '25%', '25%')), maxUnavailable(d(10, '25%', '25%'))], [3, 2]);
  assert.deepEqual([maxSurge(d(1, '25%', '25%')), maxUnavailable(d(1, '25%', '25%'))], [1, 0]);
  assert.deepEqual([maxSurge(d(3, 0, 0)), maxUnavailable(d(3, 0, 0))], [0, 1]);
  assert.equal(maxUnavailable(d(2, 0, 5)), 2, 'capped at replicas');
  const rs = rsFor('a', 4, 4, '1', '2026-01-01T00:00:00Z');
  const fresh = { ...rsFor('b', 0, 0, '2', '2026-01-01T00:01:00Z') };
  assert.equal(newRSNewReplicas(deployment('b'), [rs, fresh], fresh), 1, 'room for one surge pod');
});

test('a new Deployment: creates the hashed ReplicaSet with the revision annotations, then its revision and status', async () => {
  const env = fakeEnv();
  env.seed(resources.deployments, deployment('a'));
  const c = new DeploymentController(env.ctx);
  await env.start();
  const { writes } = await env.syncOnce(c, 'default/web');
  const hash = computeHash(template('a'));
  assert.deepEqual(writes.map((w) => [w.verb, w.resource, w.subresource ?? '', w.name ?? '']), [
    ['create', 'replicasets.apps', '', `web-${hash}`],
    ['patch', 'deployments.apps', '', 'web'],
    ['update', 'deployments.apps', 'status', 'web'],
    ['update', 'deployments.apps', 'status', 'web'],
  ]);
  assert.deepEqual(writes[0]!.body, {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: {
      name: `web-${hash}`, namespace: 'default', ownerReferences: [dRef], labels: { app: 'web', 'pod-template-hash': hash },
      annotations: { 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '4', 'deployment.kubernetes.io/max-replicas': '5' },
    },
    spec: { replicas: 4, minReadySeconds: 0, selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } }, template: { metadata: { labels: { app: 'web', 'pod-template-hash': hash } }, spec: { containers: [{ name: 'c', image: 'a' }] } } },
  });
  assert.deepEqual(writes[1]!.body, { metadata: { annotations: { 'deployment.kubernetes.io/revision': '1' } } });
  const status = (writes[3]!.body as KubeObject).status as Record<string, unknown>;
  assert.deepEqual({ ...status, conditions: undefined }, { observedGeneration: 1, replicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0, unavailableReplicas: 4, conditions: undefined });
  assert.deepEqual((status.conditions as { type: string; status: string; reason: string }[]).map((x) => [x.type, x.status, x.reason]), [['Progressing', 'True', 'NewReplicaSetCreated'], ['Available', 'False', 'MinimumReplicasUnavailable']]);
  assert.deepEqual(env.recorder.events, [`Normal ScalingReplicaSet Scaled up replica set web-${hash} from 0 to 4`]);
  shutDown(c);
  await env.stop();
});

test('a rolling update step: the new ReplicaSet surges by one, old scales down by maxUnavailable', async () => {
  const env = fakeEnv();
  const old = rsFor('a', 4, 4, '1', '2025-12-01T00:00:00Z');
  const fresh = rsFor('b', 0, 0, '2', '2026-01-01T00:00:00Z');
  env.seed(resources.deployments, deployment('b', {}, { 'deployment.kubernetes.io/revision': '2' }));
  env.seed(resources.replicasets, old, fresh);
  const c = new DeploymentController(env.ctx);
  await env.start();
  let r = await env.syncOnce(c, 'default/web');
  assert.deepEqual(r.writes.filter((w) => w.resource === 'replicasets.apps').map((w) => [w.name, (w.body as RS).spec!.replicas]), [[fresh.metadata!.name, 1]]);
  // Next sync (the new pod not yet available): the old ReplicaSet may lose maxUnavailable = 1.
  r = await env.syncOnce(c, 'default/web');
  assert.deepEqual(r.writes.filter((w) => w.resource === 'replicasets.apps').map((w) => [w.name, (w.body as RS).spec!.replicas]), [[old.metadata!.name, 3]]);
  assert.deepEqual(env.recorder.events, [
    `Normal ScalingReplicaSet Scaled up replica set ${fresh.metadata!.name} from 0 to 1`,
    `Normal ScalingReplicaSet Scaled down replica set ${old.metadata!.name} from 4 to 3`,
  ]);
  shutDown(c);
  await env.stop();
});

test('rollback: a template equal to an old ReplicaSet makes it the new one with the next revision', async () => {
  const env = fakeEnv();
  const a = rsFor('a', 0, 0, '1', '2025-12-01T00:00:00Z');
  const b = rsFor('b', 4, 4, '2', '2026-01-01T00:00:00Z');
  env.seed(resources.deployments, deployment('a', {}, { 'deployment.kubernetes.io/revision': '2' }));
  env.seed(resources.replicasets, a, b);
  const c = new DeploymentController(env.ctx);
  await env.start();
  const { writes } = await env.syncOnce(c, 'default/web');
  const first = writes[0]!;
  assert.equal(first.verb, 'update');
  assert.equal(first.name, a.metadata!.name);
  assert.equal((first.body as RS).metadata!.annotations!['deployment.kubernetes.io/revision'], '3');
  assert.equal((first.body as RS).metadata!.annotations!['deployment.kubernetes.io/revision-history'], '1');
  shutDown(c);
  await env.stop();
});

test('Recreate: old ReplicaSets go to zero before the new one is created', async () => {
  const env = fakeEnv();
  env.seed(resources.deployments, deployment('b', { strategy: { type: 'Recreate' } }, { 'deployment.kubernetes.io/revision': '1' }));
  env.seed(resources.replicasets, rsFor('a', 4, 4, '1', '2025-12-01T00:00:00Z'));
  const c = new DeploymentController(env.ctx);
  await env.start();
  const { writes } = await env.syncOnce(c, 'default/web');
  assert.deepEqual(writes.filter((w) => w.resource === 'replicasets.apps').map((w) => [w.verb, (w.body as RS).spec!.replicas]), [['update', 0]]);
  shutDown(c);
  await env.stop();
});

test('no progress past progressDeadlineSeconds: Progressing=False ProgressDeadlineExceeded', async () => {
  const env = fakeEnv();
  const d = deployment('b', { progressDeadlineSeconds: 60 }, { 'deployment.kubernetes.io/revision': '2' });
  d.status = {
    observedGeneration: 1, replicas: 5, updatedReplicas: 1, readyReplicas: 4, availableReplicas: 4, unavailableReplicas: 1,
    conditions: [
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastUpdateTime: '2025-12-31T23:00:00Z', lastTransitionTime: '2025-12-31T23:00:00Z' },
      { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: 'x', lastUpdateTime: '2025-12-31T23:58:00Z', lastTransitionTime: '2025-12-31T23:00:00Z' },
    ],
  };
  env.seed(resources.deployments, d);
  const old = rsFor('a', 4, 4, '1', '2025-12-01T00:00:00Z');
  old.metadata!.annotations!['deployment.kubernetes.io/desired-replicas'] = '4';
  const fresh = rsFor('b', 1, 0, '2', '2025-12-31T23:00:00Z');
  fresh.status!.replicas = 1;
  env.seed(resources.replicasets, old, fresh);
  const c = new DeploymentController(env.ctx);
  await env.start();
  const { writes, result } = await env.syncOnce(c, 'default/web');
  const st = writes.filter((w) => w.subresource === 'status').pop()!.body as DeploymentObj;
  const p = st.status!.conditions!.find((x) => x.type === 'Progressing')!;
  assert.deepEqual([p.status, p.reason, p.message], ['False', 'ProgressDeadlineExceeded', `ReplicaSet "${fresh.metadata!.name}" has timed out progressing.`]);
  assert.equal(result, undefined, 'a timed-out rollout is not requeued for its deadline');
  shutDown(c);
  await env.stop();
});

test('scaling during a rollout spreads the change over the active ReplicaSets in proportion', async () => {
  const env = fakeEnv();
  // Mid-rollout at 4 replicas (max 5): old has 3, new has 2. The user scales to 8 (max 10).
  const old = rsFor('a', 3, 3, '1', '2025-12-01T00:00:00Z');
  const fresh = rsFor('b', 2, 0, '2', '2026-01-01T00:00:00Z');
  env.seed(resources.deployments, deployment('b', { replicas: 8 }, { 'deployment.kubernetes.io/revision': '2' }));
  env.seed(resources.replicasets, old, fresh);
  const c = new DeploymentController(env.ctx);
  await env.start();
  const { writes } = await env.syncOnce(c, 'default/web');
  const sizes = Object.fromEntries(writes.filter((w) => w.resource === 'replicasets.apps').map((w) => [w.name, (w.body as RS).spec!.replicas]));
  assert.deepEqual(sizes, { [old.metadata!.name!]: 6, [fresh.metadata!.name!]: 4 }, '5 → 10 pods allowed: 3×2 and 2×2');
  for (const w of writes.filter((x) => x.resource === 'replicasets.apps')) {
    assert.equal((w.body as RS).metadata!.annotations!['deployment.kubernetes.io/desired-replicas'], '8');
    assert.equal((w.body as RS).metadata!.annotations!['deployment.kubernetes.io/max-replicas'], '10');
  }
  shutDown(c);
  await env.stop();
});
