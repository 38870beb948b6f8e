import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/types.js';
import { FakeClock, settleUntil } from '../../client/clock.js';
import { FakeClient } from '../../client/fake.js';
import { inNamespace, resources } from '../../client/resource.js';
import { SimulatedPods } from './pod-controller.js';

const pods = inNamespace(resources.pods, 'default');
const pod = (name: string, nodeName: string | undefined, extra: { restartPolicy?: string; deleting?: boolean } = {}): Pod => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, namespace: 'default', ...(extra.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: [] } : {}) },
  spec: { ...(nodeName ? { nodeName } : {}), restartPolicy: extra.restartPolicy ?? 'Always', containers: [{ name: 'c', image: 'busybox' }] },
  status: { phase: 'Pending' },
});

test('pods on our nodes run, Job pods succeed after the run time, deleting pods are finished; other pods are left alone', async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const client = new FakeClient({ clock });
  client.seed(resources.pods, pod('web', 'sim-0'), pod('job', 'sim-0', { restartPolicy: 'Never' }), pod('elsewhere', 'real-node'),
    pod('unbound', undefined), pod('going', 'sim-0', { deleting: true }));
  const sim = new SimulatedPods({ client, podRunSeconds: 30, clock, log: () => {} });
  sim.addNode({ name: 'sim-0', hostIP: '127.1.0.1', podCIDR: '10.42.0.0/24' });
  const abort = new AbortController();
  const running = sim.run(abort.signal);

  const get = (n: string) => client.get<Pod>(pods, n);
  await settleUntil(() => sim.counts.started === 2 && sim.counts.deleted === 1, 1000, 'pods started');
  const web = await get('web');
  assert.equal(web.status?.phase, 'Running');
  assert.equal(web.status?.hostIP, '127.1.0.1');
  assert.match(web.status?.podIP ?? '', /^10\.42\.0\.\d+$/);
  assert.equal(web.status?.containerStatuses?.[0]?.ready, true);
  assert.equal(web.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
  assert.notEqual((await get('job')).status?.podIP, web.status?.podIP, 'one IP per pod');
  assert.equal((await get('elsewhere')).status?.phase, 'Pending');
  assert.equal((await get('unbound')).status?.phase, 'Pending');

  const deletes = client.writes().filter((a) => a.verb === 'delete');
  assert.equal(deletes.length, 1);
  assert.equal(deletes[0]!.name, 'going');
  assert.equal((deletes[0]!.body as { gracePeriodSeconds: number }).gracePeriodSeconds, 0);
  const patched = new Set(client.writes().filter((a) => a.verb === 'patch').map((a) => a.name));
  assert.deepEqual([...patched].sort(), ['job', 'web'], 'only our pods are written');

  await clock.tick(29_000);
  await settleUntil(() => true, 5);
  assert.equal((await get('job')).status?.phase, 'Running');
  await clock.tick(1_000);
  await settleUntil(() => sim.counts.succeeded === 1, 1000, 'job pod succeeded');
  const job = await get('job');
  assert.equal(job.status?.phase, 'Succeeded');
  assert.equal(job.status?.containerStatuses?.[0]?.state?.terminated?.reason, 'Completed');
  assert.equal((await get('web')).status?.phase, 'Running', 'restartPolicy Always keeps running');

  sim.setPodCIDR('sim-0', '10.200.0.0/24');
  await client.create(pods, pod('after', 'sim-0'));
  await settleUntil(() => sim.counts.started === 3, 1000, 'pod after the CIDR change');
  assert.equal((await get('after')).status?.podIP, '10.200.0.2');

  abort.abort();
  await running;
});
