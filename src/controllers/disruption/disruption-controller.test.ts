import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, PodDisruptionBudget } from '../../api/types.js';
import { resources } from '../../client/resource.js';
import { fakeEnv, shutDown } from '../testing/fake-env.js';
import { DisruptionController } from './disruption-controller.js';

const pod = (name: string, ready: boolean): KubeObject => ({
  metadata: { name, namespace: 'default', uid: name, labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'rs', controller: true }] },
  spec: {}, status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

test('PDB status: healthy pods, desired from minAvailable or from the Deployment scale with maxUnavailable', async () => {
  const env = fakeEnv();
  env.seed(resources.poddisruptionbudgets,
    { metadata: { name: 'min', namespace: 'default', generation: 1 }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } } },
    { metadata: { name: 'max', namespace: 'default', generation: 1 }, spec: { maxUnavailable: '25%', selector: { matchLabels: { app: 'web' } } } });
  env.seed(resources.replicasets, { metadata: { name: 'web-abc', namespace: 'default', uid: 'rs', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd', controller: true }] }, spec: { replicas: 4 } });
  env.seed(resources.deployments, { metadata: { name: 'web', namespace: 'default', uid: 'd' }, spec: { replicas: 4 } });
  env.seed(resources.pods, pod('a', true), pod('b', true), pod('c', true), pod('d', false));
  const c = new DisruptionController(env.ctx);
  await env.start();
  const status = async (name: string) => {
    const { writes } = await env.syncOnce(c, `default/${name}`);
    const s = (writes[0]!.body as PodDisruptionBudget).status!;
    return [s.expectedPods, s.currentHealthy, s.desiredHealthy, s.disruptionsAllowed, s.conditions![0]!.reason];
  };
  assert.deepEqual(await status('min'), [4, 3, 2, 1, 'SufficientPods']);
  assert.deepEqual(await status('max'), [4, 3, 3, 0, 'InsufficientPods']);
  shutDown(c);
  await env.stop();
});
