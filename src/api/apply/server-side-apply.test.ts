import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, isBadRequest, isConflict } from '../errors.js';
import { clone } from '../patch/json-value.js';
import { conflictError, serverSideApply, updateManagedFields as update, type ApplyConflict } from './server-side-apply.js';

type Obj = Record<string, any>;
const DEPLOY = { group: 'apps', version: 'v1', kind: 'Deployment' };
const CM = { group: '', version: 'v1', kind: 'ConfigMap' };
const POD = { group: '', version: 'v1', kind: 'Pod' };
const SVC = { group: '', version: 'v1', kind: 'Service' };
const updateManagedFields = (o: Obj | undefined, n: Obj, m: string, op: 'Update' | 'Apply', now: Date, opts = {}): Obj => update(o, n, m, op, now, opts);
const T0 = new Date('2024-05-01T10:00:00.123Z');
const T1 = new Date('2024-05-01T11:00:00Z');

function deployment(opts: { replicas?: number; image?: string; labels?: Obj; containers?: Obj[] } = {}): Obj {
  const d: Obj = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: opts.labels ?? { app: 'web' } },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: opts.containers ?? [{ name: 'nginx', image: opts.image ?? 'nginx:1' }] } },
    },
  };
  if (opts.replicas !== undefined) d.spec.replicas = opts.replicas;
  return d;
}

function apply(live: Obj | undefined, applied: Obj, manager = 'kubectl', force = false, gvk = DEPLOY, now = T1): { object: Obj | null; conflicts: ApplyConflict[] } {
  return serverSideApply({ live, applied, manager, force, gvk, now }) as { object: Obj | null; conflicts: ApplyConflict[] };
}

function entry(obj: Obj, manager: string, operation = 'Apply'): Obj | undefined {
  return (obj.metadata.managedFields as Obj[]).find((e) => e.manager === manager && e.operation === operation);
}

/** As the API server stores an object: server fields added. */
function stored(o: Obj): Obj {
  const s = clone(o);
  s.metadata.uid = 'u1';
  s.metadata.resourceVersion = '1';
  s.metadata.creationTimestamp = '2024-05-01T09:00:00Z';
  return s;
}

test('create by apply: the object and the applier\'s fieldsV1', () => {
  const { object, conflicts } = apply(undefined, deployment({ replicas: 2 }), 'kubectl', false, DEPLOY, T0);
  assert.deepEqual(conflicts, []);
  const { metadata, ...rest } = object!;
  const { managedFields, ...meta } = metadata;
  assert.deepEqual({ ...rest, metadata: meta }, deployment({ replicas: 2 }));
  assert.deepEqual(managedFields, [{
    manager: 'kubectl',
    operation: 'Apply',
    apiVersion: 'apps/v1',
    time: '2024-05-01T10:00:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1: {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
        },
      },
    },
  }]);
});

test('create by an ordinary write: the creator owns everything it set', () => {
  const created = updateManagedFields(undefined, stored(deployment({ replicas: 1 })), 'kubectl-create', 'Update', T0);
  const e = entry(created, 'kubectl-create', 'Update')!;
  assert.equal(e.apiVersion, 'apps/v1');
  assert.equal(e.time, '2024-05-01T10:00:00Z');
  assert.deepEqual(e.fieldsV1, {
    'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
    'f:spec': {
      'f:replicas': {},
      'f:selector': {},
      'f:template': {
        'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
        'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
      },
    },
  });
  // uid, resourceVersion, name, ... are nobody's
  assert.equal(JSON.stringify(e.fieldsV1).includes('uid'), false);
});

