import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, isBadRequest, isInvalid } from '../errors.js';
import { applyStrategicMergePatch } from './strategic-merge.js';

const POD = { group: '', version: 'v1', kind: 'Pod' };
const DEPLOY = { group: 'apps', version: 'v1', kind: 'Deployment' };
const SVC = { group: '', version: 'v1', kind: 'Service' };
const NODE = { group: '', version: 'v1', kind: 'Node' };
const SA = { group: '', version: 'v1', kind: 'ServiceAccount' };
const CRD = { group: 'example.com', version: 'v1', kind: 'Widget' };
const CM = { group: '', version: 'v1', kind: 'ConfigMap' };
const JOB = { group: 'batch', version: 'v1', kind: 'Job' };
const CRON = { group: 'batch', version: 'v1', kind: 'CronJob' };

const smp = (doc: unknown, patch: unknown, gvk = POD): unknown => applyStrategicMergePatch(doc, patch, gvk);
const pod = (spec: unknown, metadata: unknown = { name: 'p' }): unknown => ({ apiVersion: 'v1', kind: 'Pod', metadata, spec });
const c = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ name, ...extra });

function failsWith(doc: unknown, patch: unknown, check: (e: unknown) => boolean, gvk = POD): void {
  assert.throws(() => smp(doc, patch, gvk), (e: unknown) => {
    assert.ok(e instanceof ApiError, String(e));
    return check(e);
  });
}

test('maps merge, null deletes, scalars replace', () => {
  const doc = { metadata: { name: 'p', labels: { a: '1', b: '2' }, annotations: { x: 'y' } }, spec: { restartPolicy: 'Always' } };
  assert.deepEqual(smp(doc, { metadata: { labels: { a: null, c: '3' } } }), { metadata: { name: 'p', labels: { b: '2', c: '3' }, annotations: { x: 'y' } }, spec: { restartPolicy: 'Always' } });
  assert.deepEqual(smp(doc, { metadata: { annotations: null } }), { metadata: { name: 'p', labels: { a: '1', b: '2' } }, spec: { restartPolicy: 'Always' } });
  assert.deepEqual(smp(doc, { spec: { restartPolicy: 'Never' } }), { ...doc, spec: { restartPolicy: 'Never' } });
  assert.deepEqual(smp(doc, { spec: 'x' }), { ...doc, spec: 'x' });
  assert.deepEqual(smp(doc, {}), doc);
  assert.deepEqual(smp(doc, { missing: null }), doc);
  assert.deepEqual(smp(doc, { spec: { nodeSelector: { disk: 'ssd', gone: null } } }), { ...doc, spec: { restartPolicy: 'Always', nodeSelector: { disk: 'ssd' } } });
  // inputs are not mutated
  assert.deepEqual(doc.metadata.labels, { a: '1', b: '2' });
});

test('containers merge by name; new items first (as upstream), unnamed items are an error', () => {
  const doc = pod({ containers: [c('a', { image: 'a:1' }), c('b', { image: 'b:1' })] });
  assert.deepEqual(smp(doc, { spec: { containers: [c('b', { image: 'b:2' })] } }), pod({ containers: [c('a', { image: 'a:1' }), c('b', { image: 'b:2' })] }));
  assert.deepEqual(smp(doc, { spec: { containers: [c('z', { image: 'z:1' })] } }), pod({ containers: [c('z', { image: 'z:1' }), c('a', { image: 'a:1' }), c('b', { image: 'b:1' })] }));
  assert.deepEqual(smp(doc, { spec: { containers: [c('a', { image: null, args: ['x'] })] } }), pod({ containers: [c('a', { args: ['x'] }), c('b', { image: 'b:1' })] }));
  assert.deepEqual(smp(doc, { spec: { initContainers: [c('i', { image: 'i' })] } }), pod({ containers: [c('a', { image: 'a:1' }), c('b', { image: 'b:1' })], initContainers: [c('i', { image: 'i' })] }));
  failsWith(doc, { spec: { containers: [{ image: 'x' }] } }, (e) => isBadRequest(e) && (e as Error).message === 'map: map[image:x] does not contain declared merge key: name');
});

