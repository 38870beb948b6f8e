import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ApiError } from '../../api/errors.js';
import type { LimitRange, Pod } from '../../api/types.js';
import type { ResourceEntry } from '../registry/catalog.js';
import type { AdmissionAttributes } from './admission.js';
import { LIMIT_RANGER_ANNOTATION, limitRanger } from './limit-ranger.js';

const podsEntry = { resource: 'pods', group: '', namespaced: true } as unknown as ResourceEntry;

function lr(limits: unknown[]): LimitRange {
  return { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'lr', namespace: 'ns' }, spec: { limits } } as LimitRange;
}

function pod(containers: { name: string; requests?: Record<string, string>; limits?: Record<string, string> }[]): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'ns' },
    spec: { containers: containers.map((c) => ({ name: c.name, image: 'i', resources: { ...(c.requests && { requests: c.requests }), ...(c.limits && { limits: c.limits }) } })) },
  } as Pod;
}

async function admit(ranges: LimitRange[], p: Pod, op: 'CREATE' | 'UPDATE' = 'CREATE'): Promise<Pod> {
  const plugin = limitRanger((ns) => (ns === 'ns' ? ranges : []));
  const a: AdmissionAttributes = { operation: op, entry: podsEntry, subresource: '', namespace: 'ns', name: 'x', object: p, dryRun: false };
  await plugin.mutate!(a);
  await plugin.validate!(a);
  return a.object as Pod;
}

async function rejection(ranges: LimitRange[], p: Pod): Promise<ApiError> {
  try {
    await admit(ranges, p);
  } catch (err) {
    assert.ok(err instanceof ApiError);
    return err;
  }
  assert.fail('admitted');
}

test('defaults missing requests and limits from the Container item, and annotates the pod', async () => {
  const out = await admit([lr([{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m' } }])],
    pod([{ name: 'a' }, { name: 'b', limits: { cpu: '1' } }]));
  assert.deepEqual(out.spec!.containers[0]!.resources, { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '256Mi' } });
  assert.deepEqual(out.spec!.containers[1]!.resources, { limits: { cpu: '1', memory: '256Mi' }, requests: { cpu: '100m', memory: '256Mi' } });
  assert.equal(out.metadata!.annotations![LIMIT_RANGER_ANNOTATION],
    'LimitRanger plugin set: cpu, memory request for container a; cpu, memory limit for container a; cpu, memory request for container b; memory limit for container b');
});

test('the pod\'s QoS class follows the defaults', async () => {
  const p = pod([{ name: 'a' }]);
  p.status = { phase: 'Pending', qosClass: 'BestEffort' };
  const out = await admit([lr([{ type: 'Container', default: { cpu: '1', memory: '1Gi' } }])], p);
  assert.equal(out.status!.qosClass, 'Guaranteed');
});

test('max and min become default limit and request (LimitRange defaulting)', async () => {
  const out = await admit([lr([{ type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' } }])], pod([{ name: 'a' }]));
  assert.deepEqual(out.spec!.containers[0]!.resources, { limits: { cpu: '2' }, requests: { cpu: '2', memory: '64Mi' } });
});

test('a container over max is Forbidden with upstream\'s message', async () => {
  const err = await rejection([lr([{ type: 'Container', max: { cpu: '1' } }])], pod([{ name: 'a', limits: { cpu: '2' } }]));
  assert.equal(err.code, 403);
  assert.equal(err.message, 'pods "x" is forbidden: maximum cpu usage per Container is 1, but limit is 2');
});

test('several violations are listed in brackets; min, missing request and ratio messages', async () => {
  const err = await rejection([lr([{ type: 'Container', max: { cpu: '1', memory: '1Gi' } }])], pod([{ name: 'a', limits: { cpu: '2', memory: '1536Mi' } }]));
  assert.equal(err.message, 'pods "x" is forbidden: [maximum cpu usage per Container is 1, but limit is 2, maximum memory usage per Container is 1Gi, but limit is 1536Mi]');
  const min = await rejection([lr([{ type: 'Container', min: { cpu: '200m' }, defaultRequest: { cpu: '300m' } }])], pod([{ name: 'a', requests: { cpu: '100m' } }]));
  assert.equal(min.message, 'pods "x" is forbidden: minimum cpu usage per Container is 200m, but request is 100m');
  const ratio = await rejection([lr([{ type: 'Container', maxLimitRequestRatio: { cpu: '2' } }])], pod([{ name: 'a', requests: { cpu: '100m' }, limits: { cpu: '500m' } }]));
  assert.equal(ratio.message, 'pods "x" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 5.000000');
  const noReq = await rejection([lr([{ type: 'Container', maxLimitRequestRatio: { memory: '2' } }])], pod([{ name: 'a' }]));
  assert.equal(noReq.message, 'pods "x" is forbidden: memory max limit to request ratio per Container is 2, but no request is specified or request is 0');
});

test('Pod items check the sum over containers', async () => {
  const ranges = [lr([{ type: 'Pod', max: { cpu: '1', memory: '1Gi' } }])];
  await admit(ranges, pod([{ name: 'a', limits: { cpu: '500m', memory: '512Mi' } }, { name: 'b', limits: { cpu: '500m', memory: '512Mi' } }]));
  const err = await rejection(ranges, pod([{ name: 'a', limits: { cpu: '600m', memory: '512Mi' } }, { name: 'b', limits: { cpu: '500m', memory: '512Mi' } }]));
  assert.equal(err.message, 'pods "x" is forbidden: maximum cpu usage per Pod is 1, but limit is 1100m');
  const missing = await rejection(ranges, pod([{ name: 'a', limits: { cpu: '500m', memory: '512Mi' } }, { name: 'b', limits: { cpu: '500m' } }]));
  assert.equal(missing.message, 'pods "x" is forbidden: maximum memory usage per Pod is 1Gi.  No limit is specified');
});

test('within the range, other namespaces and updates are admitted untouched', async () => {
  const ranges = [lr([{ type: 'Container', max: { cpu: '1' }, min: { cpu: '100m' } }])];
  await admit(ranges, pod([{ name: 'a', requests: { cpu: '100m' }, limits: { cpu: '1' } }]));
  const p = pod([{ name: 'a', limits: { cpu: '2' } }]);
  await admit(ranges, p, 'UPDATE');
  assert.deepEqual(p.spec!.containers[0]!.resources, { limits: { cpu: '2' } });
  const plugin = limitRanger(() => []);
  await plugin.validate!({ operation: 'CREATE', entry: podsEntry, subresource: '', namespace: 'other', name: 'x', object: p, dryRun: false });
});
