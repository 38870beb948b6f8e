import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatch } from './strategic-merge.js';
import { createThreeWayMergePatch as threeWayPatch, createTwoWayMergePatch } from './three-way.js';
import { clone } from './json-value.js';

const DEPLOY = { group: 'apps', version: 'v1', kind: 'Deployment' };
const POD = { group: '', version: 'v1', kind: 'Pod' };
const CRD = { group: 'example.com', version: 'v1', kind: 'Widget' };

type Obj = Record<string, any>;

const createThreeWayMergePatch = (o: unknown, m: unknown, c: unknown, gvk = DEPLOY): Obj => threeWayPatch(o, m, c, gvk);

function deployment(image: string, labels: Obj = { app: 'web' }, containers?: Obj[]): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: containers ?? [{ name: 'nginx', image }] } },
    },
  };
}

/** What the server adds: defaults, status, identity. */
function live(o: Obj): Obj {
  const l = clone(o);
  l.metadata.uid = 'u1';
  l.metadata.resourceVersion = '7';
  l.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
  for (const c of l.spec.template.spec.containers) c.imagePullPolicy = 'IfNotPresent';
  l.status = { replicas: 1 };
  return l;
}

test('kubectl apply: changed image and removed label', () => {
  const original = deployment('nginx:1', { app: 'web', tier: 'front' });
  const modified = deployment('nginx:2', { app: 'web' });
  const current = live(original);
  const patch = createThreeWayMergePatch(original, modified, current, DEPLOY);
  assert.deepEqual(patch, {
    metadata: { labels: { tier: null } },
    spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ name: 'nginx', image: 'nginx:2' }] } } },
  });
  const result = applyStrategicMergePatch(current, patch, DEPLOY) as Obj;
  assert.deepEqual(result.metadata.labels, { app: 'web' });
  assert.deepEqual(result.spec.template.spec.containers, [{ name: 'nginx', image: 'nginx:2', imagePullPolicy: 'IfNotPresent' }]);
  assert.deepEqual(result.status, { replicas: 1 });
  assert.deepEqual(result.spec.strategy, current.spec.strategy);
  // applying the same file again: nothing to do
  assert.deepEqual(createThreeWayMergePatch(modified, modified, result, DEPLOY), {});
});

test('kubectl apply: a removed container becomes a delete directive with the order list', () => {
  const original = deployment('x', undefined, [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }]);
  const modified = deployment('x', undefined, [{ name: 'a', image: 'a' }]);
  const current = live(original);
  const patch = createThreeWayMergePatch(original, modified, current, DEPLOY);
  assert.deepEqual(patch, { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ $patch: 'delete', name: 'b' }] } } } });
  const result = applyStrategicMergePatch(current, patch, DEPLOY) as Obj;
  assert.deepEqual(result.spec.template.spec.containers, [{ name: 'a', image: 'a', imagePullPolicy: 'IfNotPresent' }]);
});

test('kubectl apply: reorder and add containers', () => {
  const original = deployment('x', undefined, [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }]);
  const modified = deployment('x', undefined, [{ name: 'c', image: 'c' }, { name: 'b', image: 'b' }, { name: 'a', image: 'a' }]);
  const current = live(original);
  const patch = createThreeWayMergePatch(original, modified, current, DEPLOY);
  assert.deepEqual(patch.spec.template.spec, {
    '$setElementOrder/containers': [{ name: 'c' }, { name: 'b' }, { name: 'a' }],
    containers: [{ name: 'c', image: 'c' }],
  });
  const result = applyStrategicMergePatch(current, patch, DEPLOY) as Obj;
  assert.deepEqual(result.spec.template.spec.containers.map((c: Obj) => c.name), ['c', 'b', 'a']);
});