test('the kubectl patch documentation examples', () => {
  // "Use a strategic merge patch to update a Deployment": containers merged, tolerations replaced
  const d = { spec: { template: { spec: { containers: [c('patch-demo-ctr', { image: 'nginx' })], tolerations: [{ effect: 'NoSchedule', key: 'dedicated', value: 'test-team' }] } } } };
  assert.deepEqual(applyStrategicMergePatch(d, { spec: { template: { spec: { containers: [c('patch-demo-ctr-2', { image: 'redis' })] } } } }, DEPLOY),
    { spec: { template: { spec: { containers: [c('patch-demo-ctr-2', { image: 'redis' }), c('patch-demo-ctr', { image: 'nginx' })], tolerations: d.spec.template.spec.tolerations } } } });
  assert.deepEqual(applyStrategicMergePatch(d, { spec: { template: { spec: { tolerations: [{ effect: 'NoSchedule', key: 'disktype', value: 'ssd' }] } } } }, DEPLOY),
    { spec: { template: { spec: { containers: d.spec.template.spec.containers, tolerations: [{ effect: 'NoSchedule', key: 'disktype', value: 'ssd' }] } } } });
  // "$patch: replace" on a list: the containers list becomes exactly the patch's
  assert.deepEqual(applyStrategicMergePatch(d, { spec: { template: { spec: { containers: [c('x', { image: 'x' }), { $patch: 'replace' }] } } } }, DEPLOY),
    { spec: { template: { spec: { containers: [c('x', { image: 'x' })], tolerations: d.spec.template.spec.tolerations } } } });
  // retainKeys: switching a deployment's strategy from RollingUpdate to Recreate
  const rolling = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } } };
  assert.deepEqual(applyStrategicMergePatch(rolling, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, DEPLOY), { spec: { strategy: { type: 'Recreate' } } });
  // without retainKeys the old rollingUpdate stays (a merge)
  assert.deepEqual(applyStrategicMergePatch(rolling, { spec: { strategy: { type: 'Recreate' } } }, DEPLOY), { spec: { strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } } });
});

test('$patch: delete removes a list item by merge key; in a map it empties the map', () => {
  const doc = pod({ containers: [c('a'), c('b'), c('c')] });
  assert.deepEqual(smp(doc, { spec: { containers: [{ name: 'b', $patch: 'delete' }] } }), pod({ containers: [c('a'), c('c')] }));
  assert.deepEqual(smp(doc, { spec: { containers: [{ name: 'nope', $patch: 'delete' }] } }), doc);
  assert.deepEqual(smp(doc, { spec: { containers: [{ name: 'a', $patch: 'delete' }, c('d', { image: 'd' })] } }), pod({ containers: [c('d', { image: 'd' }), c('b'), c('c')] }));
  failsWith(doc, { spec: { containers: [{ $patch: 'delete' }] } }, (e) => isBadRequest(e) && /does not contain declared merge key: name/.test((e as Error).message));
  assert.deepEqual(smp({ metadata: { labels: { a: '1' } } }, { metadata: { labels: { $patch: 'delete' } } }), { metadata: { labels: {} } });
  assert.deepEqual(smp({ metadata: { labels: { a: '1' } } }, { metadata: { labels: { $patch: 'replace', b: '2' } } }), { metadata: { labels: { b: '2' } } });
  failsWith(doc, { spec: { $patch: 'frobnicate' } }, (e) => isBadRequest(e) && /^unknown patch type: frobnicate in map: /.test((e as Error).message));
  failsWith(doc, { spec: { containers: [{ name: 'a', $patch: 'merge' }] } }, (e) => isBadRequest(e) && (e as Error).message === 'merging lists cannot yet be specified in the patch');
});

