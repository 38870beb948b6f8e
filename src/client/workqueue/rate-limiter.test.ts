import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../clock.js';
import { BucketRateLimiter, ItemExponentialFailureRateLimiter, ItemFastSlowRateLimiter, MaxOfRateLimiter, defaultControllerRateLimiter } from './rate-limiter.js';
import { RateLimitingWorkQueue } from './rate-limiting-queue.js';

test('exponential per-item backoff 5ms doubling to the 1000s cap, forget resets', () => {
  const r = new ItemExponentialFailureRateLimiter<string>();
  assert.deepEqual([r.when('a'), r.when('a'), r.when('a'), r.when('b')], [5, 10, 20, 5]);
  assert.equal(r.numRequeues('a'), 3);
  for (let i = 0; i < 40; i++) r.when('a');
  assert.equal(r.when('a'), 1000_000);
  for (let i = 0; i < 2000; i++) r.when('a');
  assert.equal(r.when('a'), 1000_000, 'no overflow past the cap');
  r.forget('a');
  assert.equal(r.numRequeues('a'), 0);
  assert.equal(r.when('a'), 5);
});

test('fast-slow limiter', () => {
  const r = new ItemFastSlowRateLimiter<string>(5, 1000, 2);
  assert.deepEqual([r.when('a'), r.when('a'), r.when('a')], [5, 5, 1000]);
});

test('bucket: burst is free, then one token per 1/qps, refilled by time', () => {
  const clock = new FakeClock();
  const r = new BucketRateLimiter<string>(10, 3, clock);
  assert.deepEqual([r.when('a'), r.when('b'), r.when('c')], [0, 0, 0]);
  assert.equal(r.when('d'), 100);
  assert.equal(r.when('e'), 200);
  clock.step(1000);
  assert.equal(r.when('f'), 0);
});

test('default controller limiter is the max of both', () => {
  const clock = new FakeClock();
  const r = defaultControllerRateLimiter<string>(clock);
  assert.equal(r.when('a'), 5);
  assert.equal(r.when('a'), 10);
  assert.equal(r.numRequeues('a'), 2);
  for (let i = 0; i < 200; i++) r.when(`x${i}`);
  assert.ok(r.when('z') >= 1000, 'bucket dominates once the burst is spent');
  const m = new MaxOfRateLimiter<string>();
  assert.equal(m.when('a'), 0);
});

test('rate-limited queue: addRateLimited waits the backoff, forget resets it', async () => {
  const clock = new FakeClock();
  const q = new RateLimitingWorkQueue<string>({ clock });
  q.addRateLimited('k');
  assert.equal(q.len(), 0);
  clock.step(5);
  assert.equal(await q.get(), 'k');
  q.done('k');
  q.addRateLimited('k');
  clock.step(9);
  assert.equal(q.len(), 0);
  clock.step(1);
  assert.equal(q.len(), 1);
  assert.equal(q.numRequeues('k'), 2);
  q.forget('k');
  assert.equal(q.numRequeues('k'), 0);
});
