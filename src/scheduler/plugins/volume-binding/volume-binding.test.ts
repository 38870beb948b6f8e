import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factory } from './volume-binding.js';
import { filterAll, instantiate } from '../../testing/plugin-harness.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import type { PersistentVolume, PersistentVolumeClaim } from '../../framework/types.js';

const pvc = (name: string, volumeName?: string): PersistentVolumeClaim => ({ metadata: { name, namespace: 'default' }, spec: { volumeName } });
const localPV = (name: string, node: string): PersistentVolume => ({
  metadata: { name },
  spec: { local: { path: '/mnt/disk' }, nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } } },
});

test('VolumeBinding: a bound local volume pins the pod to its node', () => {
  const nodes = [makeNode('n1').info(), makeNode('n2').info()];
  const claims: Record<string, PersistentVolumeClaim> = { data: pvc('data', 'pv-1'), free: pvc('free', 'pv-any'), unbound: pvc('unbound'), dangling: pvc('dangling', 'gone') };
  const pvs: Record<string, PersistentVolume> = { 'pv-1': localPV('pv-1', 'n2'), 'pv-any': { metadata: { name: 'pv-any' }, spec: {} } };
  const p = instantiate(factory, nodes, undefined, { getPersistentVolumeClaim: (_ns, n) => claims[n], getPersistentVolume: (n) => pvs[n] });
  const cases: { name: string; pod: ReturnType<typeof makePod>; want: Record<string, string> }[] = [
    { name: 'no claims', pod: makePod('a'), want: { n1: 'ok', n2: 'ok' } },
    { name: 'local PV on n2', pod: makePod('b').pvc('data'), want: { n1: 'node(s) had volume node affinity conflict', n2: 'ok' } },
    { name: 'PV without node affinity', pod: makePod('c').pvc('free'), want: { n1: 'ok', n2: 'ok' } },
    { name: 'missing claim', pod: makePod('d').pvc('nope'), want: { n1: 'prefilter: persistentvolumeclaim "nope" not found', n2: 'prefilter: persistentvolumeclaim "nope" not found' } },
    { name: 'unbound claim', pod: makePod('e').pvc('unbound'), want: { n1: 'prefilter: pod has unbound immediate PersistentVolumeClaims', n2: 'prefilter: pod has unbound immediate PersistentVolumeClaims' } },
    { name: 'claim bound to a missing PV', pod: makePod('f').pvc('dangling'), want: { n1: 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)', n2: 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)' } },
  ];
  for (const c of cases) assert.deepEqual(filterAll(p, c.pod.info(), nodes), c.want, c.name);
});