test('conflict with an updater; same value is shared; force takes over', () => {
  const created = updateManagedFields(undefined, stored(deployment({ replicas: 1 })), 'kubectl-create', 'Update', T0);
  // changing replicas conflicts
  const r = apply(created, deployment({ replicas: 3 }));
  assert.equal(r.object, null);
  assert.deepEqual(r.conflicts, [{ manager: 'kubectl-create', operation: 'Update', apiVersion: 'apps/v1', path: '.spec.replicas' }]);
  const err = conflictError(r.conflicts);
  assert.ok(isConflict(err));
  assert.equal(err.code, 409);
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-create" using apps/v1: .spec.replicas');
  assert.deepEqual(err.toStatus().details, { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-create" using apps/v1', field: '.spec.replicas' }] });

  // the same values: no conflict, both own them
  const same = apply(created, deployment({ replicas: 1 }));
  assert.deepEqual(same.conflicts, []);
  assert.ok(entry(same.object!, 'kubectl')!.fieldsV1['f:spec']['f:replicas']);
  assert.ok(entry(same.object!, 'kubectl-create', 'Update')!.fieldsV1['f:spec']['f:replicas']);

  // force: the applier takes replicas over
  const forced = apply(created, deployment({ replicas: 3 }), 'kubectl', true);
  assert.equal(forced.object!.spec.replicas, 3);
  assert.equal(entry(forced.object!, 'kubectl-create', 'Update')!.fieldsV1['f:spec']['f:replicas'], undefined);
  assert.ok(entry(forced.object!, 'kubectl')!.fieldsV1['f:spec']['f:replicas']);
});

test('several conflicts: upstream message grouped by manager', () => {
  const created = updateManagedFields(undefined, stored(deployment({ replicas: 1, image: 'nginx:1' })), 'kubectl-create', 'Update', T0);
  const r = apply(created, deployment({ replicas: 2, image: 'nginx:2' }));
  assert.equal(r.conflicts.length, 2);
  assert.equal(conflictError(r.conflicts).message,
    'Apply failed with 2 conflicts: conflicts with "kubectl-create" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image');
  // conflicts with another applier print its bare name
  const a = apply(undefined, deployment({ replicas: 1 }), 'alice');
  const b = apply(a.object!, deployment({ replicas: 5 }), 'bob');
  assert.equal(conflictError(b.conflicts).message, 'Apply failed with 1 conflict: conflict with "alice": .spec.replicas');
});

test('fields dropped from the configuration are removed unless someone else owns them', () => {
  const first = apply(undefined, deployment({ replicas: 2, labels: { app: 'web', tier: 'front' } })).object!;
  // drop the tier label and replicas
  const second = apply(first, deployment({ labels: { app: 'web' } })).object!;
  assert.deepEqual(second.metadata.labels, { app: 'web' });
  assert.equal(second.spec.replicas, undefined);
  // a field co-owned by an updater stays
  const scaled = updateManagedFields(first, { ...clone(first), spec: { ...clone(first.spec), replicas: 2 } }, 'kubectl-scale', 'Update', T1);
  // kubectl-scale did not change replicas (same value): it owns nothing new
  assert.equal(entry(scaled, 'kubectl-scale', 'Update'), undefined);
  const scaled2 = updateManagedFields(first, { ...clone(first), spec: { ...clone(first.spec), replicas: 4 } }, 'kubectl-scale', 'Update', T1);
  assert.deepEqual(entry(scaled2, 'kubectl-scale', 'Update')!.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  assert.equal(entry(scaled2, 'kubectl')!.fieldsV1['f:spec']['f:replicas'], undefined, 'the applier lost replicas');
  const third = apply(scaled2, deployment({ labels: { app: 'web' } })).object!;
  assert.equal(third.spec.replicas, 4, 'owned by kubectl-scale, so kept');
});

test('an updater that changes an applied field takes it; re-applying the old value conflicts', () => {
  const first = apply(undefined, deployment({ image: 'nginx:1' })).object!;
  const edited = clone(first);
  edited.spec.template.spec.containers[0].image = 'nginx:9';
  const afterEdit = updateManagedFields(first, edited, 'kubectl-edit', 'Update', T1);
  assert.deepEqual(entry(afterEdit, 'kubectl-edit', 'Update')!.fieldsV1, { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { 'f:image': {} } } } } } });
  assert.equal(entry(afterEdit, 'kubectl')!.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"nginx"}']['f:image'], undefined);
  const r = apply(afterEdit, deployment({ image: 'nginx:1' }));
  assert.equal(conflictError(r.conflicts).message, 'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.template.spec.containers[name="nginx"].image');
});