test('fields set by others survive; fields removed from the file are deleted', () => {
  const original = deployment('x');
  original.spec.template.spec.containers[0].env = [{ name: 'A', value: '1' }, { name: 'B', value: '2' }];
  const modified = deployment('x');
  modified.spec.template.spec.containers[0].env = [{ name: 'A', value: '1' }];
  const current = live(original);
  current.metadata.annotations = { 'deployment.kubernetes.io/revision': '1' };
  current.spec.template.spec.containers[0].env.push({ name: 'INJECTED', value: 'x' });
  current.spec.replicas = 5; // changed by `kubectl scale`; the file says 1 and wins
  const patch = createThreeWayMergePatch(original, modified, current, DEPLOY);
  const result = applyStrategicMergePatch(current, patch, DEPLOY) as Obj;
  assert.deepEqual(result.spec.template.spec.containers[0].env, [{ name: 'A', value: '1' }, { name: 'INJECTED', value: 'x' }]);
  assert.deepEqual(result.metadata.annotations, { 'deployment.kubernetes.io/revision': '1' });
  assert.equal(result.spec.replicas, 1);
  // a field removed from the file that only the file had
  const noReplicas = clone(modified);
  delete noReplicas.spec.replicas;
  const p2 = createThreeWayMergePatch(modified, noReplicas, result, DEPLOY);
  assert.equal(p2.spec.replicas, null);
});

test('primitive merge lists: additions, deletions, order', () => {
  const original = { metadata: { name: 'p', finalizers: ['a.io/a', 'b.io/b'] } };
  const modified = { metadata: { name: 'p', finalizers: ['a.io/a', 'c.io/c'] } };
  const current = { metadata: { name: 'p', finalizers: ['a.io/a', 'b.io/b', 'x.io/x'] } };
  const patch = createThreeWayMergePatch(original, modified, current, POD);
  assert.deepEqual(patch, { metadata: { finalizers: ['c.io/c'], '$deleteFromPrimitiveList/finalizers': ['b.io/b'], '$setElementOrder/finalizers': ['a.io/a', 'c.io/c'] } });
  assert.deepEqual(applyStrategicMergePatch(current, patch, POD), { metadata: { name: 'p', finalizers: ['a.io/a', 'c.io/c', 'x.io/x'] } });
});

test('retainKeys: switching a deployment to Recreate clears rollingUpdate', () => {
  const original = deployment('x');
  original.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } };
  const modified = deployment('x');
  modified.spec.strategy = { type: 'Recreate' };
  const current = live(original);
  current.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } };
  const patch = createThreeWayMergePatch(original, modified, current, DEPLOY);
  assert.deepEqual(patch.spec.strategy, { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null });
  assert.deepEqual((applyStrategicMergePatch(current, patch, DEPLOY) as Obj).spec.strategy, { type: 'Recreate' });
});

