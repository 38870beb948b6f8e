import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../testing/memory-store.js';
import type { CacheEvent } from './cached-object.js';
import { TooOldError, WatchCache } from './watch-cache.js';

const enc = (o: unknown) => Buffer.from(JSON.stringify(o));
const cm = (name: string, ns = 'default', labels?: Record<string, string>) => enc({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels } });
const tick = () => new Promise((r) => setTimeout(r, 5));

test('the cache loads what is stored, follows writes, and lists in key order with resourceVersions set', async () => {
  const store = new MemoryStore();
  await store.create('/registry/configmaps/default/b', cm('b'));
  const cache = new WatchCache(store);
  await cache.start();
  await store.create('/registry/configmaps/default/a', cm('a'));
  const rev = await store.create('/registry/configmaps/other/c', cm('c', 'other'));
  await cache.waitFor(rev);
  assert.deepEqual(cache.list('configmaps').map((o) => o.name), ['a', 'b', 'c']);
  assert.deepEqual(cache.list('configmaps', 'default').map((o) => o.name), ['a', 'b']);
  assert.equal(cache.list('configmaps', 'other')[0]!.obj.metadata!.resourceVersion, String(rev));
  assert.equal(JSON.parse(cache.list('configmaps', 'other')[0]!.json).metadata.resourceVersion, String(rev));
  await store.delete('/registry/configmaps/default/b');
  await tick();
  assert.deepEqual(cache.list('configmaps').map((o) => o.name), ['a', 'c']);
  cache.stop();
});

test('watchers get every event after their revision, in order, with the previous object', async () => {
  const store = new MemoryStore();
  const cache = new WatchCache(store);
  await cache.start();
  const r1 = await store.create('/registry/configmaps/default/a', cm('a'));
  const kv = (await store.get('/registry/configmaps/default/a')).kv!;
  await store.update(kv.key, cm('a', 'default', { x: 'y' }), kv.modRevision);
  await tick();
  const seen: CacheEvent[] = [];
  const { backlog, cancel } = cache.watch('configmaps', r1, { deliver: (e) => seen.push(e), terminate: () => {} });
  assert.deepEqual(backlog.map((e) => e.type), ['MODIFIED']);
  assert.equal(backlog[0]!.prev?.labels, undefined);
  await store.delete('/registry/configmaps/default/a');
  await tick();
  assert.deepEqual(seen.map((e) => [e.type, e.object.name, e.prev?.labels?.x]), [['DELETED', 'a', 'y']]);
  cancel();
  cache.stop();
});

test('a revision from before the cache started is too old for the ring', async () => {
  const store = new MemoryStore();
  await store.create('/registry/configmaps/default/a', cm('a'));
  await store.create('/registry/configmaps/default/b', cm('b'));
  const cache = new WatchCache(store);
  await cache.start();
  assert.throws(() => cache.watch('configmaps', 1, { deliver: () => {}, terminate: () => {} }), TooOldError);
  cache.stop();
});

test('waitFor resolves once the cache reaches a revision, and times out past the newest', async () => {
  const store = new MemoryStore();
  const cache = new WatchCache(store);
  await cache.start();
  const waiting = cache.waitFor(1);
  await store.create('/registry/pods/default/p', enc({ metadata: { name: 'p', namespace: 'default' } }));
  await waiting;
  assert.equal(cache.revision, 1);
  await assert.rejects(cache.waitFor(99, 20), /Too large resource version/);
  cache.stop();
});