test('associative lists: items merged by key, dropped items removed, others\' items kept', () => {
  const twoContainers = deployment({ containers: [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }] });
  const first = apply(undefined, twoContainers).object!;
  // another manager adds a sidecar
  const withSidecar = clone(first);
  withSidecar.spec.template.spec.containers.push({ name: 'sidecar', image: 's' });
  const updated = updateManagedFields(first, withSidecar, 'injector', 'Update', T1);
  assert.deepEqual(Object.keys(entry(updated, 'injector', 'Update')!.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']), ['k:{"name":"sidecar"}']);
  // the applier drops b and changes a
  const next = apply(updated, deployment({ containers: [{ name: 'a', image: 'a2' }] })).object!;
  assert.deepEqual(next.spec.template.spec.containers, [{ name: 'a', image: 'a2' }, { name: 'sidecar', image: 's' }]);
  // order: the configuration's order for shared items, live-only items stay in place
  const reordered = apply(first, deployment({ containers: [{ name: 'b', image: 'b' }, { name: 'a', image: 'a' }, { name: 'c', image: 'c' }] })).object!;
  assert.deepEqual(reordered.spec.template.spec.containers.map((c: Obj) => c.name), ['b', 'a', 'c']);
});

test('service ports are keyed by port and protocol (protocol defaults to TCP)', () => {
  const svc = (ports: Obj[]): Obj => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports } });
  const r = apply(undefined, svc([{ port: 80, targetPort: 8080 }, { port: 53, protocol: 'UDP' }]), 'kubectl', false, SVC);
  assert.deepEqual(Object.keys(entry(r.object!, 'kubectl')!.fieldsV1['f:spec']['f:ports']), ['k:{"port":53,"protocol":"UDP"}', 'k:{"port":80,"protocol":"TCP"}']);
  const live = clone(r.object!);
  live.spec.ports[0].protocol = 'TCP'; // defaulted by the server
  const r2 = apply(live, svc([{ port: 80, targetPort: 9090 }, { port: 53, protocol: 'UDP' }]), 'kubectl', false, SVC);
  assert.deepEqual(r2.object!.spec.ports, [{ port: 80, targetPort: 9090, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }]);
  assert.throws(() => apply(undefined, svc([{ targetPort: 1 }]), 'kubectl', false, SVC),
    (e: unknown) => isBadRequest(e) && (e as Error).message === 'associative list with keys has an element that omits key field "port" (and doesn\'t have default value)');
});

test('set lists (finalizers) and maps (configmap data)', () => {
  const cm = (data: Obj, finalizers?: string[]): Obj => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', ...(finalizers ? { finalizers } : {}) }, data });
  const first = apply(undefined, cm({ a: '1', b: '2' }, ['x.io/a']), 'mgr', false, CM).object!;
  assert.deepEqual(entry(first, 'mgr')!.fieldsV1, { 'f:data': { 'f:a': {}, 'f:b': {} }, 'f:metadata': { 'f:finalizers': { 'v:"x.io/a"': {} } } });
  const other = apply(first, cm({ c: '3' }, ['y.io/b']), 'other', false, CM).object!;
  assert.deepEqual(other.data, { a: '1', b: '2', c: '3' });
  assert.deepEqual(other.metadata.finalizers, ['x.io/a', 'y.io/b']);
  const dropped = apply(other, cm({ a: '1' }, []), 'mgr', false, CM).object!;
  assert.deepEqual(dropped.data, { a: '1', c: '3' });
  assert.deepEqual(dropped.metadata.finalizers, ['y.io/b']);
  // conflicting value in a map entry
  const r = apply(dropped, cm({ c: '4' }), 'mgr', false, CM);
  assert.equal(conflictError(r.conflicts).message, 'Apply failed with 1 conflict: conflict with "other": .data.c');
});

test('re-applying the same configuration changes nothing and keeps the time', () => {
  const first = apply(undefined, deployment({ replicas: 1 }), 'kubectl', false, DEPLOY, T0).object!;
  const again = apply(first, deployment({ replicas: 1 }), 'kubectl', false, DEPLOY, T1).object!;
  assert.deepEqual(again, first);
});

