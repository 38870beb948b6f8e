import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, Pod } from '../../api/types.js';
import { resources } from '../../client/resource.js';
import { computeHash } from '../util/hash.js';
import { fakeEnv, shutDown } from '../testing/fake-env.js';
import { DaemonSetController } from './daemonset-controller.js';
import { nodeShouldRunDaemonPod } from './placement.js';

const template = (image = 'agent:1') => ({ metadata: { labels: { app: 'agent' } }, spec: { nodeSelector: { role: 'worker' }, containers: [{ name: 'c', image }] } });
const ds = (image = 'agent:1'): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'DaemonSet',
  metadata: { name: 'agent', namespace: 'kube-system', uid: 'ds-uid', generation: 1 },
  spec: { selector: { matchLabels: { app: 'agent' } }, template: template(image), updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } },
});
const node = (name: string, labels: Record<string, string>, taints?: object[]): KubeObject => ({ metadata: { name, labels }, spec: taints ? { taints } : {} });
const dsPod = (name: string, nodeName: string, hash: string): KubeObject => ({
  metadata: { name, namespace: 'kube-system', uid: name, creationTimestamp: '2026-01-01T00:00:00Z', labels: { app: 'agent', 'controller-revision-hash': hash }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'ds-uid', controller: true }] },
  spec: { nodeName, containers: [] }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
});

test('placement: nodeSelector, taints (daemon pods tolerate not-ready, unschedulable, …)', () => {
  const spec = template().spec as NonNullable<Pod['spec']>;
  assert.equal(nodeShouldRunDaemonPod(node('a', { role: 'worker' }) as never, spec), true);
  assert.equal(nodeShouldRunDaemonPod(node('b', { role: 'db' }) as never, spec), false);
  assert.equal(nodeShouldRunDaemonPod(node('c', { role: 'worker' }, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]) as never, spec), true);
  assert.equal(nodeShouldRunDaemonPod(node('d', { role: 'worker' }, [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }]) as never, spec), false);
});

test('one pod per eligible node, pinned by node affinity; a pod on a node that no longer fits is deleted', async () => {
  const env = fakeEnv();
  env.seed(resources.daemonsets, ds());
  env.seed(resources.nodes, node('n1', { role: 'worker' }), node('n2', { role: 'worker' }), node('n3', { role: 'db' }));
  env.seed(resources.pods, dsPod('on-n3', 'n3', computeHash(template())));
  const c = new DaemonSetController(env.ctx);
  await env.start();
  const { writes } = await env.syncOnce(c, 'kube-system/agent');
  assert.deepEqual(writes.map((w) => `${w.verb} ${w.resource} ${w.name ?? ''}`.trim()), [
    `create controllerrevisions.apps agent-${computeHash(template())}`,
    'create pods', 'create pods', 'delete pods on-n3', 'update daemonsets.apps agent',
  ]);
  const pinned = (writes[1]!.body as Pod).spec!.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms[0]!.matchFields;
  assert.deepEqual(pinned, [{ key: 'metadata.name', operator: 'In', values: ['n1'] }]);
  const status = (writes[4]!.body as { status: Record<string, number> }).status;
  assert.deepEqual([status.desiredNumberScheduled, status.numberMisscheduled], [2, 1]);
  shutDown(c);
  await env.stop();
});

test('rolling update replaces at most maxUnavailable old pods at a time', async () => {
  const env = fakeEnv();
  env.seed(resources.daemonsets, ds('agent:2'));
  env.seed(resources.nodes, node('n1', { role: 'worker' }), node('n2', { role: 'worker' }), node('n3', { role: 'worker' }));
  const old = computeHash(template('agent:1'));
  env.seed(resources.pods, dsPod('p1', 'n1', old), dsPod('p2', 'n2', old), dsPod('p3', 'n3', old));
  const c = new DaemonSetController(env.ctx);
  await env.start();
  const { writes } = await env.syncOnce(c, 'kube-system/agent');
  assert.deepEqual(writes.filter((w) => w.resource === 'pods').map((w) => `${w.verb} ${w.name}`), ['delete p1']);
  shutDown(c);
  await env.stop();
});
