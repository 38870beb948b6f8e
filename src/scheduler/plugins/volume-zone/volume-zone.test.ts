import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factory, ERR_REASON_CONFLICT } from './volume-zone.js';
import { filterAll, instantiate } from '../../testing/plugin-harness.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import type { PersistentVolume, PersistentVolumeClaim } from '../../framework/types.js';

test('VolumeZone: zone-labelled volumes keep the pod in their zone', () => {
  const nodes = [
    makeNode('a').label('topology.kubernetes.io/zone', 'z1').info(),
    makeNode('b').label('topology.kubernetes.io/zone', 'z2').info(),
    makeNode('beta').label('failure-domain.beta.kubernetes.io/zone', 'z2').info(),
    makeNode('unlabelled').info(),
  ];
  const claims: Record<string, PersistentVolumeClaim> = { one: { metadata: { name: 'one' }, spec: { volumeName: 'pv-z2' } }, many: { metadata: { name: 'many' }, spec: { volumeName: 'pv-multi' } } };
  const pvs: Record<string, PersistentVolume> = {
    'pv-z2': { metadata: { name: 'pv-z2', labels: { 'topology.kubernetes.io/zone': 'z2' } } },
    'pv-multi': { metadata: { name: 'pv-multi', labels: { 'failure-domain.beta.kubernetes.io/zone': 'z1__z2' } } },
  };
  const p = instantiate(factory, nodes, undefined, { getPersistentVolumeClaim: (_ns, n) => claims[n], getPersistentVolume: (n) => pvs[n] });
  assert.deepEqual(filterAll(p, makePod('x').pvc('one').info(), nodes), { a: ERR_REASON_CONFLICT, b: 'ok', beta: ERR_REASON_CONFLICT, unlabelled: 'ok' });
  // A beta-labelled PV matches GA node labels too; `__` separates several zones.
  assert.deepEqual(filterAll(p, makePod('y').pvc('many').info(), nodes), { a: 'ok', b: 'ok', beta: 'ok', unlabelled: 'ok' });
  assert.deepEqual(filterAll(p, makePod('z').info(), nodes), { a: 'ok', b: 'ok', beta: 'ok', unlabelled: 'ok' });
});