test('bad configurations are 400 as upstream', () => {
  const withMF = deployment();
  withMF.metadata.managedFields = [];
  assert.throws(() => apply(undefined, withMF), (e: unknown) => isBadRequest(e) && (e as Error).message === 'metadata.managedFields must be nil');
  const wrongVersion = deployment();
  wrongVersion.apiVersion = 'apps/v1beta1';
  assert.throws(() => apply(undefined, wrongVersion), (e: unknown) => isBadRequest(e) && (e as Error).message === 'Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1');
});

test('updates: others lose what a writer changes or removes; the writer accumulates', () => {
  const created = updateManagedFields(undefined, stored(deployment({ replicas: 1, labels: { app: 'web', x: 'y' } })), 'kubectl-create', 'Update', T0);
  const labeled = clone(created);
  labeled.metadata.labels.x = 'z';
  labeled.metadata.labels.new = 'n';
  const afterLabel = updateManagedFields(created, labeled, 'kubectl-label', 'Update', T1);
  assert.deepEqual(entry(afterLabel, 'kubectl-label', 'Update')!.fieldsV1, { 'f:metadata': { 'f:labels': { 'f:new': {}, 'f:x': {} } } });
  assert.deepEqual(entry(afterLabel, 'kubectl-create', 'Update')!.fieldsV1['f:metadata'], { 'f:labels': { '.': {}, 'f:app': {} } });
  const removed = clone(afterLabel);
  delete removed.metadata.labels.new;
  const afterRemove = updateManagedFields(afterLabel, removed, 'kubectl-label', 'Update', T1);
  assert.deepEqual(entry(afterRemove, 'kubectl-label', 'Update')!.fieldsV1, { 'f:metadata': { 'f:labels': { 'f:x': {} } } });
  // entries are ordered Apply first, then by time
  const applied = apply(afterRemove, deployment({ replicas: 1, labels: { app: 'web', x: 'z' } }), 'kubectl', true).object!;
  assert.deepEqual(applied.metadata.managedFields.map((e: Obj) => `${e.operation}/${e.manager}`), ['Apply/kubectl', 'Update/kubectl-create', 'Update/kubectl-label']);
  // an update that changes nothing leaves managedFields alone
  assert.deepEqual(updateManagedFields(applied, clone(applied), 'noop', 'Update', T1).metadata.managedFields, applied.metadata.managedFields);
});

test('updates: client-sent managedFields are used; [{}] resets; subresource writes keep the stored ones', () => {
  const created = updateManagedFields(undefined, stored(deployment({ replicas: 1 })), 'kubectl-create', 'Update', T0);
  const reset = clone(created);
  reset.metadata.managedFields = [{}];
  assert.equal(updateManagedFields(created, reset, 'x', 'Update', T1).metadata.managedFields, undefined);
  const edited = clone(created);
  edited.metadata.managedFields = [{ manager: 'someone', operation: 'Update', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }];
  const out = updateManagedFields(created, edited, 'x', 'Update', T1);
  assert.deepEqual(out.metadata.managedFields.map((e: Obj) => e.manager), ['someone']);
  // status writes: the status manager owns status fields, spec ownership stays as stored
  const withStatus = clone(created);
  withStatus.status = { replicas: 1, conditions: [{ type: 'Available', status: 'True' }] };
  const st = updateManagedFields(created, withStatus, 'kube-controller-manager', 'Update', T1, { subresource: 'status', ignore: ['spec', 'metadata'] });
  const e = st.metadata.managedFields.find((m: Obj) => m.manager === 'kube-controller-manager');
  assert.equal(e.subresource, 'status');
  assert.deepEqual(e.fieldsV1, { 'f:status': { 'f:conditions': { '.': {}, 'k:{"type":"Available"}': { '.': {}, 'f:status': {}, 'f:type': {} } }, 'f:replicas': {} } });
  // main-resource writes ignore status
  const mainWrite = updateManagedFields(created, withStatus, 'w', 'Update', T1, { ignore: ['status'] });
  assert.equal(mainWrite.metadata.managedFields.some((m: Obj) => m.manager === 'w'), false);
});

