import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, isAlreadyExists, isConflict, isInvalid, isNotFound } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import { FakeClock } from './clock.js';
import type { WatchEvent } from './client.js';
import { FakeClient } from './fake.js';
import { resources } from './resource.js';

const pods = { ...resources.pods, namespace: 'default' };
const pod = (name: string, labels: Record<string, string> = {}, extra: Partial<KubeObject> = {}): KubeObject =>
  ({ metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] }, ...extra });

test('create fills server fields; generateName; AlreadyExists; resourceVersion grows', async () => {
  const c = new FakeClient({ clock: new FakeClock(Date.UTC(2026, 0, 1)), random: () => 0 });
  const a = await c.create(pods, pod('a'));
  assert.equal(a.metadata?.namespace, 'default');
  assert.equal(a.metadata?.creationTimestamp, '2026-01-01T00:00:00Z');
  assert.equal(a.metadata?.generation, 1);
  assert.ok(a.metadata?.uid);
  assert.equal(a.apiVersion, 'v1');
  const g = await c.create<KubeObject>(pods, { metadata: { generateName: 'web-' } });
  assert.equal(g.metadata?.name, 'web-bbbbb');
  assert.ok(Number(g.metadata?.resourceVersion) > Number(a.metadata?.resourceVersion));
  await assert.rejects(c.create(pods, pod('a')), isAlreadyExists);
  await assert.rejects(c.create(pods, { metadata: {} }), isInvalid);
  await assert.rejects(c.get(pods, 'zzz'), isNotFound);
});

test('update: Conflict on a stale resourceVersion; status subresource; generation on spec change', async () => {
  const c = new FakeClient();
  const a = await c.create(pods, pod('a'));
  const withStatus = await c.update(pods, { ...a, status: { phase: 'Running' } }, { subresource: 'status' });
  assert.deepEqual(withStatus.status, { phase: 'Running' });
  assert.equal(withStatus.metadata?.generation, 1);
  await assert.rejects(c.update(pods, { ...a, metadata: { ...a.metadata, labels: { x: '1' } } }), isConflict);
  const relabeled = await c.update(pods, { ...withStatus, metadata: { ...withStatus.metadata, labels: { x: '1' } }, status: { phase: 'Failed' } });
  assert.deepEqual(relabeled.status, { phase: 'Running' }, 'main update keeps the stored status');
  assert.equal(relabeled.metadata?.generation, 1);
  const respec = await c.update(pods, { ...relabeled, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } });
  assert.equal(respec.metadata?.generation, 2);
});

test('delete with finalizers marks deletionTimestamp; removing the last finalizer deletes', async () => {
  const c = new FakeClient();
  await c.create(pods, pod('a', {}, { metadata: { name: 'a', finalizers: ['example.com/x'] } }));
  await c.delete(pods, 'a');
  const marked = await c.get(pods, 'a');
  assert.ok(marked.metadata?.deletionTimestamp);
  await c.patch(pods, 'a', 'merge', { metadata: { finalizers: null } });
  await assert.rejects(c.get(pods, 'a'), isNotFound);
});

test('delete preconditions', async () => {
  const c = new FakeClient();
  await c.create(pods, pod('a'));
  await assert.rejects(c.delete(pods, 'a', { preconditions: { uid: 'other' } }), isConflict);
  await c.delete(pods, 'a', { preconditions: { resourceVersion: (await c.get(pods, 'a')).metadata!.resourceVersion! } });
});

test('list and watch with label and field selectors; watch replays from a resourceVersion', async () => {
  const c = new FakeClient();
  await c.create(pods, pod('a', { app: 'web', tier: 'fe' }));
  await c.create(pods, pod('b', { app: 'db' }));
  await c.create({ ...resources.pods, namespace: 'other' }, pod('c', { app: 'web' }));
  const names = async (sel: string) => (await c.list(resources.pods, { labelSelector: sel })).items.map((p) => p.metadata!.name);
  assert.deepEqual(await names('app=web'), ['a', 'c']);
  assert.deepEqual(await names('app!=web'), ['b']);
  assert.deepEqual(await names('app in (db, web),tier'), ['a']);
  assert.deepEqual(await names('app notin (web),!tier'), ['b']);
  assert.deepEqual((await c.list(resources.pods, { fieldSelector: 'metadata.namespace=other' })).items.map((p) => p.metadata!.name), ['c']);
  const list = await c.list(pods);
  assert.equal(list.items.length, 2);
  const rv = list.metadata.resourceVersion!;

  const w = await c.watch(pods, { resourceVersion: rv, labelSelector: 'app=web' });
  const got: string[] = [];
  const done = (async () => {
    for await (const ev of w as AsyncIterable<WatchEvent>) {
      got.push(`${ev.type} ${ev.object.metadata?.name}`);
      if (got.length === 3) w.stop();
    }
  })();
  await c.create(pods, pod('d', { app: 'web' }));
  await c.patch(pods, 'b', 'merge', { metadata: { labels: { app: 'web' } } });
  await c.patch(pods, 'a', 'merge', { metadata: { labels: { app: 'gone' } } });
  await done;
  assert.deepEqual(got, ['ADDED d', 'ADDED b', 'DELETED a'], 'objects entering and leaving the selector');

  const all = await c.watch(pods, {});
  const first: string[] = [];
  for await (const ev of all) {
    first.push(`${ev.type} ${ev.object.metadata?.name}`);
    if (first.length === 3) all.stop();
  }
  assert.deepEqual(first, ['ADDED a', 'ADDED b', 'ADDED d'], 'no resourceVersion: current state first');
});

