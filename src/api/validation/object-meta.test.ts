import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errors } from '../errors.js';
import { fieldErrors } from './field-error.js';
import { validateLabelSelector } from './label-selector.js';
import { nameIsDNS1035Label, nameIsDNSSubdomain } from './names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';

const ns = { namespaced: true, nameFn: nameIsDNSSubdomain };
const cluster = { namespaced: false, nameFn: nameIsDNSSubdomain };

test('field error bodies as upstream prints them', () => {
  assert.deepEqual(fieldErrors.invalid('metadata.name', 'Foo', 'bad'), { field: 'metadata.name', type: 'FieldValueInvalid', detail: 'Invalid value: "Foo": bad' });
  assert.equal(fieldErrors.required('metadata.namespace').detail, 'Required value');
  assert.equal(fieldErrors.required('spec.containers', 'x').detail, 'Required value: x');
  assert.equal(fieldErrors.forbidden('a', 'nope').detail, 'Forbidden: nope');
  assert.equal(fieldErrors.tooLong('a', 262144).detail, 'Too long: may not be more than 262144 bytes');
  assert.equal(fieldErrors.notSupported('spec.restartPolicy', 'Sometimes', ['Always', 'Never']).detail, 'Unsupported value: "Sometimes": supported values: "Always", "Never"');
  assert.equal(fieldErrors.duplicate('a', 'x').detail, 'Duplicate value: "x"');
  assert.equal(fieldErrors.invalid('a', 5, 'm').detail, 'Invalid value: 5: m');
  assert.equal(fieldErrors.invalid('a', ['x'], 'm').detail, 'Invalid value: []string{"x"}: m');
});

test('valid metadata has no errors', () => {
  assert.deepEqual(validateObjectMeta({ name: 'web', namespace: 'default', labels: { app: 'web', 'example.com/tier': '' }, annotations: { 'Kubectl.Kubernetes.io/x': 'y' } }, ns), []);
  assert.deepEqual(validateObjectMeta({ generateName: 'web-', namespace: 'default' }, ns).map((e) => e.field), ['metadata.name']);
  assert.deepEqual(validateObjectMeta({ name: 'node-1' }, cluster), []);
});

test('name and generateName', () => {
  const errs = validateObjectMeta({ name: 'Web', namespace: 'default' }, ns);
  assert.equal(errs.length, 1);
  assert.equal(errs[0]!.field, 'metadata.name');
  assert.equal(errs[0]!.type, 'FieldValueInvalid');
  assert.equal(errs[0]!.detail, "Invalid value: \"Web\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  const st = errors.invalid('', 'Pod', 'Web', errs);
  assert.equal(st.code, 422);
  assert.match(st.message, /^Pod "Web" is invalid: metadata\.name: Invalid value: "Web": a lowercase RFC 1123 subdomain/);
  assert.deepEqual(validateObjectMeta({ namespace: 'default' }, ns), [{ field: 'metadata.name', type: 'FieldValueRequired', detail: 'Required value: name or generateName is required' }]);
  assert.deepEqual(validateObjectMeta({ generateName: 'Bad_', namespace: 'default' }, ns).map((e) => e.field), ['metadata.generateName', 'metadata.name']);
  assert.equal(validateObjectMeta({ name: '1svc', namespace: 'd' }, { namespaced: true, nameFn: nameIsDNS1035Label }).length, 1);
});

test('namespace: required when namespaced, forbidden otherwise, must be a DNS label', () => {
  assert.deepEqual(validateObjectMeta({ name: 'a' }, ns), [{ field: 'metadata.namespace', type: 'FieldValueRequired', detail: 'Required value' }]);
  assert.deepEqual(validateObjectMeta({ name: 'a', namespace: 'x' }, cluster), [{ field: 'metadata.namespace', type: 'FieldValueForbidden', detail: 'Forbidden: not allowed on this type' }]);
  assert.deepEqual(validateObjectMeta({ name: 'a', namespace: 'a.b' }, ns), [{ field: 'metadata.namespace', type: 'FieldValueInvalid', detail: 'Invalid value: "a.b": must not contain dots' }]);
});

test('labels, annotations, finalizers, ownerReferences, generation, managedFields', () => {
  const labelErrs = validateObjectMeta({ name: 'a', labels: { 'bad key': 'v', k: 'bad value' } }, cluster);
  assert.deepEqual(labelErrs.map((e) => [e.field, e.detail.slice(0, 30)]), [
    ['metadata.labels', 'Invalid value: "bad key": name'],
    ['metadata.labels', 'Invalid value: "bad value": a '],
  ]);
  const big = { a: 'x'.repeat(256 * 1024) };
  assert.deepEqual(validateObjectMeta({ name: 'a', annotations: big }, cluster), [{ field: 'metadata.annotations', type: 'FieldValueTooLong', detail: 'Too long: may not be more than 262144 bytes' }]);
  assert.deepEqual(validateObjectMeta({ name: 'a', annotations: { a: 'x'.repeat(256 * 1024 - 1) } }, cluster), []);
  assert.equal(validateObjectMeta({ name: 'a', annotations: { 'a/b/c': '' } }, cluster)[0]!.field, 'metadata.annotations');
  assert.equal(validateObjectMeta({ name: 'a', finalizers: ['example.com/x', 'kubernetes', 'bad/fin/alizer'] }, cluster).length, 1);
  assert.equal(validateObjectMeta({ name: 'a', finalizers: ['orphan', 'foregroundDeletion'] }, cluster)[0]!.detail,
    'Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set');
  assert.deepEqual(validateObjectMeta({ name: 'a', ownerReferences: [{ apiVersion: 'apps/', kind: '', name: '', uid: '' }] }, cluster).map((e) => [e.field, e.detail]), [
    ['metadata.ownerReferences.apiVersion', 'Invalid value: "apps/": version must not be empty'],
    ['metadata.ownerReferences.kind', 'Invalid value: "": kind must not be empty'],
    ['metadata.ownerReferences.name', 'Invalid value: "": name must not be empty'],
    ['metadata.ownerReferences.uid', 'Invalid value: "": uid must not be empty'],
  ]);
  const two = [
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true },
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: '2', controller: true },
  ];
  assert.match(validateObjectMeta({ name: 'a', ownerReferences: two }, cluster)[0]!.detail, /Only one reference can have Controller set to true\. Found "true" in references for ReplicaSet\/a and ReplicaSet\/b$/);
  assert.deepEqual(validateObjectMeta({ name: 'a', generation: -1 }, cluster).map((e) => e.detail), ['Invalid value: -1: must be greater than or equal to 0']);
  assert.deepEqual(validateObjectMeta({ name: 'a', managedFields: [{ manager: 'm', operation: 'Patch', fieldsType: 'FieldsV2' }] }, cluster).map((e) => e.field),
    ['metadata.managedFields[0].operation', 'metadata.managedFields[0].fieldsType']);
});

