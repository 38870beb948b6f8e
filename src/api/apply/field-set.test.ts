import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet, pathString } from './field-set.js';

test('insert, has, members, FieldsV1 round trip', () => {
  const s = new FieldSet()
    .insert(['f:spec', 'f:replicas'])
    .insert(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"nginx"}'])
    .insert(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"nginx"}', 'f:image'])
    .insert(['f:metadata', 'f:finalizers', 'v:"a.io/x"']);
  assert.equal(s.has(['f:spec', 'f:replicas']), true);
  assert.equal(s.has(['f:spec']), false);
  assert.equal(s.has(['f:nope']), false);
  const v1 = s.toFieldsV1();
  assert.deepEqual(v1, {
    'f:metadata': { 'f:finalizers': { 'v:"a.io/x"': {} } },
    'f:spec': {
      'f:replicas': {},
      'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {} } } } },
    },
  });
  // "." comes first, fields before keys
  assert.deepEqual(Object.keys((v1['f:spec'] as any)['f:template']['f:spec']['f:containers']['k:{"name":"nginx"}']), ['.', 'f:image']);
  const back = FieldSet.fromFieldsV1(JSON.parse(JSON.stringify(v1)));
  assert.deepEqual(back.toFieldsV1(), v1);
  assert.deepEqual(back.members().map(pathString), [
    '.metadata.finalizers[="a.io/x"]',
    '.spec.replicas',
    '.spec.template.spec.containers[name="nginx"]',
    '.spec.template.spec.containers[name="nginx"].image',
  ]);
  assert.throws(() => FieldSet.fromFieldsV1({ 'x:y': {} }));
  assert.throws(() => FieldSet.fromFieldsV1([]));
  assert.equal(FieldSet.fromFieldsV1({}).empty(), true);
});

test('union, difference, intersection', () => {
  const a = new FieldSet().insert(['f:a']).insert(['f:b', 'f:c']).insert(['f:b', 'f:d']);
  const b = new FieldSet().insert(['f:b', 'f:c']).insert(['f:e']);
  assert.deepEqual(a.union(b).members().map(pathString), ['.a', '.b.c', '.b.d', '.e']);
  assert.deepEqual(a.difference(b).members().map(pathString), ['.a', '.b.d']);
  assert.deepEqual(a.intersection(b).members().map(pathString), ['.b.c']);
  assert.equal(a.difference(a).empty(), true);
  assert.equal(a.intersection(new FieldSet()).empty(), true);
  // a member node with children: difference of the node leaves the children
  const n = new FieldSet().insert(['f:x']).insert(['f:x', 'f:y']);
  assert.deepEqual(n.difference(new FieldSet().insert(['f:x'])).members().map(pathString), ['.x.y']);
});

test('pathString forms', () => {
  assert.equal(pathString(['f:spec', 'f:ports', 'k:{"port":80,"protocol":"TCP"}', 'f:targetPort']), '.spec.ports[port=80,protocol="TCP"].targetPort');
  assert.equal(pathString(['f:a', 'i:3']), '.a[3]');
  assert.equal(pathString(['f:a', 'v:5']), '.a[=5]');
  assert.equal(pathString([]), '');
});