test('malformed stored managedFields are dropped, not fatal', () => {
  const created = stored(deployment({ replicas: 1 }));
  created.metadata.managedFields = [{ manager: 'x', operation: 'Bogus' }];
  // treated as an object nobody tracked yet
  const r = apply(created, deployment({ replicas: 2 }));
  assert.deepEqual(r.conflicts.map((c) => c.manager), ['before-first-apply']);
  const forced = apply(created, deployment({ replicas: 2 }), 'kubectl', true).object!;
  assert.deepEqual(forced.metadata.managedFields.map((e: Obj) => e.manager), ['kubectl', 'before-first-apply']);
});

test('pods: env by name, volumes by name, tolerations atomic', () => {
  const pod = (env: Obj[], tolerations: Obj[]): Obj => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
    spec: { containers: [{ name: 'c', image: 'i', env }], tolerations, volumes: [{ name: 'v', emptyDir: {} }] },
  });
  const r = apply(undefined, pod([{ name: 'A', value: '1' }], [{ key: 'k', operator: 'Exists' }]), 'm', false, POD);
  const f = entry(r.object!, 'm')!.fieldsV1['f:spec'];
  assert.deepEqual(f['f:tolerations'], {});
  assert.deepEqual(f['f:volumes'], { 'k:{"name":"v"}': { '.': {}, 'f:emptyDir': {}, 'f:name': {} } });
  assert.deepEqual(f['f:containers']['k:{"name":"c"}']['f:env'], { 'k:{"name":"A"}': { '.': {}, 'f:name': {}, 'f:value': {} } });
  const r2 = apply(r.object!, pod([{ name: 'B', value: '2' }], [{ key: 'z', operator: 'Exists' }]), 'm', false, POD);
  assert.deepEqual(r2.object!.spec.containers[0].env, [{ name: 'B', value: '2' }]);
  assert.deepEqual(r2.object!.spec.tolerations, [{ key: 'z', operator: 'Exists' }]);
});

test('conflict errors are ApiErrors with the Conflict reason', () => {
  const e = conflictError([{ manager: 'm', operation: 'Apply', apiVersion: 'v1', path: '.data.x' }]);
  assert.ok(e instanceof ApiError);
  assert.equal(e.toStatus().reason, 'Conflict');
});

test('updateManagedFields records in place and returns the same object', () => {
  const obj = stored(deployment({ replicas: 1 }));
  const out = updateManagedFields(undefined, obj, 'kubectl-create', 'Update', T0);
  assert.equal(out, obj);
  assert.equal(obj.metadata.managedFields[0].manager, 'kubectl-create');
});

test('an object without managedFields: its fields belong to before-first-apply', () => {
  const live = stored(deployment({ replicas: 1 }));
  const r = apply(live, deployment({ replicas: 2 }), 'helm');
  assert.equal(conflictError(r.conflicts).message, 'Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas');
  const same = apply(live, deployment({ replicas: 1 }), 'helm').object!;
  assert.deepEqual(same.metadata.managedFields.map((e: Obj) => `${e.operation}/${e.manager}`), ['Apply/helm', 'Update/before-first-apply']);
});

test('more than 10 updaters: the oldest merge into ancient-changes', () => {
  let obj = updateManagedFields(undefined, stored(deployment({ replicas: 1 })), 'm0', 'Update', new Date('2024-01-01T00:00:00Z'));
  for (let i = 1; i <= 11; i++) {
    const next = clone(obj);
    next.metadata.labels = { ...next.metadata.labels, [`l${i}`]: 'x' };
    obj = updateManagedFields(obj, next, `m${i}`, 'Update', new Date(Date.UTC(2024, 0, 1, 0, i)));
  }
  const names = obj.metadata.managedFields.map((e: Obj) => e.manager);
  assert.equal(names.length, 10);
  assert.ok(names.includes('ancient-changes'));
  assert.ok(!names.includes('m0') && !names.includes('m1') && !names.includes('m2'));
  const ancient = obj.metadata.managedFields.find((e: Obj) => e.manager === 'ancient-changes');
  assert.ok(ancient.fieldsV1['f:spec']['f:replicas'], 'm0 fields kept in the bucket');
  assert.ok(ancient.fieldsV1['f:metadata']['f:labels']['f:l2']);
});
