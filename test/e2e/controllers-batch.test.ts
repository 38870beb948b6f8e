/**
 * Job and node lifecycle controllers against the real API server (in-process), with short timings:
 * a Job whose pods fail twice and then succeed completes after two backoffs; a node whose heartbeat
 * stops becomes Ready=Unknown, is tainted unreachable, and its pods are evicted after their toleration.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { isNotFound } from '../../src/api/errors.js';
import type { Job, KubeObject, Node, Pod } from '../../src/api/types.js';
import { formatMicroTime, formatTime } from '../../src/client/clock.js';
import { resources } from '../../src/client/resource.js';
import { eventually, markPodPhase, markPodReady, startControllerEnv, type ControllerEnv } from '../../src/controllers/testing/apiserver-env.js';

let env: ControllerEnv;
const BACKOFF_MS = 300;

before(async () => {
  env = await startControllerEnv();
  env.startManager({
    controllers: ['job', 'ttl-after-finished', 'garbagecollector', 'nodelifecycle', 'taint-eviction'],
    options: { jobBackoffBaseMs: BACKOFF_MS, jobBackoffMaxMs: 5000, nodeMonitorGracePeriodMs: 1000, nodeMonitorPeriodMs: 200 },
  });
});

after(async () => {
  await env.stop();
});

type P = Pod & KubeObject;

test('a Job whose pods fail twice then succeed completes, waiting out the backoff between tries', async () => {
  const ns = 'job1';
  await env.ensureNamespace(ns);
  const jobsRef = { ...resources.jobs, namespace: ns };
  const podsRef = { ...resources.pods, namespace: ns };
  await env.client.create(jobsRef, { metadata: { name: 'pi' }, spec: { backoffLimit: 4, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'perl' }] } } } });
  const createdAt: number[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    let pod: P | undefined;
    await eventually(async () => {
      pod = (await env.client.list<P>(podsRef)).items.find((p) => !p.status?.phase || p.status.phase === 'Pending');
      return pod !== undefined;
    }, 10_000, `pod of attempt ${attempt + 1}`);
    createdAt.push(Date.now());
    assert.equal(pod!.metadata!.labels!['job-name'], 'pi');
    await markPodPhase(env.client, pod!, attempt < 2 ? 'Failed' : 'Succeeded');
  }
  await eventually(async () => ((await env.client.get<Job & KubeObject>(jobsRef, 'pi')).status?.conditions ?? []).some((c) => c.type === 'Complete' && c.status === 'True'), 10_000, 'Complete');
  const job = await env.client.get<Job & KubeObject>(jobsRef, 'pi');
  assert.equal(job.status!.succeeded, 1);
  assert.equal(job.status!.failed, 2);
  assert.equal(job.status!.active, 0);
  assert.ok(job.status!.startTime && job.status!.completionTime);
  // Backoff: the second try waits ≥ 1×base after the first failure, the third ≥ 2×base after the second.
  assert.ok(createdAt[1]! - createdAt[0]! >= BACKOFF_MS * 0.9, `first backoff ${createdAt[1]! - createdAt[0]!} ms`);
  assert.ok(createdAt[2]! - createdAt[1]! >= 2 * BACKOFF_MS * 0.9, `second backoff ${createdAt[2]! - createdAt[1]!} ms`);
});

test('a Job past its backoffLimit fails; ttlSecondsAfterFinished deletes it', async () => {
  const ns = 'job2';
  await env.ensureNamespace(ns);
  const jobsRef = { ...resources.jobs, namespace: ns };
  await env.client.create(jobsRef, { metadata: { name: 'bad' }, spec: { backoffLimit: 0, ttlSecondsAfterFinished: 1, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } } });
  let pod: P | undefined;
  await eventually(async () => (pod = (await env.client.list<P>({ ...resources.pods, namespace: ns })).items[0]) !== undefined, 10_000, 'pod');
  await markPodPhase(env.client, pod!, 'Failed');
  await eventually(async () => ((await env.client.get<Job & KubeObject>(jobsRef, 'bad').catch(() => undefined))?.status?.conditions ?? []).some((c) => c.type === 'Failed' && c.reason === 'BackoffLimitExceeded'), 10_000, 'Failed');
  await eventually(async () => env.client.get(jobsRef, 'bad').then(() => false, (err) => isNotFound(err)), 10_000, 'deleted after its TTL');
});

test('a node that stops heartbeating turns Ready=Unknown, is tainted unreachable, and its pods are evicted after their toleration', async () => {
  const now = formatTime(Date.now());
  const node = await env.client.create<Node & KubeObject>(resources.nodes, { metadata: { name: 'n1' } });
  node.status = { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }] };
  await env.client.update(resources.nodes, node, { subresource: 'status' });
  await env.ensureNamespace('kube-node-lease');
  await env.client.create({ ...resources.leases, namespace: 'kube-node-lease' }, { metadata: { name: 'n1' }, spec: { holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: formatMicroTime(Date.now()) } });
  await env.ensureNamespace('nl');
  const podsRef = { ...resources.pods, namespace: 'nl' };
  const pod = await env.client.create<P>(podsRef, {
    metadata: { name: 'victim' },
    spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }], tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1 }] },
  });
  await markPodReady(env.client, pod);
  const tolerant = await env.client.create<P>(podsRef, {
    metadata: { name: 'tolerant' },
    spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }], tolerations: [{ operator: 'Exists' }] },
  });
  await markPodReady(env.client, tolerant);
  // The node renews its lease for a while: it stays Ready.
  for (let i = 0; i < 8; i++) {
    await new Promise((r) => setTimeout(r, 200));
    await env.client.patch({ ...resources.leases, namespace: 'kube-node-lease' }, 'n1', 'merge', { spec: { renewTime: formatMicroTime(Date.now()) } });
  }
  let n = await env.client.get<Node & KubeObject>(resources.nodes, 'n1');
  assert.equal(n.status!.conditions!.find((c) => c.type === 'Ready')!.status, 'True');
  assert.equal(n.spec?.taints, undefined);
  // Then it stops.
  const stopped = Date.now();
  await eventually(async () => {
    n = await env.client.get<Node & KubeObject>(resources.nodes, 'n1');
    return n.status!.conditions!.find((c) => c.type === 'Ready')!.status === 'Unknown';
  }, 5000, 'Ready=Unknown');
  assert.ok(Date.now() - stopped >= 900, 'not before the grace period');
  assert.equal(n.status!.conditions!.find((c) => c.type === 'Ready')!.reason, 'NodeStatusUnknown');
  await eventually(async () => {
    n = await env.client.get<Node & KubeObject>(resources.nodes, 'n1');
    return (n.spec?.taints ?? []).some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute');
  }, 5000, 'unreachable taint');
  await eventually(async () => {
    const p = await env.client.get<P>(podsRef, 'victim').catch(() => undefined);
    return !p || Boolean(p.metadata?.deletionTimestamp);
  }, 5000, 'victim evicted');
  const t = await env.client.get<P>(podsRef, 'tolerant');
  assert.equal(t.metadata?.deletionTimestamp, undefined, 'a pod tolerating the taint forever stays');
  assert.equal(t.metadata!.uid, tolerant.metadata!.uid);
  assert.equal(t.status!.conditions!.find((c) => c.type === 'Ready')!.status, 'False', 'pods on an unreachable node are marked not ready');
  // The node comes back: Ready True again removes the taints.
  const back = formatTime(Date.now());
  n.status!.conditions = [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ok', lastHeartbeatTime: back, lastTransitionTime: back }];
  await env.client.update(resources.nodes, n, { subresource: 'status' });
  await eventually(async () => ((await env.client.get<Node & KubeObject>(resources.nodes, 'n1')).spec?.taints ?? []).length === 0, 5000, 'taints removed');
});

test('job-tracking finalizers: finished pods are released; deleting a running Job leaves no pod behind', async () => {
  const ns = 'job3';
  await env.ensureNamespace(ns);
  const jobsRef = { ...resources.jobs, namespace: ns };
  const podsRef = { ...resources.pods, namespace: ns };
  await env.client.create(jobsRef, { metadata: { name: 'w' }, spec: { completions: 3, parallelism: 2, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } } });
  await eventually(async () => (await env.client.list<P>(podsRef)).items.length === 2, 10_000, '2 pods');
  const first = (await env.client.list<P>(podsRef)).items[0]!;
  assert.deepEqual(first.metadata!.finalizers, ['batch.kubernetes.io/job-tracking']);
  await markPodPhase(env.client, first, 'Succeeded');
  await eventually(async () => ((await env.client.get<Job & KubeObject>(jobsRef, 'w')).status?.succeeded ?? 0) === 1, 10_000, 'counted');
  await eventually(async () => ((await env.client.get<P>(podsRef, first.metadata!.name!)).metadata!.finalizers ?? []).length === 0, 10_000, 'released');
  await env.client.delete(jobsRef, 'w', { propagationPolicy: 'Background' });
  await eventually(async () => (await env.client.list<P>(podsRef)).items.length === 0, 10_000, 'every pod gone, none stuck on the finalizer');
});
