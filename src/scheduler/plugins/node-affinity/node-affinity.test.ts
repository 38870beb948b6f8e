import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factory } from './node-affinity.js';
import { filterAll, instantiate, scoreAll } from '../../testing/plugin-harness.js';
import { makeNode, makePod } from '../../testing/wrappers.js';

const MISMATCH = "node(s) didn't match Pod's node affinity/selector";

const nodes = () => [
  makeNode('a').label('zone', 'z1').label('gen', '3').label('ssd', 'true').info(),
  makeNode('b').label('zone', 'z2').label('gen', '5').info(),
  makeNode('c').label('zone', 'z3').info(),
];

test('NodeAffinity Filter: nodeSelector and every operator of required terms', () => {
  const ns = nodes();
  const p = instantiate(factory, ns);
  const expr = (key: string, operator: string, values?: string[]) => makePod('p').nodeAffinityRequired([{ matchExpressions: [{ key, operator, values }] }]);
  const cases: { name: string; pod: ReturnType<typeof makePod>; ok: string[] }[] = [
    { name: 'no constraints (skipped)', pod: makePod('p'), ok: ['a', 'b', 'c'] },
    { name: 'nodeSelector', pod: makePod('p').nodeSelector({ zone: 'z2' }), ok: ['b'] },
    { name: 'In', pod: expr('zone', 'In', ['z1', 'z3']), ok: ['a', 'c'] },
    { name: 'NotIn (absent label matches)', pod: expr('zone', 'NotIn', ['z1']), ok: ['b', 'c'] },
    { name: 'Exists', pod: expr('ssd', 'Exists'), ok: ['a'] },
    { name: 'DoesNotExist', pod: expr('ssd', 'DoesNotExist'), ok: ['b', 'c'] },
    { name: 'Gt', pod: expr('gen', 'Gt', ['4']), ok: ['b'] },
    { name: 'Lt', pod: expr('gen', 'Lt', ['4']), ok: ['a'] },
    { name: 'terms are ORed', pod: makePod('p').nodeAffinityRequired([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] }, { matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['4'] }] }]), ok: ['a', 'b'] },
    { name: 'expressions in a term are ANDed', pod: makePod('p').nodeAffinityRequired([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1', 'z2'] }, { key: 'gen', operator: 'Lt', values: ['4'] }] }]), ok: ['a'] },
    { name: 'nodeSelector and affinity both apply', pod: makePod('p').nodeSelector({ zone: 'z1' }).nodeAffinityRequired([{ matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['4'] }] }]), ok: [] },
    { name: 'empty term matches nothing', pod: makePod('p').nodeAffinityRequired([{}]), ok: [] },
    { name: 'matchFields NotIn', pod: makePod('p').nodeAffinityRequired([{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['c'] }] }]), ok: ['a', 'b'] },
  ];
  for (const c of cases) {
    const want = Object.fromEntries(ns.map((n) => [n.name, c.ok.includes(n.name) ? 'ok' : MISMATCH]));
    assert.deepEqual(filterAll(p, c.pod.info(), ns), want, c.name);
  }
});

test('NodeAffinity PreFilter: matchFields metadata.name In narrows the candidate nodes', () => {
  const ns = nodes();
  const p = instantiate(factory, ns);
  const pod = makePod('p').nodeAffinityRequired([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['c'] }] }]);
  assert.deepEqual(filterAll(p, pod.info(), ns), { a: 'excluded', b: 'excluded', c: 'ok' });
});

test('NodeAffinity Score: weights of matching preferred terms, scaled to 100', () => {
  const ns = nodes();
  const p = instantiate(factory, ns);
  const pod = makePod('p').nodeAffinityPreferred(10, 'zone', 'In', ['z1']).nodeAffinityPreferred(30, 'gen', 'Exists').info();
  assert.deepEqual(scoreAll(p, pod, ns), { a: 100, b: 75, c: 0 });
  assert.equal(scoreAll(p, makePod('q').info(), ns), 'skip');
});

test('NodeAffinity: addedAffinity from the profile is enforced with its own message', () => {
  const ns = nodes();
  const p = instantiate(factory, ns, { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z3'] }] }] } } });
  assert.deepEqual(filterAll(p, makePod('p').info(), ns), { a: "node(s) didn't match scheduler-enforced node affinity", b: "node(s) didn't match scheduler-enforced node affinity", c: 'ok' });
});
