import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factory, fitsRequest } from './node-resources-fit.js';
import { factory as balancedFactory } from '../node-resources-balanced-allocation/node-resources-balanced-allocation.js';
import { podRequests } from '../../framework/resource.js';
import { filterAll, instantiate, scoreAll } from '../../testing/plugin-harness.js';
import { makeNode, makePod } from '../../testing/wrappers.js';

test('podRequests: sum of containers, the init-container max rule, sidecars and overhead', () => {
  const cases: { name: string; pod: ReturnType<typeof makePod>; cpu: number; mem?: number }[] = [
    { name: 'containers add up', pod: makePod('a').req({ cpu: '1' }).req({ cpu: '500m' }), cpu: 1500 },
    { name: 'a bigger init container wins', pod: makePod('b').req({ cpu: '1' }).req({ cpu: '2' }).initReq({ cpu: '4' }), cpu: 4000 },
    { name: 'a smaller init container does not count', pod: makePod('c').req({ cpu: '3' }).initReq({ cpu: '1' }), cpu: 3000 },
    { name: 'overhead is added', pod: makePod('d').req({ cpu: '1' }).initReq({ cpu: '4' }).overhead({ cpu: '500m' }), cpu: 4500 },
    { name: 'sidecars run with the app and with later init containers', pod: makePod('e').initReq({ cpu: '1' }, 'Always').initReq({ cpu: '2' }).req({ cpu: '1' }), cpu: 3000 },
    { name: 'sidecars add to the app containers', pod: makePod('f').initReq({ cpu: '1' }, 'Always').req({ cpu: '3' }), cpu: 4000 },
    { name: 'memory in binary units', pod: makePod('g').req({ memory: '1.5Gi' }), cpu: 0, mem: 1.5 * 2 ** 30 },
  ];
  for (const c of cases) {
    const r = podRequests(c.pod.obj());
    assert.equal(r.milliCPU, c.cpu, c.name);
    if (c.mem !== undefined) assert.equal(r.memory, c.mem, c.name);
  }
});

test('Filter: reasons in upstream order and wording', () => {
  const n = makeNode('n').capacity({ cpu: '2', memory: '2Gi', pods: '2', 'ephemeral-storage': '1Gi', 'example.com/gpu': '1' });
  const busy = [makePod('x').req({ cpu: '1', memory: '1Gi' }).obj()];
  const cases: { name: string; pod: ReturnType<typeof makePod>; pods?: typeof busy; want: string }[] = [
    { name: 'fits', pod: makePod('p').req({ cpu: '1', memory: '1Gi' }), pods: busy, want: 'ok' },
    { name: 'cpu', pod: makePod('p').req({ cpu: '1500m' }), pods: busy, want: 'Insufficient cpu' },
    { name: 'cpu and memory', pod: makePod('p').req({ cpu: '2', memory: '2Gi' }), pods: busy, want: 'Insufficient cpu, Insufficient memory' },
    { name: 'ephemeral storage', pod: makePod('p').req({ 'ephemeral-storage': '2Gi' }), want: 'Insufficient ephemeral-storage' },
    { name: 'extended resource', pod: makePod('p').req({ 'example.com/gpu': '2' }), want: 'Insufficient example.com/gpu' },
    { name: 'unknown extended resource', pod: makePod('p').req({ 'example.com/fpga': '1' }), want: 'Insufficient example.com/fpga' },
    { name: 'pod count first', pod: makePod('p').req({ cpu: '3' }), pods: [...busy, makePod('y').obj()], want: 'Too many pods, Insufficient cpu' },
    { name: 'zero request fits a full node', pod: makePod('p'), pods: [makePod('z').req({ cpu: '2' }).obj()], want: 'ok' },
  ];
  for (const c of cases) {
    const plugin = instantiate(factory, []);
    const ni = n.info(...(c.pods ?? []));
    assert.equal(filterAll(plugin, c.pod.info(), [ni]).n, c.want, c.name);
  }
  assert.deepEqual(fitsRequest(makePod('q').req({ cpu: '1' }).info().requests, n.info()), []);
});

test('Score: LeastAllocated (default) and MostAllocated with non-zero request defaults', () => {
  const node = makeNode('n').capacity({ cpu: '4', memory: '8Gi' });
  const pod = makePod('p').req({ cpu: '1', memory: '1Gi' }).info();
  // cpu (4000-1000)*100/4000 = 75, memory 7/8 → 87; mean of 162/2 = 81.
  assert.deepEqual(scoreAll(instantiate(factory, []), pod, [node.info()]), { n: 81 });
  // cpu 25, memory 12; 37/2 → 18.
  assert.deepEqual(scoreAll(instantiate(factory, [], { scoringStrategy: { type: 'MostAllocated' } }), pod, [node.info()]), { n: 18 });
  // A pod without requests counts 100m and 200Mi: cpu 3900*100/4000=97, memory (8192-200)*100/8192=97.
  assert.deepEqual(scoreAll(instantiate(factory, []), makePod('e').container('x').info(), [node.info()]), { n: 97 });
  // Weights: cpu only.
  const cpuOnly = instantiate(factory, [], { scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 1 }] } });
  assert.deepEqual(scoreAll(cpuOnly, pod, [node.info()]), { n: 75 });
  assert.throws(() => instantiate(factory, [], { scoringStrategy: { type: 'Bogus' } }), /unsupported scoring strategy/);
});

test('BalancedAllocation: 100 × (1 − std of the cpu and memory fractions)', () => {
  const node = makeNode('n').capacity({ cpu: '4', memory: '8Gi' });
  const plugin = instantiate(balancedFactory, []);
  // 0.5 and 0.25 → std 0.125 → 87.
  assert.deepEqual(scoreAll(plugin, makePod('p').req({ cpu: '2', memory: '2Gi' }).info(), [node.info()]), { n: 87 });
  // Equal fractions → 100.
  assert.deepEqual(scoreAll(plugin, makePod('p').req({ cpu: '2', memory: '4Gi' }).info(), [node.info()]), { n: 100 });
  // No requests at all → skipped.
  assert.equal(scoreAll(plugin, makePod('p').container('x').info(), [node.info()]), 'skip');
});
