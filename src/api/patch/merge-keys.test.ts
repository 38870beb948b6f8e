import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Schema, KIND_TYPES, TYPES, UNKNOWN_KIND, strategyOf } from './merge-keys.js';

const pod = Schema.forKind({ group: '', version: 'v1', kind: 'Pod' });

test('the view follows field types through the schema table, embedded types included', () => {
  const containers = pod.child('spec').child('containers');
  assert.deepEqual(pod.child('spec').field('containers'), { type: 'io.k8s.api.core.v1.Container', strategy: 'merge', mergeKey: 'name', listMapKeys: ['name'] });
  assert.deepEqual(containers.field('ports').keyDefaults, { protocol: 'TCP' });
  assert.deepEqual(containers.field('ports').listMapKeys, ['containerPort', 'protocol']);
  // EphemeralContainer embeds EphemeralContainerCommon: its lists merge as a container's do.
  assert.equal(pod.child('spec').child('ephemeralContainers').field('env').mergeKey, 'name');
  // Volume embeds VolumeSource: its union members are fields of the volume.
  assert.equal(pod.child('spec').child('volumes').child('configMap').name, 'io.k8s.api.core.v1.ConfigMapVolumeSource');
  assert.deepEqual(strategyOf(pod.child('spec').field('volumes')), { merge: true, retainKeys: true });
});

test('atomic lists, maps and structs are marked atomic; unmarked lists and structs are not', () => {
  const spec = pod.child('spec');
  assert.equal(spec.field('tolerations').atomic, true);
  assert.equal(spec.child('affinity').child('nodeAffinity').field('requiredDuringSchedulingIgnoredDuringExecution').atomic, true);
  assert.equal(spec.child('containers').child('env').child('valueFrom').field('configMapKeyRef').atomic, true);
  assert.equal(Schema.forKind({ group: 'apps', version: 'v1', kind: 'Deployment' }).child('spec').field('selector').atomic, true);
  // A list of atomic structs is not itself atomic.
  assert.equal(spec.field('imagePullSecrets').atomic, undefined);
  assert.equal(spec.field('affinity').atomic, undefined);
  assert.equal(spec.child('containers').child('resources').field('claims').listMapKeys?.[0], 'name');
  // Job conditions: merged by type in a strategic merge patch, one value for server-side apply (upstream's markers).
  const job = Schema.forKind({ group: 'batch', version: 'v1', kind: 'Job' }).child('status').field('conditions');
  assert.equal(job.mergeKey, 'type');
  assert.equal(job.atomic, true);
});

test('kinds resolve by version, every served kind is known, and other kinds get only object metadata', () => {
  assert.equal(Schema.forKind({ group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' }).child('status').field('conditions').mergeKey, 'type');
  assert.equal(Schema.forKind({ group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler' }).child('status').field('conditions').mergeKey, undefined);
  assert.equal(Schema.forKind({ group: '', version: 'v1', kind: 'PodTemplate' }).child('template').child('spec').field('containers').mergeKey, 'name');
  for (const type of Object.values(KIND_TYPES)) assert.ok(Object.hasOwn(TYPES, type), type);
  const cr = { group: 'example.com', version: 'v1', kind: 'Widget' };
  assert.equal(Schema.isKnownKind(cr), false);
  assert.equal(Schema.forKind(cr).name, UNKNOWN_KIND);
  assert.deepEqual(Object.keys(Schema.forKind(cr).fields), ['metadata']);
  assert.equal(Schema.forKind(cr).child('metadata').field('ownerReferences').mergeKey, 'uid');
});
