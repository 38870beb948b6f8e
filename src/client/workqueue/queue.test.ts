import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue } from './queue.js';
import { settle } from '../clock.js';

test('items are handed out in order, once each, de-duplicated while waiting', async () => {
  const q = new WorkQueue<string>();
  q.add('a');
  q.add('b');
  q.add('a');
  q.add('c');
  assert.equal(q.len(), 3);
  assert.equal(await q.get(), 'a');
  assert.equal(await q.get(), 'b');
  assert.equal(await q.get(), 'c');
  assert.equal(q.len(), 0);
});

test('a key re-added while processing is held back and re-queued on done', async () => {
  const q = new WorkQueue<string>();
  q.add('k');
  assert.equal(await q.get(), 'k');
  q.add('k');
  q.add('k');
  assert.equal(q.len(), 0, 'not handed to a second worker while the first processes it');
  let second: string | undefined;
  void q.get().then((v) => (second = v));
  await settle();
  assert.equal(second, undefined);
  q.done('k');
  await settle();
  assert.equal(second, 'k', 're-queued exactly once after done');
  q.done('k');
  assert.equal(q.len(), 0);
});

test('done on an item not re-added does not re-queue it', async () => {
  const q = new WorkQueue<string>();
  q.add('x');
  assert.equal(await q.get(), 'x');
  q.done('x');
  assert.equal(q.len(), 0);
  q.add('x');
  assert.equal(q.len(), 1, 'can be added again once done');
});

test('waiting workers are served in the order they asked', async () => {
  const q = new WorkQueue<number>();
  const got: [number, number | undefined][] = [];
  const workers = [0, 1, 2].map((w) => q.get().then((v) => got.push([w, v])));
  q.add(10);
  q.add(11);
  q.add(12);
  await Promise.all(workers);
  assert.deepEqual(got, [[0, 10], [1, 11], [2, 12]]);
});

test('many producers and consumers: never two workers on one key, every add after the last get is processed', async () => {
  const q = new WorkQueue<string>();
  const keys = ['a', 'b', 'c', 'd', 'e'];
  const active = new Set<string>();
  const processedAfterLastAdd = new Map<string, boolean>();
  let violations = 0;
  const lastAdd = new Map<string, number>();
  let seq = 0;
  const worker = async () => {
    for (;;) {
      const k = await q.get();
      if (k === undefined) return;
      if (active.has(k)) violations++;
      active.add(k);
      const startedAt = seq;
      await new Promise((r) => setImmediate(r));
      active.delete(k);
      processedAfterLastAdd.set(k, startedAt >= (lastAdd.get(k) ?? 0));
      q.done(k);
    }
  };
  const producer = async (p: number) => {
    for (let i = 0; i < 200; i++) {
      const k = keys[(i * 7 + p) % keys.length]!;
      lastAdd.set(k, ++seq);
      q.add(k);
      if (i % 3 === 0) await new Promise((r) => setImmediate(r));
    }
  };
  const workers = Array.from({ length: 4 }, worker);
  await Promise.all([0, 1, 2].map(producer));
  await q.shutDownWithDrain();
  await Promise.all(workers);
  assert.equal(violations, 0);
  for (const k of keys) assert.equal(processedAfterLastAdd.get(k), true, `${k} processed after its last add`);
});

test('shutDown: adds ignored, queued items drained, then get resolves undefined', async () => {
  const q = new WorkQueue<string>();
  q.add('a');
  const idle = new WorkQueue<string>();
  const waiting = idle.get();
  idle.shutDown();
  assert.equal(await waiting, undefined, 'a waiting worker is released');
  q.shutDown();
  q.add('b');
  assert.equal(q.shuttingDown(), true);
  assert.equal(await q.get(), 'a');
  assert.equal(await q.get(), undefined);
});

test('shutDownWithDrain waits for items in processing', async () => {
  const q = new WorkQueue<string>();
  q.add('a');
  const a = await q.get();
  let drained = false;
  const p = q.shutDownWithDrain().then(() => (drained = true));
  await settle();
  assert.equal(drained, false);
  q.done(a!);
  await p;
  assert.equal(drained, true);
});