test('ports by containerPort, env by name, volumeMounts by mountPath, volumes by name', () => {
  const doc = pod({
    containers: [c('a', {
      ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }],
      env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
      volumeMounts: [{ name: 'v', mountPath: '/data' }],
    })],
    volumes: [{ name: 'v', emptyDir: {} }],
  });
  const out = smp(doc, {
    spec: {
      containers: [c('a', {
        ports: [{ containerPort: 80, name: 'web' }],
        env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }],
        volumeMounts: [{ mountPath: '/data', readOnly: true }],
      })],
      volumes: [{ name: 'v', $retainKeys: ['name', 'configMap'], configMap: { name: 'cm' } }],
    },
  });
  assert.deepEqual(out, pod({
    containers: [c('a', {
      ports: [{ containerPort: 80, name: 'web' }, { containerPort: 443 }],
      env: [{ name: 'A', value: '1' }, { name: 'B', value: '3' }, { name: 'C', value: '4' }],
      volumeMounts: [{ name: 'v', mountPath: '/data', readOnly: true }],
    })],
    volumes: [{ name: 'v', configMap: { name: 'cm' } }],
  }));
});

test('primitive merge lists: finalizers union, $deleteFromPrimitiveList, $setElementOrder', () => {
  const doc = { metadata: { name: 'x', finalizers: ['a.io/x', 'b.io/y'] } };
  assert.deepEqual(smp(doc, { metadata: { finalizers: ['c.io/z'] } }), { metadata: { name: 'x', finalizers: ['c.io/z', 'a.io/x', 'b.io/y'] } });
  assert.deepEqual(smp(doc, { metadata: { finalizers: ['a.io/x'] } }), doc);
  assert.deepEqual(smp(doc, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a.io/x'] } }), { metadata: { name: 'x', finalizers: ['b.io/y'] } });
  assert.deepEqual(smp(doc, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a.io/x', 'b.io/y'] } }), { metadata: { name: 'x', finalizers: [] } });
  assert.deepEqual(smp(doc, { metadata: { '$deleteFromPrimitiveList/finalizers': ['zzz'] } }), doc);
  assert.deepEqual(smp({ metadata: {} }, { metadata: { '$deleteFromPrimitiveList/finalizers': ['zzz'] } }), { metadata: {} });
  assert.deepEqual(smp(doc, {
    metadata: { '$setElementOrder/finalizers': ['b.io/y', 'c.io/z'], finalizers: ['c.io/z'], '$deleteFromPrimitiveList/finalizers': ['a.io/x'] },
  }), { metadata: { name: 'x', finalizers: ['b.io/y', 'c.io/z'] } });
  failsWith(doc, { metadata: { '$deleteFromPrimitiveList/finalizers': 'a.io/x' } }, (e) => isBadRequest(e) && (e as Error).message === 'invalid patch format of primitive list');
  // a list without merge strategy is replaced
  assert.deepEqual(smp(pod({ containers: [c('a', { args: ['1', '2'] })] }), { spec: { containers: [c('a', { args: ['3'] })] } }), pod({ containers: [c('a', { args: ['3'] })] }));
});

test('$setElementOrder orders merged lists of objects', () => {
  const doc = pod({ containers: [c('a', { image: '1' }), c('b', { image: '1' }), c('c', { image: '1' })] });
  assert.deepEqual(smp(doc, { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }, { name: 'b' }] } }),
    pod({ containers: [c('c', { image: '1' }), c('a', { image: '1' }), c('b', { image: '1' })] }));
  assert.deepEqual(smp(doc, { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'd' }], containers: [c('d', { image: '2' })] } }),
    pod({ containers: [c('a', { image: '1' }), c('b', { image: '1' }), c('d', { image: '2' }), c('c', { image: '1' })] }));
  // order list naming items only on the server keeps server-only items interleaved by live order
  assert.deepEqual(smp(doc, { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'b' }], containers: [c('b', { image: '2' })] } }),
    pod({ containers: [c('a', { image: '1' }), c('c', { image: '1' }), c('b', { image: '2' })] }));
  // the list does not exist yet
  assert.deepEqual(smp(pod({}), { spec: { '$setElementOrder/containers': [{ name: 'y' }, { name: 'x' }], containers: [c('y'), c('x')] } }), pod({ containers: [c('y'), c('x')] }));
  failsWith(pod({}), { spec: { '$setElementOrder/containers': [{ name: 'y' }, { name: 'x' }], containers: [c('x'), c('y')] } }, (e) => isBadRequest(e) && /^The order in patch list:/.test((e as Error).message));
  assert.deepEqual(smp(pod({}), { spec: { '$setElementOrder/containers': [{ name: 'y' }] } }), pod({}));
  failsWith(doc, { spec: { '$setElementOrder/containers': 'x' } }, (e) => isBadRequest(e) && (e as Error).message === 'invalid patch format of setElementOrder list');
  failsWith(doc, { spec: { '$setElementOrder/containers': [{ image: 'x' }] } }, (e) => isBadRequest(e) && (e as Error).message === 'invalid patch format of setElementOrder list');
  failsWith(doc, { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [c('b', { image: '2' })] } }, (e) => isBadRequest(e) && /doesn't match \$setElementOrder list/.test((e as Error).message));
});

