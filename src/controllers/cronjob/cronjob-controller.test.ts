import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJob, Job, KubeObject } from '../../api/types.js';
import { resources } from '../../client/resource.js';
import { fakeEnv, shutDown } from '../testing/fake-env.js';
import { CronJobController } from './cronjob-controller.js';
import { Schedule } from './schedule.js';

const T0 = Date.UTC(2026, 0, 1, 10, 0, 30);
const cronjob = (spec: Partial<NonNullable<CronJob['spec']>> = {}, status: CronJob['status'] = {}): KubeObject => ({
  apiVersion: 'batch/v1', kind: 'CronJob',
  metadata: { name: 'tick', namespace: 'default', uid: 'cj-uid', creationTimestamp: '2026-01-01T09:00:00Z' },
  spec: {
    schedule: '*/5 * * * *', concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1,
    jobTemplate: { metadata: { labels: { team: 'a' } }, spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } },
    ...spec,
  },
  status,
});

test('schedules: five fields, macros, time zones; other forms are rejected', () => {
  const at = (s: string) => new Date(s).getTime();
  assert.equal(Schedule.parse('*/5 * * * *').next(at('2026-01-01T10:01:00Z')), at('2026-01-01T10:05:00Z'));
  assert.equal(Schedule.parse('@hourly').next(at('2026-01-01T10:01:00Z')), at('2026-01-01T11:00:00Z'));
  assert.equal(Schedule.parse('0 9 * * *', 'America/New_York').next(at('2026-01-01T00:00:00Z')), at('2026-01-01T14:00:00Z'));
  assert.equal(Schedule.parse('CRON_TZ=Asia/Tokyo 0 9 * * *').next(at('2026-01-01T01:00:00Z')), at('2026-01-02T00:00:00Z'));
  assert.equal(Schedule.parse('*/5 * * * *').mostRecent(at('2026-01-01T09:00:00Z'), at('2026-01-01T10:07:00Z')), at('2026-01-01T10:05:00Z'));
  assert.equal(Schedule.parse('*/5 * * * *').mostRecent(at('2026-01-01T10:05:00Z'), at('2026-01-01T10:07:00Z')), undefined);
  assert.throws(() => Schedule.parse('0 * * * * *'), /expected exactly 5 fields/);
  assert.throws(() => Schedule.parse('@fortnightly'), /unrecognized descriptor/);
  assert.throws(() => Schedule.parse('0 9 * * *', 'Mars/Olympus'), /unknown time zone/);
});

test('a due schedule creates the Job named by its minute, records it in status, and requeues for the next time', async () => {
  const env = fakeEnv({ start: T0 });
  env.seed(resources.cronjobs, cronjob());
  const c = new CronJobController(env.ctx);
  await env.start();
  const { writes, result } = await env.syncOnce(c, 'default/tick');
  const scheduled = Date.UTC(2026, 0, 1, 10, 0, 0);
  const name = `tick-${scheduled / 60_000}`;
  assert.deepEqual(writes[0], {
    verb: 'create', resource: 'jobs.batch', namespace: 'default', name,
    body: {
      apiVersion: 'batch/v1', kind: 'Job',
      metadata: {
        name, namespace: 'default', labels: { team: 'a' }, annotations: { 'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-01-01T10:00:00Z' },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', uid: 'cj-uid', controller: true, blockOwnerDeletion: true }],
      },
      spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } },
    },
  });
  const status = (writes[1]!.body as CronJob).status!;
  assert.equal(status.lastScheduleTime, '2026-01-01T10:00:00Z');
  assert.deepEqual(status.active!.map((a) => a.name), [name]);
  assert.deepEqual(result, { requeueAfterMs: 4 * 60_000 + 30_000 + 100 });
  shutDown(c);
  await env.stop();
});

test('Forbid skips while a Job runs; Replace deletes it; a missed start past startingDeadlineSeconds is skipped', async () => {
  const running: KubeObject = {
    metadata: { name: 'tick-1', namespace: 'default', uid: 'job-1', ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', uid: 'cj-uid', controller: true }] },
    spec: {}, status: { active: 1 },
  };
  const active = [{ kind: 'Job', name: 'tick-1', namespace: 'default', uid: 'job-1' }];
  for (const policy of ['Forbid', 'Replace'] as const) {
    const env = fakeEnv({ start: T0 });
    env.seed(resources.cronjobs, cronjob({ concurrencyPolicy: policy }, { active, lastScheduleTime: '2026-01-01T09:55:00Z' }));
    env.seed(resources.jobs, running);
    const c = new CronJobController(env.ctx);
    await env.start();
    const { writes } = await env.syncOnce(c, 'default/tick');
    const verbs = writes.filter((w) => w.resource === 'jobs.batch').map((w) => `${w.verb} ${w.name}`);
    assert.deepEqual(verbs, policy === 'Forbid' ? [] : ['delete tick-1', `create tick-${Date.UTC(2026, 0, 1, 10) / 60_000}`], policy);
    shutDown(c);
    await env.stop();
  }
  const env = fakeEnv({ start: T0 + 10 * 60_000 });
  env.seed(resources.cronjobs, cronjob({ schedule: '0 10 * * *', startingDeadlineSeconds: 60 }));
  const c = new CronJobController(env.ctx);
  await env.start();
  assert.deepEqual((await env.syncOnce(c, 'default/tick')).writes.filter((w) => w.verb === 'create'), [], '10:00 was missed by more than 60 s');
  shutDown(c);
  await env.stop();
});

test('finished Jobs beyond the history limits are deleted, oldest first', async () => {
  const env = fakeEnv({ start: T0 });
  env.seed(resources.cronjobs, cronjob({ suspend: true, successfulJobsHistoryLimit: 1 }));
  const done = (name: string, start: string): KubeObject => ({
    metadata: { name, namespace: 'default', uid: name, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', uid: 'cj-uid', controller: true }] },
    spec: {}, status: { startTime: start, conditions: [{ type: 'Complete', status: 'True' }] } as Job['status'],
  });
  env.seed(resources.jobs, done('j2', '2026-01-01T09:10:00Z'), done('j1', '2026-01-01T09:05:00Z'), done('j3', '2026-01-01T09:15:00Z'));
  const c = new CronJobController(env.ctx);
  await env.start();
  const { writes } = await env.syncOnce(c, 'default/tick');
  assert.deepEqual(writes.map((w) => `${w.verb} ${w.name}`), ['delete j1', 'delete j2']);
  shutDown(c);
  await env.stop();
});
