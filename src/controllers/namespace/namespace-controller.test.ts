import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resources } from '../../client/resource.js';
import { discovered } from '../util/discovery.js';
import { fakeEnv, shutDown } from '../testing/fake-env.js';
import { NamespaceController } from './namespace-controller.js';

test('a terminating namespace: its objects are deleted, then (once empty) the kubernetes finalizer goes via finalize', async () => {
  const env = fakeEnv({ discovery: [discovered(resources.configmaps, 'ConfigMap'), discovered(resources.pods, 'Pod'), discovered(resources.nodes, 'Node', false)] });
  env.seed(resources.namespaces, { metadata: { name: 'doomed', uid: 'ns-uid', deletionTimestamp: '2026-01-01T00:00:00Z' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Terminating' } });
  env.seed(resources.configmaps, { metadata: { name: 'a', namespace: 'doomed', uid: 'cm-a' } });
  env.seed(resources.pods, { metadata: { name: 'p', namespace: 'doomed', uid: 'pod-p', finalizers: ['x/hold'] }, spec: {} });
  // The fake tracker drops a terminating object without metadata.finalizers on any update; the real
  // server keeps a namespace until spec.finalizers is empty. Answer status writes without the tracker.
  env.client.prependReactor('update', 'namespaces', (a) => (a.subresource === 'status' ? { result: a.body } : undefined));
  const c = new NamespaceController(env.ctx);
  await env.start();
  let r = await env.syncOnce(c, 'doomed');
  assert.deepEqual(r.writes.map((w) => [w.verb, w.resource, w.name, w.subresource ?? '']), [
    ['delete', 'configmaps', 'a', ''],
    ['delete', 'pods', 'p', ''],
    ['update', 'namespaces', 'doomed', 'status'],
  ]);
  assert.deepEqual(r.result, { requeueAfterMs: 1000 }, 'the held pod remains');
  await env.client.patch({ ...resources.pods, namespace: 'doomed' }, 'p', 'merge', { metadata: { finalizers: null } });
  await env.settle();
  r = await env.syncOnce(c, 'doomed');
  assert.deepEqual(r.writes, [{ verb: 'update', resource: 'namespaces', name: 'doomed', subresource: 'finalize', body: r.writes[0]!.body }]);
  assert.deepEqual((r.writes[0]!.body as { spec: unknown }).spec, { finalizers: [] });
  shutDown(c);
  await env.stop();
});