test('$retainKeys errors as upstream', () => {
  const d = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: {} } } };
  failsWith(d, { spec: { strategy: { $retainKeys: 'type' } } }, (e) => isBadRequest(e) && (e as Error).message === 'invalid patch format of retainKeys', DEPLOY);
  failsWith(d, { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 2 } } } }, (e) => isInvalid(e) && (e as ApiError).code === 422
    && String(((e as Error).cause as Error).message) === "patch content doesn't match retainKeys list", DEPLOY);
  // nulls are allowed outside the list
  assert.deepEqual(applyStrategicMergePatch(d, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } }, DEPLOY), { spec: { strategy: { type: 'Recreate' } } });
});

test('lists of lists are 422; mixed item types 400; non-object patch 400', () => {
  failsWith(pod({ containers: [c('a')] }), { metadata: { finalizers: [['x']] } }, (e) => isInvalid(e) && String(((e as Error).cause as Error).message) === 'lists of lists are not supported');
  failsWith({ metadata: { finalizers: ['a'] } }, { metadata: { finalizers: [{ x: 1 }] } }, (e) => isBadRequest(e) && /^list element types are not identical/.test((e as Error).message));
  for (const bad of [[], 'x', 1, null]) failsWith({}, bad, (e) => isBadRequest(e) && /cannot unmarshal .* into Go value of type map\[string\]interface \{\}/.test((e as Error).message));
});

test('status conditions by type, ownerReferences by uid, service ports by port, SA secrets by name, node addresses by type', () => {
  const p = { status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'Initialized', status: 'True' }] } };
  assert.deepEqual(smp(p, { status: { conditions: [{ type: 'Ready', status: 'True' }] } }), { status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'True' }] } });
  const o = { metadata: { ownerReferences: [{ uid: '1', name: 'a' }, { uid: '2', name: 'b' }] } };
  assert.deepEqual(smp(o, { metadata: { ownerReferences: [{ uid: '2', $patch: 'delete' }] } }), { metadata: { ownerReferences: [{ uid: '1', name: 'a' }] } });
  const s = { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } };
  assert.deepEqual(applyStrategicMergePatch(s, { spec: { ports: [{ port: 80, targetPort: 9090 }] } }, SVC), { spec: { ports: [{ port: 80, targetPort: 9090 }, { port: 443 }] } });
  assert.deepEqual(applyStrategicMergePatch({ secrets: [{ name: 'a' }] }, { secrets: [{ name: 'b' }] }, SA), { secrets: [{ name: 'b' }, { name: 'a' }] });
  const n = { status: { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }], conditions: [{ type: 'Ready', status: 'True' }] }, spec: { podCIDRs: ['10.1.0.0/24'] } };
  assert.deepEqual(applyStrategicMergePatch(n, { status: { addresses: [{ type: 'Hostname', address: 'n1' }] }, spec: { podCIDRs: ['10.1.0.0/24'] } }, NODE),
    { status: { addresses: [{ type: 'Hostname', address: 'n1' }, { type: 'InternalIP', address: '10.0.0.1' }], conditions: [{ type: 'Ready', status: 'True' }] }, spec: { podCIDRs: ['10.1.0.0/24'] } });
});

