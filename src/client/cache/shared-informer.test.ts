import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { FakeClock, settleUntil } from '../clock.js';
import { FakeClient } from '../fake.js';
import { resources } from '../resource.js';
import { DeletedFinalStateUnknown, deletionHandlingKey } from './keys.js';
import { listWatchFor } from './listwatch.js';
import { SharedInformer, waitForCacheSync } from './shared-informer.js';
import { SharedInformerFactory } from './informer-factory.js';

const pods = { ...resources.pods, namespace: 'default' };
const pod = (name: string, labels: Record<string, string> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });

function recorder() {
  const events: string[] = [];
  const handler = {
    onAdd: (o: KubeObject) => events.push(`add ${o.metadata!.name}`),
    onUpdate: (a: KubeObject, b: KubeObject) => events.push(`update ${b.metadata!.name}${a === b ? ' (resync)' : ''}`),
    onDelete: (o: KubeObject | DeletedFinalStateUnknown) => events.push(`${o instanceof DeletedFinalStateUnknown ? 'tombstone' : 'delete'} ${deletionHandlingKey(o)}`),
  };
  return { events, handler };
}

function setup(opts: { resyncPeriodMs?: number } = {}) {
  const clock = new FakeClock();
  const client = new FakeClient({ clock });
  client.seed(pods, pod('a'), pod('b'));
  const informer = new SharedInformer<KubeObject>(listWatchFor(client, pods), { clock, name: 'pods', onError: () => {}, random: () => 0, ...opts });
  const ac = new AbortController();
  const running = informer.run(ac.signal);
  const stop = async () => {
    ac.abort();
    await running;
  };
  return { clock, client, informer, ac, running, stop };
}

test('list then watch: initial adds, then live add, update, delete in order', async () => {
  const { client, informer, stop } = setup();
  const { events, handler } = recorder();
  informer.addEventHandler(handler);
  await informer.whenSynced();
  assert.equal(informer.hasSynced(), true);
  assert.deepEqual(events, ['add a', 'add b']);
  await settleUntil(() => client.tracker.watchCount() === 1, 1000, 'watch');
  const c = await client.create(pods, pod('c'));
  await client.update(pods, { ...c, metadata: { ...c.metadata, labels: { x: 'y' } } });
  await client.delete(pods, 'a');
  await settleUntil(() => events.length === 5);
  assert.deepEqual(events.slice(2), ['add c', 'update c', 'delete default/a']);
  assert.deepEqual(informer.lister().namespaced('default').list().map((p) => p.metadata!.name).sort(), ['b', 'c']);
  assert.equal(informer.lastSyncResourceVersion(), client.tracker.resourceVersion());
  await stop();
  assert.equal(client.tracker.watchCount(), 0, 'the watch is closed on stop');
});

test('watch closed by the server: resumes from the last resourceVersion without relisting', async () => {
  const { clock, client, informer, stop } = setup();
  const { events, handler } = recorder();
  informer.addEventHandler(handler);
  await informer.whenSynced();
  await settleUntil(() => client.tracker.watchCount() === 1);
  await client.create(pods, pod('c'));
  await settleUntil(() => events.length === 3);
  client.tracker.closeWatches();
  await client.create(pods, pod('d'));
  await settleUntil(() => events.length === 4);
  assert.equal(clock.waiters(), 0, 'no backoff after a watch that delivered events');
  assert.deepEqual(events, ['add a', 'add b', 'add c', 'add d'], 'd seen once, from the resumed watch');
  assert.equal((informer as SharedInformer<KubeObject>).listCount(), 1);
  await stop();
});

test('410 Gone on rewatch: relists, deletions missed meanwhile arrive as tombstones', async () => {
  const { clock, client, informer, stop } = setup();
  const { events, handler } = recorder();
  informer.addEventHandler(handler);
  await informer.whenSynced();
  await settleUntil(() => client.tracker.watchCount() === 1);
  client.tracker.closeWatches();
  await client.delete(pods, 'a');
  await client.create(pods, pod('e'));
  client.tracker.compact();
  await settleUntil(() => clock.waiters() > 0);
  clock.step(2000);
  await settleUntil(() => (informer as SharedInformer<KubeObject>).listCount() === 2, 1000, 'relist');
  assert.deepEqual(events.slice(2).sort(), ['add e', 'tombstone default/a', 'update b']);
  const tomb = events.indexOf('tombstone default/a');
  assert.ok(tomb >= 2);
  await settleUntil(() => client.tracker.watchCount() === 1, 1000, 'watching again');
  await client.create(pods, pod('f'));
  await settleUntil(() => events.includes('add f'));
  await stop();
});

test('bookmarks advance the resourceVersion without events', async () => {
  const { client, informer, stop } = setup();
  const { events, handler } = recorder();
  informer.addEventHandler(handler);
  await informer.whenSynced();
  await settleUntil(() => client.tracker.watchCount() === 1);
  // A change in another namespace moves the global version but is not ours.
  await client.create({ ...resources.pods, namespace: 'other' }, pod('x'));
  client.tracker.bookmark();
  await settleUntil(() => informer.lastSyncResourceVersion() === client.tracker.resourceVersion(), 1000, 'bookmark');
  assert.deepEqual(events, ['add a', 'add b']);
  const watches = client.actions().filter((a) => a.verb === 'watch');
  assert.equal(watches.length, 1);
  await stop();
});