test('update: immutable fields, resourceVersion, generation, finalizers during deletion', () => {
  const old = { name: 'a', namespace: 'd', uid: 'u1', resourceVersion: '5', creationTimestamp: '2024-01-01T00:00:00Z', generation: 2 };
  assert.deepEqual(validateObjectMetaUpdate({ ...old }, old), []);
  assert.deepEqual(validateObjectMetaUpdate({ ...old, resourceVersion: '' }, old).map((e) => e.detail), ['Invalid value: "": must be specified for an update']);
  assert.deepEqual(validateObjectMetaUpdate({ ...old, name: 'b', uid: 'u2' }, old).map((e) => [e.field, e.detail]), [
    ['metadata.name', 'Invalid value: "b": field is immutable'],
    ['metadata.uid', 'Invalid value: "u2": field is immutable'],
  ]);
  assert.deepEqual(validateObjectMetaUpdate({ ...old, generation: 1 }, old).map((e) => e.detail), ['Invalid value: 1: must not be decremented']);
  const deleting = { ...old, deletionTimestamp: '2024-01-02T00:00:00Z', finalizers: ['a.io/x'] };
  assert.deepEqual(validateObjectMetaUpdate({ ...deleting, finalizers: ['a.io/x', 'b.io/y'] }, deleting).map((e) => e.detail),
    ['Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/y"}']);
  assert.deepEqual(validateObjectMetaUpdate({ ...deleting, finalizers: [] }, deleting), []);
});

test('label selector validation', () => {
  assert.deepEqual(validateLabelSelector(undefined, 'spec.selector'), []);
  assert.deepEqual(validateLabelSelector({ matchLabels: { app: 'x' } }, 'spec.selector'), []);
  const errs = validateLabelSelector({
    matchExpressions: [
      { key: 'a', operator: 'In', values: [] },
      { key: 'b', operator: 'Exists', values: ['x'] },
      { key: 'c', operator: 'Gt' },
      { key: 'd', operator: 'In', values: ['-bad'] },
    ],
  }, 'spec.selector');
  assert.deepEqual(errs.map((e) => [e.field, e.detail.slice(0, 40)]), [
    ['spec.selector.matchExpressions[0].values', "Required value: must be specified when `"],
    ['spec.selector.matchExpressions[1].values', "Forbidden: may not be specified when `op"],
    ['spec.selector.matchExpressions[2].operator', 'Invalid value: "Gt": not a valid selecto'],
    ['spec.selector.matchExpressions[3].values[0]', 'Invalid value: "-bad": a valid label mus'],
  ]);
});

test('invalidMessage aggregates as upstream (brackets for several, duplicates dropped)', async () => {
  const { invalidMessage } = await import('./field-error.js');
  const a = fieldErrors.required('metadata.name', 'name or generateName is required');
  const b = fieldErrors.required('spec.containers');
  assert.equal(invalidMessage('', 'Pod', 'p', [a]), 'Pod "p" is invalid: metadata.name: Required value: name or generateName is required');
  assert.equal(invalidMessage('apps', 'Deployment', 'd', [a, b, a]), 'Deployment.apps "d" is invalid: [metadata.name: Required value: name or generateName is required, spec.containers: Required value]');
  assert.equal(invalidMessage('', 'Pod', 'p', []), 'Pod "p" is invalid');
});
