import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clone } from '../patch/json-value.js';
import { conflictError, serverSideApply, updateManagedFields } from './server-side-apply.js';
import { encodeLastApplied, LAST_APPLIED_ANNOTATION } from './last-applied.js';

type Obj = Record<string, any>;
const DEPLOY = { group: 'apps', version: 'v1', kind: 'Deployment' };
const NOW = new Date('2024-01-01T00:00:00Z');

const config = (replicas: number, image = 'nginx:1'): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image }] } } },
});

/** What `kubectl apply` (client side) creates: the configuration plus its annotation, owned by kubectl-client-side-apply. */
function clientSideApplied(cfg: Obj): Obj {
  const obj = clone(cfg);
  obj.metadata.annotations = { [LAST_APPLIED_ANNOTATION]: encodeLastApplied(cfg) };
  obj.metadata.uid = 'u';
  return updateManagedFields(undefined, obj, 'kubectl-client-side-apply', 'Update', NOW) as Obj;
}

test('encodeLastApplied: sorted keys, Go escaping, trailing newline, without the annotation itself', () => {
  const cfg = { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c', annotations: { [LAST_APPLIED_ANNOTATION]: 'old', z: '1', a: '<&>' } }, data: { b: '2', a: '1' } };
  assert.equal(encodeLastApplied(cfg),
    '{"apiVersion":"v1","data":{"a":"1","b":"2"},"kind":"ConfigMap","metadata":{"annotations":{"a":"\\u003c\\u0026\\u003e","z":"1"},"name":"c"}}\n');
  assert.equal(cfg.metadata.annotations[LAST_APPLIED_ANNOTATION], 'old', 'input untouched');
});

test('kubectl moving to server-side apply takes over fields its annotation describes', () => {
  const live = clientSideApplied(config(1));
  const r = serverSideApply({ live, applied: config(3, 'nginx:2'), manager: 'kubectl', force: false, gvk: DEPLOY, now: NOW });
  assert.deepEqual(r.conflicts, []);
  const obj = r.object as Obj;
  assert.equal(obj.spec.replicas, 3);
  assert.equal(obj.spec.template.spec.containers[0].image, 'nginx:2');
  // the annotation now describes the server-side applied configuration
  assert.equal(obj.metadata.annotations[LAST_APPLIED_ANNOTATION], encodeLastApplied(config(3, 'nginx:2')));
  const csa = obj.metadata.managedFields.find((e: Obj) => e.manager === 'kubectl-client-side-apply');
  assert.equal(csa.fieldsV1['f:spec']['f:replicas'], undefined);
  assert.ok(csa.fieldsV1['f:metadata']['f:annotations'], 'the annotation itself stays client-side apply\'s');
});

test('other managers, and fields changed since the last client-side apply, still conflict', () => {
  const live = clientSideApplied(config(1));
  const other = serverSideApply({ live, applied: config(3), manager: 'someone', force: false, gvk: DEPLOY, now: NOW });
  assert.equal(conflictError(other.conflicts).message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
  // replicas edited after the client-side apply by the same updater: live no longer matches the annotation
  const drifted = clone(live);
  drifted.spec.replicas = 7;
  const after = updateManagedFields(live, drifted, 'kubectl-client-side-apply', 'Update', NOW) as Obj;
  const r = serverSideApply({ live: after, applied: config(3), manager: 'kubectl', force: false, gvk: DEPLOY, now: NOW });
  assert.equal(conflictError(r.conflicts).message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
  // no annotation on the object: nothing is allowed
  const bare = clone(live);
  delete bare.metadata.annotations;
  assert.equal(serverSideApply({ live: bare, applied: config(3), manager: 'kubectl', force: false, gvk: DEPLOY, now: NOW }).conflicts.length, 1);
});