test('list failures back off on the clock, doubling, then succeed', async () => {
  const clock = new FakeClock();
  const client = new FakeClient({ clock });
  client.seed(pods, pod('a'));
  let failures = 3;
  client.prependReactor('list', 'pods', () => (failures-- > 0 ? { error: new ApiError('InternalError', 'boom') } : undefined));
  const errors: unknown[] = [];
  const informer = new SharedInformer<KubeObject>(listWatchFor(client, pods), { clock, onError: (e) => errors.push(e), random: () => 0 });
  const ac = new AbortController();
  const running = informer.run(ac.signal);
  const lists = () => client.actions().filter((a) => a.verb === 'list').length;
  await settleUntil(() => clock.waiters() === 1);
  assert.equal(lists(), 1);
  clock.step(799);
  await settleUntil(() => true);
  assert.equal(lists(), 1, 'no retry before 800 ms');
  clock.step(1);
  await settleUntil(() => lists() === 2);
  await settleUntil(() => clock.waiters() === 1);
  clock.step(1599);
  await settleUntil(() => true);
  assert.equal(lists(), 2, 'second wait is 1600 ms');
  clock.step(1);
  await settleUntil(() => lists() === 3);
  await settleUntil(() => clock.waiters() === 1);
  clock.step(3200);
  await informer.whenSynced();
  assert.equal(errors.length, 3);
  assert.equal(informer.lister().list().length, 1);
  ac.abort();
  await running;
});

test('a watch ERROR event other than Gone backs off and rewatches from the same version', async () => {
  const { clock, client, informer, stop } = setup();
  await informer.whenSynced();
  await settleUntil(() => client.tracker.watchCount() === 1);
  const rv = informer.lastSyncResourceVersion();
  let once = true;
  client.prependReactor('watch', 'pods', () => {
    if (!once) return undefined;
    once = false;
    throw new ApiError('InternalError', 'watch broke');
  });
  client.tracker.closeWatches();
  await settleUntil(() => clock.waiters() > 0);
  clock.step(1000);
  await settleUntil(() => clock.waiters() > 0);
  clock.step(2000);
  await settleUntil(() => client.tracker.watchCount() === 1, 1000, 'rewatch');
  assert.equal((informer as SharedInformer<KubeObject>).listCount(), 1, 'no relist');
  assert.equal(informer.lastSyncResourceVersion(), rv);
  await stop();
});

test('resync delivers onUpdate(obj, obj) every period to handlers that asked for it', async () => {
  const { clock, client, informer, stop } = setup();
  const withResync = recorder();
  const without = recorder();
  informer.addEventHandler(withResync.handler, 30_000);
  informer.addEventHandler(without.handler);
  await informer.whenSynced();
  await settleUntil(() => client.tracker.watchCount() === 1);
  clock.step(29_999);
  assert.equal(withResync.events.length, 2);
  clock.step(1);
  assert.deepEqual(withResync.events.slice(2).sort(), ['update a (resync)', 'update b (resync)']);
  clock.step(30_000);
  assert.equal(withResync.events.length, 6);
  assert.deepEqual(without.events, ['add a', 'add b']);
  await stop();
});

test('a handler added late gets the cached objects; removed handlers get nothing; a throwing handler does not stop others', async () => {
  const { client, informer, stop } = setup();
  await informer.whenSynced();
  const late = recorder();
  const reg = informer.addEventHandler(late.handler);
  assert.deepEqual(late.events.sort(), ['add a', 'add b']);
  informer.addEventHandler({ onAdd: () => { throw new Error('handler bug'); } });
  const after = recorder();
  informer.addEventHandler(after.handler);
  reg.remove();
  await settleUntil(() => client.tracker.watchCount() === 1);
  const origError = console.error;
  console.error = () => {};
  try {
    await client.create(pods, pod('z'));
    await settleUntil(() => after.events.includes('add z'));
  } finally {
    console.error = origError;
  }
  assert.equal(late.events.length, 2);
  await stop();
});

test('custom indexers: pods by node', async () => {
  const clock = new FakeClock();
  const client = new FakeClient({ clock });
  client.seed(pods, { ...pod('a'), spec: { nodeName: 'n1' } }, { ...pod('b'), spec: { nodeName: 'n2' } });
  const informer = new SharedInformer<KubeObject>(listWatchFor(client, pods), {
    clock, indexers: { byNode: (p) => [(p.spec as { nodeName?: string }).nodeName ?? ''] },
  });
  const ac = new AbortController();
  const running = informer.run(ac.signal);
  await informer.whenSynced();
  assert.deepEqual(informer.getIndexer().byIndex('byNode', 'n1').map((p) => p.metadata!.name), ['a']);
  ac.abort();
  await running;
});

test('factory: one informer and one watch per resource, shared by all callers', async () => {
  const clock = new FakeClock();
  const client = new FakeClient({ clock });
  client.seed(resources.pods, pod('a'));
  client.seed(resources.nodes, { metadata: { name: 'n1', managedFields: [{ manager: 'x' }] } });
  const f = new SharedInformerFactory(client, { clock });
  const p1 = f.forResource(resources.pods);
  const p2 = f.forResource(resources.pods);
  const nodes = f.forResource(resources.nodes);
  assert.equal(p1, p2);
  const ac = new AbortController();
  f.start(ac.signal);
  f.start(ac.signal);
  assert.equal(await f.waitForCacheSync(ac.signal), true);
  await settleUntil(() => client.tracker.watchCount() === 2);
  assert.equal(client.actions().filter((a) => a.verb === 'list').length, 2);
  assert.equal(nodes.lister().get('n1')?.metadata?.managedFields, undefined, 'managedFields stripped');
  ac.abort();
  await f.shutdown();
  assert.equal(client.tracker.watchCount(), 0);
});

test('waitForCacheSync returns false when aborted first', async () => {
  const ac = new AbortController();
  const never = { whenSynced: () => new Promise<void>(() => {}) };
  const p = waitForCacheSync(ac.signal, never);
  ac.abort();
  assert.equal(await p, false);
});
