import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job, KubeObject } from '../../api/types.js';
import { resources } from '../../client/resource.js';
import { fakeEnv, shutDown } from '../testing/fake-env.js';
import { backoffDelay } from './job-util.js';
import { JobController } from './job-controller.js';

const job = (spec: Partial<NonNullable<Job['spec']>> = {}, status: Job['status'] = {}): KubeObject => ({
  apiVersion: 'batch/v1', kind: 'Job',
  metadata: { name: 'pi', namespace: 'default', uid: 'job-uid' },
  spec: {
    completions: 1, parallelism: 1, backoffLimit: 6, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'job-uid' } },
    template: { metadata: { labels: { 'batch.kubernetes.io/controller-uid': 'job-uid', 'job-name': 'pi' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'perl' }] } },
    ...spec,
  },
  status,
});
const owner = { apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: 'job-uid', controller: true, blockOwnerDeletion: true };
const pod = (name: string, phase: string, finished = '2026-01-01T00:00:00Z'): KubeObject => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { 'batch.kubernetes.io/controller-uid': 'job-uid' }, ownerReferences: [owner], creationTimestamp: '2025-12-31T23:59:00Z', finalizers: ['batch.kubernetes.io/job-tracking'] },
  spec: {}, status: { phase, containerStatuses: [{ name: 'c', restartCount: 0, state: { terminated: { exitCode: phase === 'Failed' ? 1 : 0, finishedAt: finished } } }] },
});

test('backoff doubles from the base and is capped', () => {
  assert.deepEqual([1, 2, 3, 4, 7, 20].map((n) => backoffDelay(n, 10_000, 360_000)), [10_000, 20_000, 40_000, 80_000, 360_000, 360_000]);
});

test('a new Job: one pod from the template, then status with startTime', async () => {
  const env = fakeEnv();
  env.seed(resources.jobs, job());
  const c = new JobController(env.ctx);
  await env.start();
  const { writes } = await env.syncOnce(c, 'default/pi');
  assert.deepEqual(writes.map((w) => [w.verb, w.resource, w.subresource ?? '']), [['create', 'pods', ''], ['update', 'jobs.batch', 'status']]);
  assert.deepEqual((writes[0]!.body as KubeObject).metadata, {
    generateName: 'pi-', namespace: 'default', labels: { 'batch.kubernetes.io/controller-uid': 'job-uid', 'job-name': 'pi' }, ownerReferences: [owner], finalizers: ['batch.kubernetes.io/job-tracking'],
  });
  assert.deepEqual((writes[1]!.body as Job).status, { startTime: '2026-01-01T00:00:00Z', active: 1, ready: 0, succeeded: 0, failed: 0, uncountedTerminatedPods: {} });
  shutDown(c);
  await env.stop();
});

test('after failures the next pod waits for the backoff; past backoffLimit the Job fails', async () => {
  const env = fakeEnv({ options: { jobBackoffBaseMs: 10_000, jobBackoffMaxMs: 360_000 } });
  env.seed(resources.jobs, job({ backoffLimit: 2 }, { startTime: '2025-12-31T23:59:00Z' }));
  env.seed(resources.pods, pod('f1', 'Failed', '2025-12-31T23:59:50Z'), pod('f2', 'Failed', '2025-12-31T23:59:55Z'));
  const c = new JobController(env.ctx);
  await env.start();
  let r = await env.syncOnce(c, 'default/pi');
  // Tracking: the failures are recorded as uncounted, the finalizers removed, then counted.
  assert.deepEqual(r.writes.map((w) => `${w.verb} ${w.resource} ${w.name}`), ['update jobs.batch pi', 'patch pods f1', 'patch pods f2', 'update jobs.batch pi']);
  assert.deepEqual((r.writes[0]!.body as Job).status!.uncountedTerminatedPods, { failed: ['uid-f1', 'uid-f2'] });
  assert.deepEqual([(r.writes[3]!.body as Job).status!.failed, (r.writes[3]!.body as Job).status!.uncountedTerminatedPods], [2, {}]);
  assert.equal(r.writes.filter((w) => w.verb === 'create').length, 0, 'still backing off');
  assert.deepEqual(r.result, { requeueAfterMs: 20_000 }, 'two failures: 20 s from when the controller saw them');
  env.clock.step(20_000);
  r = await env.syncOnce(c, 'default/pi');
  assert.deepEqual(r.writes.map((w) => [w.verb, w.resource, w.subresource ?? '']), [['create', 'pods', ''], ['update', 'jobs.batch', 'status']], 'backoff over: a new try');
  // A third failure exceeds backoffLimit 2.
  await env.client.create({ ...resources.pods, namespace: 'default' }, pod('f3', 'Failed'));
  await env.settle();
  r = await env.syncOnce(c, 'default/pi');
  const status = (r.writes.filter((w) => w.subresource === 'status').pop()!.body as Job).status!;
  assert.deepEqual(status.conditions!.map((x) => [x.type, x.status, x.reason]), [['FailureTarget', 'True', 'BackoffLimitExceeded'], ['Failed', 'True', 'BackoffLimitExceeded']]);
  assert.equal(status.failed, 3);
  assert.deepEqual(r.writes.filter((w) => w.verb === 'delete').length, 1, 'the running pod is deleted');
  shutDown(c);
  await env.stop();
});

test('enough successes complete the Job with completionTime', async () => {
  const env = fakeEnv();
  env.seed(resources.jobs, job({ completions: 2, parallelism: 2 }, { startTime: '2025-12-31T23:00:00Z' }));
  env.seed(resources.pods, pod('s1', 'Succeeded'), pod('s2', 'Succeeded'));
  const c = new JobController(env.ctx);
  await env.start();
  const { writes } = await env.syncOnce(c, 'default/pi');
  const status = (writes.filter((w) => w.subresource === 'status').pop()!.body as Job).status!;
  assert.equal(status.succeeded, 2);
  assert.equal(status.completionTime, '2026-01-01T00:00:00Z');
  assert.deepEqual(status.conditions!.map((x) => x.type), ['SuccessCriteriaMet', 'Complete']);
  assert.deepEqual(env.recorder.events, ['Normal Completed Job completed']);
  assert.deepEqual((await env.client.list({ ...resources.pods, namespace: 'default' })).items.map((p) => p.metadata!.finalizers ?? []), [[], []], 'pods released');
  shutDown(c);
  await env.stop();
});