test('volumes carry $retainKeys when their source changes', () => {
  const pod = (vol: Obj): Obj => ({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }], volumes: [vol] } });
  const original = pod({ name: 'v', emptyDir: {} });
  const modified = pod({ name: 'v', configMap: { name: 'cm' } });
  const patch = createThreeWayMergePatch(original, modified, original, POD);
  assert.deepEqual(patch.spec.volumes, [{ name: 'v', $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' }, emptyDir: null }]);
  assert.deepEqual(patch.spec.volumes[0].$retainKeys, ['configMap', 'name']);
  assert.equal(patch.spec.volumes[0].emptyDir, null);
  assert.deepEqual(applyStrategicMergePatch(original, patch, POD), modified);
});

test('first apply (no last-applied) never deletes', () => {
  const modified = deployment('nginx:2', { app: 'web' });
  const current = live(deployment('nginx:1', { app: 'web', extra: 'x' }));
  const patch = createThreeWayMergePatch(undefined, modified, current, DEPLOY);
  const result = applyStrategicMergePatch(current, patch, DEPLOY) as Obj;
  assert.deepEqual(result.metadata.labels, { app: 'web', extra: 'x' });
  assert.equal(result.spec.template.spec.containers[0].image, 'nginx:2');
});

test('custom resources: lists are replaced whole', () => {
  const original = { spec: { items: [1, 2], m: { a: 1, b: 2 } } };
  const modified = { spec: { items: [2], m: { a: 1 } } };
  const patch = createThreeWayMergePatch(original, modified, original, CRD);
  assert.deepEqual(patch, { spec: { items: [2], m: { b: null } } });
  assert.deepEqual(applyStrategicMergePatch(original, patch, CRD), modified);
});

test('two-way patches round trip: apply(original, diff(original, modified)) == modified', () => {
  const base = deployment('a', { app: 'web', x: '1' }, [{ name: 'a', image: 'a', ports: [{ containerPort: 80 }] }, { name: 'b', image: 'b' }]);
  base.metadata.finalizers = ['f.io/1', 'f.io/2'];
  const variants: ((d: Obj) => void)[] = [
    () => {},
    (d) => { d.metadata.labels.x = '2'; },
    (d) => { delete d.metadata.labels.x; },
    (d) => { d.spec.template.spec.containers.reverse(); },
    (d) => { d.spec.template.spec.containers.pop(); },
    (d) => { d.spec.template.spec.containers.push({ name: 'c', image: 'c' }); },
    (d) => { d.spec.template.spec.containers.unshift({ name: 'z', image: 'z' }); },
    (d) => { d.spec.template.spec.containers[0].ports = [{ containerPort: 81 }, { containerPort: 80, name: 'http' }]; },
    (d) => { d.spec.template.spec.containers[0].ports = []; },
    (d) => { delete d.spec.template.spec.containers[0].ports; },
    (d) => { d.spec.template.spec.containers = []; },
    (d) => { d.metadata.finalizers = ['f.io/2', 'f.io/3']; },
    (d) => { d.metadata.finalizers = []; },
    (d) => { d.metadata.finalizers.reverse(); },
    (d) => { d.spec.replicas = 3; d.spec.paused = true; },
    (d) => { d.spec.template.spec.containers[1].args = ['--x']; },
    (d) => { d.spec.template.spec.tolerations = [{ key: 'k' }]; },
    (d) => { d.spec.strategy = { type: 'Recreate' }; },
    (d) => { d.spec = 'weird'; },
  ];
  variants.forEach((mutate, i) => {
    const modified = clone(base);
    mutate(modified);
    const patch = createTwoWayMergePatch(base, modified, DEPLOY);
    assert.deepEqual(applyStrategicMergePatch(base, patch, DEPLOY), modified, `variant ${i}: ${JSON.stringify(patch)}`);
    if (i === 0) assert.deepEqual(patch, {});
    // and the reverse direction
    const back = createTwoWayMergePatch(modified, base, DEPLOY);
    assert.deepEqual(applyStrategicMergePatch(modified, back, DEPLOY), base, `variant ${i} reversed: ${JSON.stringify(back)}`);
  });
});

test('three-way property: result = modified plus what only others set', () => {
  const original = deployment('a', { app: 'web', old: 'y' }, [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }]);
  const modifieds: Obj[] = [
    deployment('a2', { app: 'web' }, [{ name: 'a', image: 'a2' }]),
    deployment('a', { app: 'web', old: 'y', added: 'z' }, [{ name: 'b', image: 'b' }, { name: 'a', image: 'a' }, { name: 'c', image: 'c' }]),
    deployment('a', { app: 'web2' }, []),
  ];
  for (const modified of modifieds) {
    const current = live(original);
    current.metadata.labels.other = 'kept';
    const patch = createThreeWayMergePatch(original, modified, current, DEPLOY);
    const result = applyStrategicMergePatch(current, patch, DEPLOY) as Obj;
    assert.deepEqual(result.metadata.labels, { ...modified.metadata.labels, other: 'kept' });
    assert.deepEqual(result.spec.template.spec.containers.map((c: Obj) => [c.name, c.image]), modified.spec.template.spec.containers.map((c: Obj) => [c.name, c.image]));
    assert.deepEqual(result.status, { replicas: 1 });
    assert.equal(result.metadata.uid, 'u1');
  }
});
