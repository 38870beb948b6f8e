import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, RealClock, formatMicroTime, formatTime } from './clock.js';

test('FakeClock fires due timers in order, including timers set while stepping', () => {
  const clock = new FakeClock(0);
  const fired: string[] = [];
  clock.setTimer(20, () => fired.push('b'));
  clock.setTimer(10, () => {
    fired.push('a');
    clock.setTimer(5, () => fired.push('a+5'));
  });
  const stopped = clock.setTimer(15, () => fired.push('never'));
  assert.equal(stopped.stop(), true);
  assert.equal(stopped.stop(), false);
  assert.equal(clock.waiters(), 2);
  assert.equal(clock.nextDue(), 10);
  clock.step(30);
  assert.deepEqual(fired, ['a', 'a+5', 'b']);
  assert.equal(clock.now(), 30);
  assert.equal(clock.waiters(), 0);
});

test('sleep resolves on the clock and rejects on abort', async () => {
  const clock = new FakeClock(0);
  const p = clock.sleep(100);
  clock.step(100);
  await p;
  const ac = new AbortController();
  const q = clock.sleep(100, ac.signal);
  ac.abort(new Error('stop'));
  await assert.rejects(q, /stop/);
  assert.equal(clock.waiters(), 0, 'the timer is cancelled');
  await assert.rejects(clock.sleep(1, ac.signal), /stop/);
});

test('RealClock sleeps for real', async () => {
  const c = new RealClock();
  const t0 = c.now();
  await c.sleep(5);
  assert.ok(c.now() >= t0 + 4);
  const t = c.setTimer(1000, () => assert.fail('stopped timer fired'));
  assert.equal(t.stop(), true);
});

test('timestamp formats', () => {
  assert.equal(formatTime(Date.UTC(2026, 0, 2, 3, 4, 5, 678)), '2026-01-02T03:04:05Z');
  assert.equal(formatMicroTime(Date.UTC(2026, 0, 2, 3, 4, 5, 678)), '2026-01-02T03:04:05.678000Z');
});
