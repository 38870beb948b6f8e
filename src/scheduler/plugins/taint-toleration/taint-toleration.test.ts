import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factory } from './taint-toleration.js';
import { filterAll, instantiate, scoreAll } from '../../testing/plugin-harness.js';
import { makeNode, makePod } from '../../testing/wrappers.js';

test('TaintToleration Filter: NoSchedule and NoExecute taints need a toleration; the message names the taint', () => {
  const nodes = [
    makeNode('gpu').taint({ key: 'gpu', value: 'true', effect: 'NoSchedule' }).info(),
    makeNode('evict').taint({ key: 'maint', effect: 'NoExecute' }).info(),
    makeNode('soft').taint({ key: 'soft', value: 'x', effect: 'PreferNoSchedule' }).info(),
  ];
  const p = instantiate(factory, nodes);
  const cases = [
    { pod: makePod('plain'), want: { gpu: 'node(s) had untolerated taint {gpu: true}', evict: 'node(s) had untolerated taint {maint: }', soft: 'ok' } },
    { pod: makePod('eq').toleration({ key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }), want: { gpu: 'ok', evict: 'node(s) had untolerated taint {maint: }', soft: 'ok' } },
    { pod: makePod('wrong-value').toleration({ key: 'gpu', value: 'false' }), want: { gpu: 'node(s) had untolerated taint {gpu: true}', evict: 'node(s) had untolerated taint {maint: }', soft: 'ok' } },
    { pod: makePod('exists-any-effect').toleration({ key: 'maint', operator: 'Exists' }).toleration({ key: 'gpu', operator: 'Exists' }), want: { gpu: 'ok', evict: 'ok', soft: 'ok' } },
  ];
  for (const c of cases) assert.deepEqual(filterAll(p, c.pod.info(), nodes), c.want, c.pod.pod.metadata!.name);
});

test('TaintToleration Score: fewer untolerated PreferNoSchedule taints is better (reversed normalization)', () => {
  const nodes = [
    makeNode('none').info(),
    makeNode('one').taint({ key: 'a', effect: 'PreferNoSchedule' }).info(),
    makeNode('two').taint({ key: 'a', effect: 'PreferNoSchedule' }).taint({ key: 'b', effect: 'PreferNoSchedule' }).info(),
  ];
  const p = instantiate(factory, nodes);
  assert.deepEqual(scoreAll(p, makePod('x').info(), nodes), { none: 100, one: 50, two: 0 });
  assert.deepEqual(scoreAll(p, makePod('y').toleration({ key: 'a', operator: 'Exists', effect: 'PreferNoSchedule' }).info(), nodes), { none: 100, one: 100, two: 0 });
  assert.deepEqual(scoreAll(p, makePod('z').toleration({ operator: 'Exists' }).info(), nodes), { none: 100, one: 100, two: 100 });
});
