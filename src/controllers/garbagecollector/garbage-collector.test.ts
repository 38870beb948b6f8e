import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { resources } from '../../client/resource.js';
import { discovered } from '../util/discovery.js';
import { fakeEnv, shutDown } from '../testing/fake-env.js';
import { GarbageCollector } from './garbage-collector.js';

const discovery = [discovered(resources.replicasets, 'ReplicaSet'), discovered(resources.pods, 'Pod'), discovered(resources.configmaps, 'ConfigMap')];
const owner = (uid: string, name = 'web') => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid, controller: true, blockOwnerDeletion: true });
const pod = (name: string, refs: object[], extra: Record<string, unknown> = {}): KubeObject => ({ metadata: { name, namespace: 'default', uid: `uid-${name}`, ownerReferences: refs as never, ...extra }, spec: {} });

async function gcEnv() {
  const env = fakeEnv({ discovery });
  const gc = new GarbageCollector(env.ctx);
  return { env, gc };
}

test('a dependent whose only owner is gone is deleted (background), checked against the API first', async () => {
  const { env, gc } = await gcEnv();
  env.seed(resources.pods, pod('orphaned', [owner('gone-uid')]));
  await gc.watchResources(env.signal);
  await env.start();
  const { writes } = await env.syncOnce(gc, '/v1/pods|default/orphaned');
  assert.deepEqual(writes, [{ verb: 'delete', resource: 'pods', namespace: 'default', name: 'orphaned', body: { propagationPolicy: 'Background', preconditions: { uid: 'uid-orphaned' } } }]);
  assert.deepEqual(env.client.actions().filter((a) => a.verb === 'get').map((a) => [a.resource, a.name]), [['replicasets.apps', 'web']]);
  shutDown(gc);
  await env.stop();
});

test('an owner that exists keeps its dependent; a replaced owner (other uid) counts as gone', async () => {
  const { env, gc } = await gcEnv();
  env.seed(resources.replicasets, { metadata: { name: 'web', namespace: 'default', uid: 'rs-1' }, spec: {} });
  env.seed(resources.pods, pod('kept', [owner('rs-1')]), pod('stale', [owner('rs-0')]), pod('mixed', [owner('rs-1'), { ...owner('rs-0', 'old'), controller: false }]));
  await gc.watchResources(env.signal);
  await env.start();
  assert.deepEqual((await env.syncOnce(gc, '/v1/pods|default/kept')).writes, []);
  assert.deepEqual((await env.syncOnce(gc, '/v1/pods|default/stale')).writes.map((w) => [w.verb, w.name]), [['delete', 'stale']]);
  assert.deepEqual((await env.syncOnce(gc, '/v1/pods|default/mixed')).writes.map((w) => [w.verb, w.name, (w.body as { metadata: { ownerReferences: { uid: string }[] } }).metadata.ownerReferences.map((r) => r.uid)]), [['patch', 'mixed', ['rs-1']]]);
  shutDown(gc);
  await env.stop();
});

test('orphan finalizer: references removed from dependents, then the finalizer', async () => {
  const { env, gc } = await gcEnv();
  env.seed(resources.replicasets, { metadata: { name: 'web', namespace: 'default', uid: 'rs-1', finalizers: ['orphan'], deletionTimestamp: '2026-01-01T00:00:00Z' }, spec: {} });
  env.seed(resources.pods, pod('a', [owner('rs-1')]));
  await gc.watchResources(env.signal);
  await env.start();
  const { writes } = await env.syncOnce(gc, 'apps/v1/replicasets|default/web');
  const meta = (w: { body?: unknown }) => (w.body as { metadata: Record<string, unknown> }).metadata;
  assert.deepEqual(writes.map((w) => [w.verb, w.resource, w.name, 'ownerReferences' in meta(w) ? ['ownerReferences', meta(w).ownerReferences] : ['finalizers', meta(w).finalizers]]), [
    ['patch', 'pods', 'a', ['ownerReferences', null]],
    ['patch', 'replicasets.apps', 'web', ['finalizers', null]],
  ]);
  shutDown(gc);
  await env.stop();
});

test('foreground: blocking dependents are deleted in foreground; the finalizer goes once none is left', async () => {
  const { env, gc } = await gcEnv();
  const rs = { metadata: { name: 'web', namespace: 'default', uid: 'rs-1', finalizers: ['foregroundDeletion'], deletionTimestamp: '2026-01-01T00:00:00Z' }, spec: {} };
  env.seed(resources.replicasets, rs);
  env.seed(resources.pods, pod('a', [owner('rs-1')]));
  await gc.watchResources(env.signal);
  await env.start();
  // The owner waits: nothing to write for it yet; the dependent is deleted in foreground.
  assert.deepEqual((await env.syncOnce(gc, 'apps/v1/replicasets|default/web')).writes, []);
  assert.deepEqual((await env.syncOnce(gc, '/v1/pods|default/a')).writes, [{ verb: 'delete', resource: 'pods', namespace: 'default', name: 'a', body: { propagationPolicy: 'Foreground', preconditions: { uid: 'uid-a' } } }]);
  await env.settle();
  const rv = (await env.client.get({ ...resources.replicasets, namespace: 'default' }, 'web')).metadata!.resourceVersion;
  assert.deepEqual((await env.syncOnce(gc, 'apps/v1/replicasets|default/web')).writes.map((w) => [w.verb, w.name, w.body]), [
    ['patch', 'web', { metadata: { finalizers: null, resourceVersion: rv } }],
  ]);
  shutDown(gc);
  await env.stop();
});
