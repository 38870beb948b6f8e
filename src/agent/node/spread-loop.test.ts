import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, settle, settleUntil } from '../../client/clock.js';
import { SpreadLoop } from './spread-loop.js';

test('every key runs once per period, spread over it from one timer', async () => {
  const clock = new FakeClock(0);
  const runs: [string, number][] = [];
  const loop = new SpreadLoop({ periodMs: 1000, clock, run: async (k) => { runs.push([k, clock.now()]); } });
  for (let i = 0; i < 100; i++) loop.add(`n${i}`);
  assert.equal(clock.waiters(), 1, 'one timer for all keys');
  for (let t = 10; t < 1000; t += 10) await clock.tick(10);
  await clock.tick(9); // 999 ms: one period
  await settle();
  assert.equal(runs.length, 100);
  assert.equal(new Set(runs.map(([k]) => k)).size, 100, 'each key once');
  // Spread: no 100 ms window of the period holds more than twice its fair share.
  const perWindow = new Array(10).fill(0);
  for (const [, t] of runs) perWindow[Math.floor(t / 100)]++;
  assert.ok(Math.max(...perWindow) <= 20, `windows: ${perWindow}`);
  for (let t = 0; t < 1000; t += 10) await clock.tick(10);
  await settle();
  assert.equal(runs.length, 200, 'the next period runs every key again');
  await loop.stop();
});

test('keys added at once with {now} run at once, then each at its own phase', async () => {
  const clock = new FakeClock(0);
  const runs: [string, number][] = [];
  const loop = new SpreadLoop({ periodMs: 1000, clock, run: async (k) => { runs.push([k, clock.now()]); } });
  for (let i = 0; i < 10; i++) loop.add(`n${i}`, { now: true });
  await clock.tick(0);
  await settle();
  assert.equal(runs.length, 10);
  runs.length = 0;
  for (let t = 0; t < 1500; t += 10) await clock.tick(10);
  await settle();
  assert.equal(new Set(runs.map(([k]) => k)).size, 10, 'each key once more');
  assert.ok(new Set(runs.map(([, t]) => Math.floor(t / 100))).size >= 5, `spread: ${runs.map(([, t]) => t)}`);
  assert.ok(runs.every(([, t]) => t >= 500), 'not sooner than half a period after the first run');
  await loop.stop();
});

test('add({now}) runs at once; a key never runs twice at once; concurrency is bounded', async () => {
  const clock = new FakeClock(0);
  const pending: (() => void)[] = [];
  let inflight = 0;
  let maxInflight = 0;
  const started: string[] = [];
  const loop = new SpreadLoop({
    periodMs: 100, clock, concurrency: 3,
    run: (k) => new Promise<void>((resolve) => {
      started.push(k);
      inflight++;
      maxInflight = Math.max(maxInflight, inflight);
      pending.push(() => { inflight--; resolve(); });
    }),
  });
  for (let i = 0; i < 5; i++) loop.add(`k${i}`, { now: true });
  await clock.tick(0);
  await settle();
  assert.equal(started.length, 3, 'three in flight, two waiting');
  // Two periods pass while the first three hang: they are not started again.
  await clock.tick(250);
  await settle();
  assert.equal(started.length, 3);
  pending.splice(0).forEach((f) => f());
  await settleUntil(() => started.length === 5, 100, 'the waiting keys');
  assert.equal(maxInflight, 3);
  pending.splice(0).forEach((f) => f());
  await loop.stop();
});

test('errors are reported and the key stays; remove() takes a key out; stop() waits for runs', async () => {
  const clock = new FakeClock(0);
  const errors: string[] = [];
  const runs: string[] = [];
  let release: () => void = () => {};
  const loop = new SpreadLoop({
    periodMs: 100, clock,
    run: async (k) => {
      runs.push(k);
      if (k === 'bad') throw new Error('boom');
      if (k === 'slow') await new Promise<void>((r) => { release = r; });
    },
    onError: (k, err) => errors.push(`${k}: ${(err as Error).message}`),
  });
  loop.add('bad', { now: true });
  loop.add('gone', { now: true });
  await clock.tick(0);
  await settle();
  loop.remove('gone');
  await clock.tick(100);
  await settle();
  assert.deepEqual(runs, ['bad', 'gone', 'bad']);
  assert.deepEqual(errors, ['bad: boom', 'bad: boom']);
  loop.add('slow', { now: true });
  await clock.tick(0);
  await settle();
  let stopped = false;
  const stopping = loop.stop().then(() => { stopped = true; });
  await settle();
  assert.equal(stopped, false, 'stop waits for the run in flight');
  release();
  await stopping;
  assert.equal(clock.waiters(), 0);
});
