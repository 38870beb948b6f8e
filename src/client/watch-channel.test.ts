import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import type { WatchEvent } from './client.js';
import { WatchChannel } from './watch-channel.js';

const ev = (name: string): WatchEvent => ({ type: 'ADDED', object: { metadata: { name } } as KubeObject });
const names = async (w: WatchChannel) => {
  const out: string[] = [];
  for await (const e of w) out.push(e.object.metadata!.name!);
  return out;
};

test('buffers events pushed before iteration; end() drains then finishes', async () => {
  const w = new WatchChannel();
  w.push(ev('a'));
  w.push(ev('b'));
  w.end();
  w.push(ev('ignored'));
  assert.deepEqual(await names(w), ['a', 'b']);
});

test('end(err) throws after the buffered events', async () => {
  const w = new WatchChannel();
  w.push(ev('a'));
  const it = w[Symbol.asyncIterator]();
  w.end(new Error('connection reset'));
  assert.equal((await it.next()).value?.object.metadata?.name, 'a');
  await assert.rejects(it.next(), /connection reset/);
});

test('a waiting consumer is woken by push and by end; stop() calls onStop once and ends quietly', async () => {
  let stops = 0;
  const w = new WatchChannel(() => stops++);
  const got = names(w);
  await new Promise((r) => setImmediate(r));
  w.push(ev('x'));
  await new Promise((r) => setImmediate(r));
  w.stop();
  w.stop();
  assert.deepEqual(await got, ['x']);
  assert.equal(stops, 1);
  const v = new WatchChannel();
  const waiting = v[Symbol.asyncIterator]().next();
  v.end(new Error('boom'));
  await assert.rejects(waiting, /boom/);
});
