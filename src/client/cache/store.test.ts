import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { NAMESPACE_INDEX, ThreadSafeStore, namespaceIndexFunc } from './store.js';
import { GenericLister } from './lister.js';
import { DeletedFinalStateUnknown, deletionHandlingKey, metaNamespaceKey, splitMetaNamespaceKey } from './keys.js';

const pod = (ns: string, name: string, node = '', labels: Record<string, string> = {}): KubeObject =>
  ({ metadata: { namespace: ns, name, labels }, spec: { nodeName: node } });
const byNode = (o: KubeObject) => [(o.spec as { nodeName: string }).nodeName];

test('keys: namespace/name, name for cluster-scoped, tombstones, split', () => {
  assert.equal(metaNamespaceKey(pod('ns', 'a')), 'ns/a');
  assert.equal(metaNamespaceKey({ metadata: { name: 'node1' } }), 'node1');
  assert.equal(deletionHandlingKey(new DeletedFinalStateUnknown('x/y', pod('x', 'y'))), 'x/y');
  assert.deepEqual(splitMetaNamespaceKey('ns/a'), { namespace: 'ns', name: 'a' });
  assert.deepEqual(splitMetaNamespaceKey('a'), { namespace: '', name: 'a' });
  assert.throws(() => splitMetaNamespaceKey('a/b/c'));
});

test('indexes follow adds, updates, deletes and replace', () => {
  const s = new ThreadSafeStore<KubeObject>(undefined, { [NAMESPACE_INDEX]: namespaceIndexFunc, node: byNode });
  s.add(pod('a', 'p1', 'n1'));
  s.add(pod('a', 'p2', 'n1'));
  s.add(pod('b', 'p3', 'n2'));
  assert.deepEqual(s.indexKeys('node', 'n1').sort(), ['a/p1', 'a/p2']);
  assert.deepEqual(s.byIndex(NAMESPACE_INDEX, 'b').map(metaNamespaceKey), ['b/p3']);
  s.update(pod('a', 'p2', 'n2'));
  assert.deepEqual(s.indexKeys('node', 'n1'), ['a/p1']);
  assert.deepEqual(s.indexKeys('node', 'n2').sort(), ['a/p2', 'b/p3']);
  assert.deepEqual(s.index('node', pod('z', 'z', 'n2')).map(metaNamespaceKey).sort(), ['a/p2', 'b/p3']);
  s.delete(pod('a', 'p1'));
  assert.deepEqual(s.listIndexFuncValues('node'), ['n2']);
  s.replace([pod('c', 'p9', 'n3')]);
  assert.deepEqual(s.listKeys(), ['c/p9']);
  assert.deepEqual(s.listIndexFuncValues('node'), ['n3']);
  assert.throws(() => s.byIndex('nope', 'x'), /does not exist/);
});

test('indexers added later index existing objects; duplicates are refused', () => {
  const s = new ThreadSafeStore<KubeObject>();
  s.add(pod('a', 'p1', 'n1'));
  s.addIndexers({ node: byNode });
  assert.deepEqual(s.indexKeys('node', 'n1'), ['a/p1']);
  assert.throws(() => s.addIndexers({ node: byNode }), /conflict/);
});

test('lister: by namespace, by name, by label selector', () => {
  const s = new ThreadSafeStore<KubeObject>(undefined, { [NAMESPACE_INDEX]: namespaceIndexFunc });
  s.add(pod('a', 'web', '', { app: 'web' }));
  s.add(pod('a', 'db', '', { app: 'db' }));
  s.add(pod('b', 'web', '', { app: 'web' }));
  s.add({ metadata: { name: 'node1' } });
  const l = new GenericLister(s);
  const web = { matches: (l?: Record<string, string>) => l?.app === 'web' };
  assert.equal(l.list(web).length, 2);
  assert.deepEqual(l.namespaced('a').list(web).map(metaNamespaceKey), ['a/web']);
  assert.equal(l.namespaced('a').get('db')?.metadata?.name, 'db');
  assert.equal(l.namespaced('a').get('nope'), undefined);
  assert.equal(l.get('node1')?.metadata?.name, 'node1');
});
