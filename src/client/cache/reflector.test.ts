import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { FakeClock, settleUntil } from '../clock.js';
import type { ListOptions, WatchOptions } from '../client.js';
import { FakeClient } from '../fake.js';
import { resources } from '../resource.js';
import { listWatchFor, type ListerWatcher } from './listwatch.js';
import { Reflector } from './reflector.js';
import { ThreadSafeStore } from './store.js';

const pods = { ...resources.pods, namespace: 'default' };

/** A plain store as the reflector's sink, and the options of every list and watch call. */
function setup() {
  const clock = new FakeClock();
  const client = new FakeClient({ clock });
  client.seed(pods, { metadata: { name: 'a', namespace: 'default' } });
  const lists: ListOptions[] = [];
  const watches: WatchOptions[] = [];
  const inner = listWatchFor<KubeObject>(client, pods);
  const lw: ListerWatcher<KubeObject> = {
    list: (o) => (lists.push(o), inner.list(o)),
    watch: (o) => (watches.push(o), inner.watch(o)),
  };
  const store = new ThreadSafeStore<KubeObject>();
  const sink = { replace: (items: KubeObject[]) => store.replace(items), add: (o: KubeObject) => store.add(o), update: (o: KubeObject) => store.update(o), delete: (o: KubeObject) => store.delete(o) };
  const reflector = new Reflector<KubeObject>(lw, sink, { clock, random: () => 0, onError: () => {}, pageSize: 2 });
  const ac = new AbortController();
  const running = reflector.run(ac.signal);
  return { clock, client, lists, watches, store, reflector, ac, running };
}

test('first list from the cache ("0"), watch from its version with bookmarks; relist after 410 is a consistent read', async () => {
  const { clock, client, lists, watches, store, reflector, ac, running } = setup();
  await settleUntil(() => client.tracker.watchCount() === 1);
  assert.deepEqual(lists, [{ limit: 2, resourceVersion: '0' }]);
  assert.equal(watches.length, 1);
  assert.equal(watches[0]!.resourceVersion, reflector.lastSyncResourceVersion());
  assert.equal(watches[0]!.allowWatchBookmarks, true);
  assert.ok(watches[0]!.timeoutSeconds! >= 300 && watches[0]!.timeoutSeconds! < 600);
  client.tracker.closeWatches();
  await client.create(pods, { metadata: { name: 'b' } });
  client.tracker.compact();
  await settleUntil(() => clock.waiters() > 0);
  clock.step(1000);
  await settleUntil(() => lists.length === 2 && client.tracker.watchCount() === 1);
  assert.deepEqual(lists[1], { limit: 2 }, 'no resourceVersion: consistent');
  assert.deepEqual(store.listKeys().sort(), ['default/a', 'default/b']);
  ac.abort();
  await running;
});

test('a list whose version is refused with 410 is retried at once as a consistent read', async () => {
  const clock = new FakeClock();
  const client = new FakeClient({ clock });
  let refused = false;
  client.prependReactor('list', 'pods', () => {
    if (refused) return undefined;
    refused = true;
    return { error: new ApiError('Expired', 'too old resource version') };
  });
  const lists: ListOptions[] = [];
  const inner = listWatchFor<KubeObject>(client, pods);
  const store = new ThreadSafeStore<KubeObject>();
  const r = new Reflector<KubeObject>({ list: (o) => (lists.push(o), inner.list(o)), watch: (o) => inner.watch(o) },
    { replace: (i) => store.replace(i), add: () => {}, update: () => {}, delete: () => {} }, { clock, pageSize: 0, onError: () => {} });
  const ac = new AbortController();
  const running = r.run(ac.signal);
  await settleUntil(() => client.tracker.watchCount() === 1);
  assert.deepEqual(lists, [{ resourceVersion: '0' }, {}]);
  assert.equal(clock.waiters(), 0, 'no backoff');
  ac.abort();
  await running;
});

test('paged lists follow continue tokens', async () => {
  const clock = new FakeClock();
  const pages: KubeObject[][] = [[{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }], [{ metadata: { name: 'c' } }]];
  const lists: ListOptions[] = [];
  let expire = true;
  const lw: ListerWatcher<KubeObject> = {
    list: async (o) => {
      lists.push(o);
      if (o.continue && expire) {
        expire = false;
        throw new ApiError('Expired', 'continue token expired');
      }
      if (!o.limit) return { metadata: { resourceVersion: '9' }, items: pages.flat() };
      const i = o.continue ? 1 : 0;
      return { metadata: { resourceVersion: '9', ...(i === 0 ? { continue: 'tok' } : {}) } as never, items: pages[i]! };
    },
    watch: async () => new (await import('../watch-channel.js')).WatchChannel<KubeObject>(),
  };
  const store = new ThreadSafeStore<KubeObject>();
  const r = new Reflector<KubeObject>(lw, { replace: (i) => store.replace(i), add: () => {}, update: () => {}, delete: () => {} }, { clock, pageSize: 2, onError: () => {} });
  const ac = new AbortController();
  const running = r.run(ac.signal);
  await settleUntil(() => store.listKeys().length === 3);
  assert.deepEqual(lists, [{ limit: 2, resourceVersion: '0' }, { limit: 2, continue: 'tok' }, { resourceVersion: '0' }], 'expired token: one full list');
  assert.equal(r.lastSyncResourceVersion(), '9');
  ac.abort();
  await running;
});
