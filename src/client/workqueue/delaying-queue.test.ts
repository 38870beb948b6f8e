import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../clock.js';
import { DelayingWorkQueue } from './delaying-queue.js';

test('addAfter adds once the delay has passed on the clock', () => {
  const clock = new FakeClock();
  const q = new DelayingWorkQueue<string>(clock);
  q.addAfter('a', 50);
  assert.equal(q.len(), 0);
  clock.step(49);
  assert.equal(q.len(), 0);
  clock.step(1);
  assert.equal(q.len(), 1);
});

test('the earliest of several schedules wins; zero delay adds at once', () => {
  const clock = new FakeClock();
  const q = new DelayingWorkQueue<string>(clock);
  q.addAfter('a', 100);
  q.addAfter('a', 10);
  q.addAfter('a', 200);
  assert.equal(q.delayedCount(), 1);
  clock.step(10);
  assert.equal(q.len(), 1);
  clock.step(500);
  assert.equal(q.len(), 1, 'not added a second time');
  q.addAfter('b', 0);
  assert.equal(q.len(), 2);
});

test('items come out in due order', async () => {
  const clock = new FakeClock();
  const q = new DelayingWorkQueue<string>(clock);
  q.addAfter('late', 30);
  q.addAfter('early', 10);
  q.addAfter('mid', 20);
  clock.step(30);
  assert.deepEqual([await q.get(), await q.get(), await q.get()], ['early', 'mid', 'late']);
});

test('shutDown cancels pending delayed adds', () => {
  const clock = new FakeClock();
  const q = new DelayingWorkQueue<string>(clock);
  q.addAfter('a', 10);
  q.shutDown();
  assert.equal(clock.waiters(), 0);
  clock.step(100);
  assert.equal(q.len(), 0);
});
