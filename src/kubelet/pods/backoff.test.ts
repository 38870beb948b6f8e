import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../client/clock.js';
import { Backoff } from './backoff.js';

test('restart back-off: immediate first restart, then 10 s doubling to 5 min, forgotten after idling', () => {
  const clock = new FakeClock(1_000_000);
  const b = new Backoff(10_000, 300_000, clock);
  assert.equal(b.inBackoff('p/c', clock.now()), false);
  const delays: number[] = [];
  for (let i = 0; i < 7; i++) {
    b.next('p/c');
    delays.push(b.delay('p/c'));
  }
  assert.deepEqual(delays, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  assert.equal(b.inBackoff('p/c', clock.now()), true);
  clock.step(300_001);
  assert.equal(b.inBackoff('p/c', clock.now() - 300_001), false);
  clock.step(600_000);
  assert.equal(b.delay('p/c'), 0);
  b.next('p/c');
  b.resetPrefix('p/');
  assert.equal(b.delay('p/c'), 0);
});
