import { test } from 'node:test';
import assert from 'node:assert/strict';
import { typeError, typeErrorOfKind } from './type-errors.js';

const deployment = (spec: Record<string, unknown>) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec });

test('well-typed objects pass, null is accepted anywhere', () => {
  assert.equal(typeErrorOfKind('apps/v1', 'Deployment', deployment({
    replicas: 2, paused: false, selector: { matchLabels: { a: 'b' } }, strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
    template: { metadata: { labels: { a: 'b' }, creationTimestamp: null }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80 }], resources: { limits: { cpu: 1, memory: '1Gi' } } }], nodeSelector: null } },
  })), undefined);
  assert.equal(typeErrorOfKind('v1', 'Secret', { data: { k: 'aGk=' } }), undefined);
});

test('mismatches are worded as upstream (Go struct field <Struct>.<json path> of type <Go type>)', () => {
  assert.equal(typeErrorOfKind('apps/v1', 'Deployment', deployment({ replicas: '3' })),
    'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
  assert.equal(typeErrorOfKind('apps/v1', 'Deployment', deployment({ replicas: 1.5 })),
    'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32');
  assert.equal(typeErrorOfKind('apps/v1', 'Deployment', deployment({ template: { spec: { containers: [{ name: 'c', image: 7 }] } } })),
    'json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.image of type string');
  assert.equal(typeErrorOfKind('apps/v1', 'Deployment', deployment({ template: { spec: { containers: {} } } })),
    'json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container');
  assert.equal(typeErrorOfKind('apps/v1', 'Deployment', { metadata: { labels: { a: 1 } } }),
    'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string');
  assert.equal(typeErrorOfKind('apps/v1', 'Deployment', { spec: 'x' }),
    'json: cannot unmarshal string into Go struct field Deployment.spec of type v1.DeploymentSpec');
  assert.equal(typeErrorOfKind('apps/v1', 'Deployment', deployment({ template: { spec: { nodeSelector: { ready: true }, containers: [] } } })),
    'json: cannot unmarshal bool into Go struct field PodSpec.spec.template.spec.nodeSelector of type string');
  assert.equal(typeErrorOfKind('apps/v1', 'Deployment', deployment({ template: { spec: { imagePullSecrets: ['s'] } } })),
    'json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.imagePullSecrets of type v1.LocalObjectReference');
  assert.equal(typeError('io.k8s.api.core.v1.Pod', { spec: { volumes: [{ name: 'v', emptyDir: [] }] } }),
    'json: cannot unmarshal array into Go struct field Volume.spec.volumes.emptyDir of type *v1.EmptyDirVolumeSource');
});

test('malformed base64 in bytes fields is reported as Go does', () => {
  assert.equal(typeErrorOfKind('v1', 'Secret', { data: { k: 'not base64!' } }), 'illegal base64 data at input byte 3');
  assert.equal(typeErrorOfKind('v1', 'Secret', { data: { k: 'aGk' } }), 'illegal base64 data at input byte 0');
  assert.equal(typeErrorOfKind('v1', 'Secret', { data: { k: 'aGVsbG8=' } }), undefined);
});