test('a compacted resourceVersion yields a 410 ERROR event', async () => {
  const c = new FakeClient();
  await c.create(pods, pod('a'));
  await c.create(pods, pod('b'));
  c.tracker.compact();
  const w = await c.watch(pods, { resourceVersion: '1' });
  const events = [];
  for await (const ev of w) events.push(ev);
  assert.equal(events.length, 1);
  assert.equal(events[0]!.type, 'ERROR');
  assert.equal((events[0]!.object as unknown as { code: number }).code, 410);
});

test('patches: merge, strategic (as merge), json', async () => {
  const c = new FakeClient();
  await c.create(pods, pod('a', { x: '1', y: '2' }));
  const m = await c.patch(pods, 'a', 'merge', { metadata: { labels: { x: null, z: '3' } } });
  assert.deepEqual(m.metadata?.labels, { y: '2', z: '3' });
  const s = await c.patch(pods, 'a', 'strategic', { spec: { nodeName: 'n1' } });
  assert.equal((s.spec as { nodeName: string }).nodeName, 'n1');
  const j = await c.patch(pods, 'a', 'json', [
    { op: 'replace', path: '/spec/containers/0/image', value: 'nginx:2' },
    { op: 'add', path: '/metadata/annotations', value: { 'a/b': 'c' } },
    { op: 'remove', path: '/metadata/labels/y' },
  ]);
  assert.equal((j.spec as { containers: { image: string }[] }).containers[0]!.image, 'nginx:2');
  assert.deepEqual(j.metadata?.annotations, { 'a/b': 'c' });
  assert.deepEqual(j.metadata?.labels, { z: '3' });
  await assert.rejects(c.patch(pods, 'a', 'json', [{ op: 'test', path: '/metadata/name', value: 'b' }]), isInvalid);
  await assert.rejects(c.patch(pods, 'a', 'merge', { metadata: { resourceVersion: '1' } }), isConflict);
});

test('pods/binding sets nodeName once; eviction deletes', async () => {
  const c = new FakeClient();
  await c.create(pods, pod('a'));
  await c.create(pods, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'a' }, target: { kind: 'Node', name: 'n1' } }, { subresource: 'binding', name: 'a' });
  assert.equal(((await c.get(pods, 'a')).spec as { nodeName: string }).nodeName, 'n1');
  await assert.rejects(c.create(pods, { metadata: { name: 'a' }, target: { name: 'n2' } }, { subresource: 'binding', name: 'a' }), isConflict);
  await c.create(pods, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'a' } }, { subresource: 'eviction', name: 'a' });
  await assert.rejects(c.get(pods, 'a'), isNotFound);
});

test('actions are recorded in order, with absent fields left out; reactors can answer first', async () => {
  const c = new FakeClient();
  c.seed(resources.deployments, { metadata: { name: 'web', namespace: 'default' }, spec: {} });
  await c.list({ ...resources.pods, namespace: 'default' });
  await c.create(pods, pod('a'));
  await c.patch({ ...resources.deployments, namespace: 'default' }, 'web', 'merge', { spec: { replicas: 2 } }, { subresource: 'scale' });
  await c.delete(resources.nodes, 'n1').catch(() => {});
  c.prependReactor('update', 'pods', () => ({ error: new ApiError('Conflict', 'injected') }));
  await assert.rejects(c.update(pods, pod('a')), isConflict);
  assert.deepEqual(c.actions(), [
    { verb: 'list', resource: 'pods', namespace: 'default' },
    { verb: 'create', resource: 'pods', namespace: 'default', name: 'a', body: pod('a') },
    { verb: 'patch', resource: 'deployments.apps', namespace: 'default', name: 'web', subresource: 'scale', patchType: 'merge', body: { spec: { replicas: 2 } } },
    { verb: 'delete', resource: 'nodes', name: 'n1' },
    { verb: 'update', resource: 'pods', namespace: 'default', name: 'a', body: pod('a') },
  ]);
  assert.deepEqual(c.writes().map((a) => a.verb), ['create', 'patch', 'delete', 'update']);
  c.clearActions();
  assert.deepEqual(c.actions(), []);
});
