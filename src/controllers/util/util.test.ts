import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../client/clock.js';
import { ControllerExpectations } from './expectations.js';
import { canonicalJson, computeHash, fnv32a, safeEncodeString } from './hash.js';
import { scaledValue } from './intstr.js';
import { compareForDeletion } from './pods.js';
import { slowStartBatch } from './slow-start.js';

test('pod-template hash: FNV-32a, stable under key order, changed by collisionCount, safe alphabet', () => {
  assert.equal(fnv32a(''), 0x811c9dc5);
  assert.equal(fnv32a('a'), 0xe40c292c);
  assert.equal(safeEncodeString('0123456789'), 'bcdfghjklm'.split('').map((_, i) => 'bcdfghjklmnpqrstvwxz2456789'[(48 + i) % 27]).join(''));
  const t1 = { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
  const t2 = { spec: { containers: [{ image: 'nginx', name: 'c' }] }, metadata: { labels: { tier: 'fe', app: 'web' } } };
  assert.equal(canonicalJson(t1), canonicalJson(t2));
  assert.equal(computeHash(t1), computeHash(t2));
  assert.notEqual(computeHash(t1), computeHash(t1, 1));
  assert.match(computeHash(t1), /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
});

test('int-or-percent: percentages round as asked', () => {
  assert.equal(scaledValue('25%', 10, true), 3);
  assert.equal(scaledValue('25%', 10, false), 2);
  assert.equal(scaledValue(4, 10, true), 4);
  assert.equal(scaledValue(undefined, 10, true, 7), 7);
  assert.throws(() => scaledValue('x%', 10, true), /invalid value/);
});

test('expectations: satisfied when met or expired; deletions counted once per uid', () => {
  const clock = new FakeClock();
  const e = new ControllerExpectations(clock, 1000);
  assert.equal(e.satisfied('k'), true);
  e.expectCreations('k', 2);
  e.creationObserved('k');
  assert.equal(e.satisfied('k'), false);
  e.creationObserved('k');
  assert.equal(e.satisfied('k'), true);
  e.expectDeletionsOf('k', ['a', 'b']);
  e.deletionObservedOf('k', 'a');
  e.deletionObservedOf('k', 'a');
  assert.equal(e.satisfied('k'), false);
  clock.step(1001);
  assert.equal(e.satisfied('k'), true, 'expired');
});

test('slow start: batches of 1, 2, 4, … stopping at the first failing batch', async () => {
  const seen: number[] = [];
  const ok = await slowStartBatch(10, 1, async (i) => { seen.push(i); });
  assert.deepEqual(ok, { successes: 10 });
  assert.equal(seen.length, 10);
  let calls = 0;
  const bad = await slowStartBatch(10, 1, async () => { calls++; if (calls >= 2) throw new Error('quota'); });
  assert.equal(bad.successes, 1);
  assert.equal(calls, 3, 'batch 1 ok, batch 2 (2 calls) failed, nothing after');
  assert.equal((bad.error as Error).message, 'quota');
});

test('deletion ranking: unassigned, pending, not ready, ready for less time, more restarts, newer', () => {
  const p = (name: string, o: { node?: string; phase?: string; ready?: boolean; since?: string; restarts?: number; created?: string }) => ({
    metadata: { name, creationTimestamp: o.created ?? '2026-01-01T00:00:00Z' },
    spec: { containers: [], ...(o.node ? { nodeName: o.node } : {}) },
    status: { phase: o.phase ?? 'Running', conditions: [{ type: 'Ready', status: o.ready ? 'True' : 'False', lastTransitionTime: o.since ?? '2026-01-01T00:00:00Z' }], containerStatuses: [{ restartCount: o.restarts ?? 0 }] },
  }) as never;
  const pods = [
    p('ready-long', { node: 'n', ready: true, since: '2025-01-01T00:00:00Z' }),
    p('ready-short', { node: 'n', ready: true, since: '2026-01-01T00:00:00Z' }),
    p('unassigned', { phase: 'Pending' }),
    p('pending', { node: 'n', phase: 'Pending' }),
    p('not-ready-restarts', { node: 'n', restarts: 5 }),
    p('not-ready-new', { node: 'n', created: '2026-02-01T00:00:00Z' }),
    p('not-ready-old', { node: 'n', created: '2025-02-01T00:00:00Z' }),
  ];
  assert.deepEqual([...pods].sort(compareForDeletion).map((x: { metadata: { name: string } }) => x.metadata.name),
    ['unassigned', 'pending', 'not-ready-restarts', 'not-ready-new', 'not-ready-old', 'ready-short', 'ready-long']);
});