test('nested pod templates: deployment, job, cronjob', () => {
  const d = { spec: { replicas: 1, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [c('a', { image: '1' }), c('b', { image: '1' })] } } } };
  assert.deepEqual(applyStrategicMergePatch(d, { spec: { replicas: 3, template: { spec: { containers: [c('a', { image: '2' })] } } } }, DEPLOY),
    { spec: { replicas: 3, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [c('a', { image: '2' }), c('b', { image: '1' })] } } } });
  const j = { spec: { template: { spec: { containers: [c('a'), c('b')] } } } };
  assert.deepEqual(applyStrategicMergePatch(j, { spec: { template: { spec: { containers: [{ name: 'a', $patch: 'delete' }] } } } }, JOB), { spec: { template: { spec: { containers: [c('b')] } } } });
  const cj = { spec: { jobTemplate: { spec: { template: { spec: { containers: [c('a', { image: '1' }), c('b')] } } } } } };
  assert.deepEqual(applyStrategicMergePatch(cj, { spec: { jobTemplate: { spec: { template: { spec: { containers: [c('a', { image: '2' })] } } } } } }, CRON),
    { spec: { jobTemplate: { spec: { template: { spec: { containers: [c('a', { image: '2' }), c('b')] } } } } } });
});

test('unknown kinds and kinds without merge lists replace lists (metadata still follows ObjectMeta)', () => {
  const w = { metadata: { finalizers: ['a'] }, spec: { items: [{ name: 'a', v: 1 }, { name: 'b' }] } };
  assert.deepEqual(applyStrategicMergePatch(w, { spec: { items: [{ name: 'a', v: 2 }] } }, CRD), { metadata: { finalizers: ['a'] }, spec: { items: [{ name: 'a', v: 2 }] } });
  assert.deepEqual(applyStrategicMergePatch(w, { metadata: { finalizers: ['b'] } }, CRD), { ...w, metadata: { finalizers: ['b', 'a'] } });
  assert.deepEqual(applyStrategicMergePatch({ data: { a: '1' } }, { data: { b: '2', a: null } }, CM), { data: { b: '2' } });
});

test('new values are cleaned: nested nulls dropped, directives processed', () => {
  assert.deepEqual(smp({ spec: {} }, { spec: { nodeSelector: { a: 'b', c: null } } }), { spec: { nodeSelector: { a: 'b' } } });
  assert.deepEqual(smp({ spec: {} }, { spec: { containers: [c('a', { image: null }), { name: 'b', $patch: 'delete' }] } }), { spec: { containers: [c('a')] } });
  assert.deepEqual(smp({ spec: {} }, { spec: { affinity: { $patch: 'replace', nodeAffinity: {} } } }), { spec: { affinity: { nodeAffinity: {} } } });
  // type change: a scalar replaced by an object
  assert.deepEqual(smp({ spec: { x: 1 } }, { spec: { x: { a: 1, b: null } } }), { spec: { x: { a: 1 } } });
});

test('merge of the same patch twice is idempotent', () => {
  const doc = pod({ containers: [c('a', { image: '1', env: [{ name: 'X', value: '1' }] })] }, { name: 'p', finalizers: ['f.io/a'] });
  const patches = [
    { spec: { containers: [c('b', { image: '2' })] } },
    { metadata: { finalizers: ['f.io/b'] } },
    { spec: { containers: [c('a', { env: [{ name: 'Y', value: '2' }] })] } },
    { spec: { '$setElementOrder/containers': [{ name: 'a' }] } },
  ];
  for (const p of patches) {
    const once = smp(doc, p);
    assert.deepEqual(smp(once, p), once, JSON.stringify(p));
  }
});
