import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { resources } from '../../client/resource.js';
import { computeHash } from '../util/hash.js';
import { fakeEnv, shutDown } from '../testing/fake-env.js';
import { StatefulSetController } from './statefulset-controller.js';

const template = (image = 'db:1') => ({ metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image }] } });
const set = (replicas: number, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'StatefulSet',
  metadata: { name: 'db', namespace: 'default', uid: 'set-uid', generation: 1 },
  spec: {
    replicas, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: template(),
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    ...extra,
  },
});
const rev = `db-${computeHash(template())}`;
const pod = (ord: number, ready: boolean, revision = rev): KubeObject => ({
  metadata: { name: `db-${ord}`, namespace: 'default', uid: `pod-${ord}`, labels: { app: 'db', 'controller-revision-hash': revision }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'set-uid', controller: true }] },
  spec: {}, status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

test('OrderedReady: the revision, then the claim and pod of ordinal 0 only', async () => {
  const env = fakeEnv();
  env.seed(resources.statefulsets, set(3));
  const c = new StatefulSetController(env.ctx);
  await env.start();
  const { writes } = await env.syncOnce(c, 'default/db');
  assert.deepEqual(writes.map((w) => `${w.verb} ${w.resource} ${w.name ?? ''}`), [
    `create controllerrevisions.apps ${rev}`,
    'create persistentvolumeclaims data-db-0',
    'create pods db-0',
    'update statefulsets.apps db',
  ]);
  const p = writes[2]!.body as { metadata: { labels: Record<string, string> }; spec: { hostname: string; subdomain: string; volumes: unknown[] } };
  assert.deepEqual(p.metadata.labels, { app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-0', 'controller-revision-hash': rev, 'apps.kubernetes.io/pod-index': '0' });
  assert.deepEqual([p.spec.hostname, p.spec.subdomain], ['db-0', 'db']);
  assert.deepEqual(p.spec.volumes, [{ name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } }]);
  shutDown(c);
  await env.stop();
});

test('OrderedReady waits for a not-ready pod; Parallel does not', async () => {
  for (const policy of ['OrderedReady', 'Parallel']) {
    const env = fakeEnv();
    env.seed(resources.statefulsets, set(3, { podManagementPolicy: policy }));
    env.seed(resources.pods, pod(0, false));
    const c = new StatefulSetController(env.ctx);
    await env.start();
    const { writes } = await env.syncOnce(c, 'default/db');
    assert.deepEqual(writes.filter((w) => w.resource === 'pods').map((w) => w.name), policy === 'Parallel' ? ['db-1', 'db-2'] : [], policy);
    shutDown(c);
    await env.stop();
  }
});

test('scale down removes the highest ordinal first and keeps its claims; a rolling update replaces from the top', async () => {
  const env = fakeEnv();
  env.seed(resources.statefulsets, set(2));
  env.seed(resources.pods, pod(0, true), pod(1, true), pod(2, true));
  const c = new StatefulSetController(env.ctx);
  await env.start();
  let r = await env.syncOnce(c, 'default/db');
  assert.deepEqual(r.writes.filter((w) => w.resource !== 'statefulsets.apps' && w.resource !== 'controllerrevisions.apps').map((w) => `${w.verb} ${w.name}`), ['delete db-2']);
  await env.stop();
  shutDown(c);

  const env2 = fakeEnv();
  env2.seed(resources.statefulsets, set(3, { template: template('db:2') }));
  env2.seed(resources.pods, pod(0, true), pod(1, true), pod(2, true));
  const c2 = new StatefulSetController(env2.ctx);
  await env2.start();
  r = await env2.syncOnce(c2, 'default/db');
  assert.deepEqual(r.writes.filter((w) => w.resource === 'pods').map((w) => `${w.verb} ${w.name}`), ['delete db-2']);
  shutDown(c2);
  await env2.stop();
});
