import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../api/errors.js';
import type { Lease } from '../../api/types.js';
import { FakeClock, settleUntil } from '../clock.js';
import { FakeClient } from '../fake.js';
import { ObjectTracker } from '../fake-tracker.js';
import { resources } from '../resource.js';
import { LeaderElector } from './leader-elector.js';
import { LeaseLock } from './lease-lock.js';

const leases = { ...resources.leases, namespace: 'kube-system' };

function candidate(tracker: ObjectTracker, clock: FakeClock, id: string, log: string[], opts: { releaseOnCancel?: boolean } = {}) {
  const client = new FakeClient({ tracker });
  const elector = new LeaderElector({
    lock: new LeaseLock(client, 'kube-system', 'kube-controller-manager', id),
    clock,
    random: () => 0,
    ...opts,
    callbacks: {
      onStartedLeading: (signal) => {
        log.push(`${id} started`);
        signal.addEventListener('abort', () => log.push(`${id} leading signal aborted`));
      },
      onStoppedLeading: () => log.push(`${id} stopped`),
      onNewLeader: (who) => log.push(`${id} sees ${who}`),
    },
  });
  const ac = new AbortController();
  const running = elector.run(ac.signal);
  return { client, elector, ac, running };
}

async function lease(tracker: ObjectTracker): Promise<Lease> {
  return tracker.get(leases, 'kube-controller-manager') as Lease;
}

/** Advances the fake clock in retry-period steps, letting the electors run in between. */
async function advance(clock: FakeClock, ms: number, step = 1000): Promise<void> {
  for (let t = 0; t < ms; t += step) await clock.tick(step);
  await settleUntil(() => true);
}

test('the first candidate creates the Lease and leads; the second waits; release hands over at once', async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const tracker = new ObjectTracker(clock);
  const log: string[] = [];
  const a = candidate(tracker, clock, 'a', log, { releaseOnCancel: true });
  await settleUntil(() => a.elector.isLeader());
  const b = candidate(tracker, clock, 'b', log, { releaseOnCancel: true });
  await advance(clock, 20_000);
  assert.equal(a.elector.isLeader(), true, 'a keeps renewing');
  assert.equal(b.elector.isLeader(), false);
  assert.equal(b.elector.getLeader(), 'a');
  const held = await lease(tracker);
  assert.equal(held.spec?.holderIdentity, 'a');
  assert.equal(held.spec?.leaseDurationSeconds, 15);
  assert.equal(held.spec?.leaseTransitions, 0);
  assert.equal(held.spec?.acquireTime, '2026-01-01T00:00:00.000000Z');
  assert.ok(Date.parse(held.spec!.renewTime!) > Date.parse(held.spec!.acquireTime!), 'renewTime moves');

  a.ac.abort();
  await a.running;
  assert.equal((await lease(tracker)).spec?.holderIdentity, '', 'released');
  await advance(clock, 2000);
  await settleUntil(() => b.elector.isLeader());
  const taken = await lease(tracker);
  assert.equal(taken.spec?.holderIdentity, 'b');
  assert.equal(taken.spec?.leaseTransitions, 1);
  assert.deepEqual(log.filter((l) => !l.includes('sees')), ['a started', 'a leading signal aborted', 'a stopped', 'b started']);
  b.ac.abort();
  await b.running;
});

test('a crashed leader (no release) is replaced once its lease has not been renewed for leaseDuration', async () => {
  const clock = new FakeClock();
  const tracker = new ObjectTracker(clock);
  const log: string[] = [];
  const a = candidate(tracker, clock, 'a', log);
  await settleUntil(() => a.elector.isLeader());
  const b = candidate(tracker, clock, 'b', log);
  await advance(clock, 4000);
  a.ac.abort();
  await a.running;
  assert.equal((await lease(tracker)).spec?.holderIdentity, 'a', 'not released');
  const crashedAt = clock.now();
  await advance(clock, 12_000);
  assert.equal(b.elector.isLeader(), false, 'lease still valid');
  await advance(clock, 6000);
  await settleUntil(() => b.elector.isLeader());
  assert.ok(clock.now() - crashedAt <= 15_000 + 2 * 2000 + 2000, 'taken over within lease duration plus a retry');
  b.ac.abort();
  await b.running;
});

test('a leader that cannot renew steps down after the renew deadline, before anyone else can take over', async () => {
  const clock = new FakeClock();
  const tracker = new ObjectTracker(clock);
  const log: string[] = [];
  const a = candidate(tracker, clock, 'a', log);
  await settleUntil(() => a.elector.isLeader());
  const b = candidate(tracker, clock, 'b', log);
  await advance(clock, 3000);
  a.client.prependReactor('update', 'leases.coordination.k8s.io', () => ({ error: new ApiError('ServiceUnavailable', 'apiserver down') }));
  const cutAt = clock.now();
  await settleUntil(() => true);
  let stoppedAt = 0;
  for (let i = 0; i < 30 && !stoppedAt; i++) {
    await advance(clock, 1000);
    if (log.includes('a stopped')) stoppedAt = clock.now();
  }
  await a.running;
  assert.ok(stoppedAt > 0, 'a stopped leading');
  assert.ok(stoppedAt - cutAt <= 10_000 + 2000, `stopped within renew deadline (+1 period): ${stoppedAt - cutAt}`);
  assert.ok(!log.includes('b started') || log.indexOf('a stopped') < log.indexOf('b started'), 'never two leaders');
  await advance(clock, 20_000);
  await settleUntil(() => b.elector.isLeader());
  assert.ok(log.indexOf('a stopped') < log.indexOf('b started'));
  b.ac.abort();
  await b.running;
});

test('optimistic concurrency: of two candidates racing for an expired lease exactly one wins', async () => {
  const clock = new FakeClock();
  const tracker = new ObjectTracker(clock);
  const client = new FakeClient({ tracker });
  await client.create(leases, {
    metadata: { name: 'kube-controller-manager' },
    spec: { holderIdentity: 'old', leaseDurationSeconds: 15, acquireTime: '2020-01-01T00:00:00.000000Z', renewTime: '2020-01-01T00:00:00.000000Z', leaseTransitions: 4 },
  });
  const mk = (id: string) => new LeaderElector({
    lock: new LeaseLock(new FakeClient({ tracker }), 'kube-system', 'kube-controller-manager', id), clock,
    callbacks: { onStartedLeading: () => {}, onStoppedLeading: () => {} },
  });
  const x = mk('x');
  const y = mk('y');
  assert.equal(await x.tryAcquireOrRenew(), false, 'first sighting starts the local lease clock');
  assert.equal(await y.tryAcquireOrRenew(), false);
  clock.step(16_000);
  const results = await Promise.all([x.tryAcquireOrRenew(), y.tryAcquireOrRenew()]);
  assert.deepEqual(results.sort(), [false, true]);
  const l = await lease(tracker);
  assert.equal(l.spec?.leaseTransitions, 5);
  assert.ok(['x', 'y'].includes(l.spec!.holderIdentity!));
});

test('configuration is checked', () => {
  const lock = new LeaseLock(new FakeClient(), 'ns', 'l', 'me');
  const callbacks = { onStartedLeading: () => {}, onStoppedLeading: () => {} };
  assert.throws(() => new LeaderElector({ lock, callbacks, leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }), /leaseDuration must be greater/);
  assert.throws(() => new LeaderElector({ lock, callbacks, renewDeadlineMs: 2000, retryPeriodMs: 2000 }), /renewDeadline must be greater/);
});
