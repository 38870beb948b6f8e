import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectStore } from './object-store.js';
import { makePod } from './testing/wrappers.js';

test('ObjectStore keeps claims, volumes, budgets and namespaces from events', () => {
  const s = new ObjectStore();
  s.apply({ kind: 'PersistentVolumeClaim', type: 'ADDED', object: { metadata: { name: 'data', namespace: 'ns1' }, spec: { volumeName: 'pv1' } } });
  s.apply({ kind: 'PersistentVolume', type: 'ADDED', object: { metadata: { name: 'pv1' } } });
  s.apply({ kind: 'PodDisruptionBudget', type: 'ADDED', object: { metadata: { name: 'b', namespace: 'ns1' } } });
  s.apply({ kind: 'Namespace', type: 'ADDED', object: { metadata: { name: 'ns1', labels: { team: 'a' } } } });
  assert.equal(s.getPersistentVolumeClaim('ns1', 'data')?.spec?.volumeName, 'pv1');
  assert.ok(s.getPersistentVolume('pv1'));
  assert.equal(s.listPodDisruptionBudgets('ns1').length, 1);
  assert.equal(s.listPodDisruptionBudgets('other').length, 0);
  assert.deepEqual(s.namespaceLabels('ns1'), { team: 'a' });
  s.apply({ kind: 'PersistentVolume', type: 'DELETED', object: { metadata: { name: 'pv1' } } });
  assert.equal(s.getPersistentVolume('pv1'), undefined);
  assert.equal(s.apply({ kind: 'Pod', type: 'ADDED', object: {} }), false);
});

test('defaultSpreadSelector: Services selecting the pod and its controlling ReplicaSet, ANDed', () => {
  const s = new ObjectStore();
  s.apply({ kind: 'Service', type: 'ADDED', object: { metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' } } } });
  s.apply({ kind: 'Service', type: 'ADDED', object: { metadata: { name: 'other', namespace: 'default' }, spec: { selector: { app: 'db' } } } });
  s.apply({ kind: 'ReplicaSet', type: 'ADDED', object: { metadata: { name: 'web-1', namespace: 'default', uid: 'rs1' }, spec: { selector: { matchLabels: { app: 'web', hash: 'x' } } } } });
  const pod = makePod('p').label('app', 'web').label('hash', 'x').obj();
  assert.deepEqual(s.defaultSpreadSelector(pod), { matchLabels: { app: 'web' } });
  pod.metadata!.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'rs1', controller: true }];
  assert.deepEqual(s.defaultSpreadSelector(pod), { matchLabels: { app: 'web', hash: 'x' } });
  assert.equal(s.defaultSpreadSelector(makePod('q').label('app', 'none').obj()), null);
});
