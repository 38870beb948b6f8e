import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, Node } from '../../api/types.js';
import { formatMicroTime } from '../../client/clock.js';
import { resources } from '../../client/resource.js';
import { fakeEnv, shutDown } from '../testing/fake-env.js';
import { NodeLifecycleController } from './node-lifecycle-controller.js';
import { evictionTime, TaintEvictionController } from './taint-eviction.js';

const T0 = Date.UTC(2026, 0, 1);
const node = (ready: 'True' | 'False' | 'Unknown', taints?: object[]): KubeObject => ({
  metadata: { name: 'n1', uid: 'n1' },
  spec: taints ? { taints } : {},
  status: { conditions: [{ type: 'Ready', status: ready, reason: 'KubeletReady', lastHeartbeatTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
});

test('no heartbeat for the grace period: conditions Unknown, then the unreachable taints', async () => {
  const env = fakeEnv({ start: T0, options: { nodeMonitorGracePeriodMs: 40_000 } });
  env.seed(resources.nodes, node('True'));
  env.seed({ ...resources.leases, namespace: 'kube-node-lease' }, { metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { renewTime: formatMicroTime(T0) } });
  const c = new NodeLifecycleController(env.ctx);
  await env.start();
  let r = await env.syncOnce(c, 'n1');
  assert.deepEqual(r.writes, []);
  assert.deepEqual(r.result, { requeueAfterMs: 40_001 });
  env.clock.step(40_001);
  r = await env.syncOnce(c, 'n1');
  assert.deepEqual(r.writes.map((w) => [w.verb, w.subresource ?? '']), [['update', 'status'], ['update', '']]);
  const ready = ((r.writes[0]!.body as Node).status!.conditions!).find((x) => x.type === 'Ready')!;
  assert.deepEqual([ready.status, ready.reason, ready.message], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.']);
  assert.deepEqual((r.writes[1]!.body as Node).spec!.taints, [
    { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:40Z' },
  ]);
  shutDown(c);
  await env.stop();
});

test('Ready=False gets the not-ready taints; Ready=True clears them', async () => {
  const env = fakeEnv({ start: T0 });
  env.seed(resources.nodes, node('False', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }, { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]));
  const c = new NodeLifecycleController(env.ctx);
  await env.start();
  const r = await env.syncOnce(c, 'n1');
  assert.deepEqual((r.writes[0]!.body as Node).spec!.taints!.map((t) => `${t.key}:${t.effect}`), ['dedicated:NoSchedule', 'node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute']);
  shutDown(c);
  await env.stop();
});

test('eviction time: untolerated now, tolerated for N seconds after timeAdded, forever without tolerationSeconds', () => {
  const taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' };
  const pod = (tolerations: object[]) => ({ spec: { containers: [], tolerations } }) as never;
  assert.equal(evictionTime(pod([]), [taint], T0), 'now');
  assert.equal(evictionTime(pod([{ key: taint.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]), [taint], T0), T0 + 300_000);
  assert.equal(evictionTime(pod([{ key: taint.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]), [taint], T0 + 300_000), 'now');
  assert.equal(evictionTime(pod([{ operator: 'Exists' }]), [taint], T0), undefined);
});

test('taint eviction deletes the pods whose toleration ran out and requeues for the next', async () => {
  const env = fakeEnv({ start: T0 + 10_000 });
  env.seed(resources.nodes, node('Unknown', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' }]));
  const p = (name: string, secs: number): KubeObject => ({ metadata: { name, namespace: 'default', uid: name }, spec: { nodeName: 'n1', containers: [], tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: secs }] } });
  env.seed(resources.pods, p('short', 5), p('long', 300));
  const c = new TaintEvictionController(env.ctx);
  await env.start();
  const r = await env.syncOnce(c, 'n1');
  assert.deepEqual(r.writes, [{ verb: 'delete', resource: 'pods', namespace: 'default', name: 'short', body: { preconditions: { uid: 'short' } } }]);
  assert.deepEqual(r.result, { requeueAfterMs: 290_000 });
  shutDown(c);
  await env.stop();
});
