import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factory } from './node-unschedulable.js';
import { filterAll, instantiate } from '../../testing/plugin-harness.js';
import { makeNode, makePod } from '../../testing/wrappers.js';

test('NodeUnschedulable: cordoned nodes refuse pods unless they tolerate the unschedulable taint', () => {
  const nodes = [makeNode('cordoned').unschedulable().info(), makeNode('open').info()];
  const p = instantiate(factory, nodes);
  const cases = [
    { pod: makePod('plain'), want: { cordoned: 'node(s) were unschedulable', open: 'ok' } },
    { pod: makePod('tolerant').toleration({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }), want: { cordoned: 'ok', open: 'ok' } },
    { pod: makePod('all').toleration({ operator: 'Exists' }), want: { cordoned: 'ok', open: 'ok' } },
    { pod: makePod('wrong-effect').toleration({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoExecute' }), want: { cordoned: 'node(s) were unschedulable', open: 'ok' } },
  ];
  for (const c of cases) assert.deepEqual(filterAll(p, c.pod.info(), nodes), c.want, c.pod.pod.metadata!.name);
});
