import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unknownFields, unknownFieldsOfKind, pruneUnknownFieldsOfKind } from './unknown-fields.js';

test('a well-formed Deployment has no unknown fields (inline structs, maps, IntOrString, Quantity, Time)', () => {
  assert.deepEqual(unknownFieldsOfKind('apps/v1', 'Deployment', {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'd', labels: { a: 'b' }, creationTimestamp: null, managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': {} } }] },
    spec: {
      replicas: 1, selector: { matchLabels: { a: 'b' } }, strategy: { rollingUpdate: { maxSurge: '25%' } },
      template: { metadata: { labels: { a: 'b' } }, spec: {
        volumes: [{ name: 'v', configMap: { name: 'cm' } }],
        containers: [{ name: 'c', image: 'i', resources: { limits: { cpu: '1' } }, livenessProbe: { httpGet: { port: 80 }, periodSeconds: 3 },
          env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } }] }] } },
    },
    status: {},
  }), []);
});

test('unknown fields are reported with upstream paths, at any depth', () => {
  assert.deepEqual(unknownFields('io.k8s.api.core.v1.Pod', {
    apiVersion: 'v1', kind: 'Pod', bogus: 1, metadata: { name: 'p', nmae: 'x' },
    spec: { containers: [{ name: 'c' }, { name: 'd', imagePullPolicy: 'Always', extra: true, ports: [{ containerPort: 1, hostport: 2 }] }], volumes: [{ name: 'v', emptyDir: { size: 1 } }] },
  }), ['bogus', 'metadata.nmae', 'spec.containers[1].extra', 'spec.containers[1].ports[0].hostport', 'spec.volumes[0].emptyDir.size']);
  assert.deepEqual(unknownFields('io.k8s.api.core.v1.ConfigMap', { data: { a: 'b' }, binaryData: {}, stringData: { x: 'y' } }), ['stringData']);
  assert.deepEqual(unknownFieldsOfKind('example.com/v1', 'Widget', { anything: 1 }), []);
});

test('pruning drops exactly the unknown fields and leaves the input untouched', () => {
  const input = { apiVersion: 'v1', kind: 'Pod', extra: 1, metadata: { name: 'p', labels: { a: 'b' }, nmae: 'x' },
    spec: { containers: [{ name: 'c', bogus: true, env: [{ name: 'A', value: '1', x: 2 }] }], volumes: [{ name: 'v', emptyDir: { size: 1, medium: 'Memory' } }] } };
  const copy = structuredClone(input);
  assert.deepEqual(pruneUnknownFieldsOfKind('v1', 'Pod', input), {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { a: 'b' } },
    spec: { containers: [{ name: 'c', env: [{ name: 'A', value: '1' }] }], volumes: [{ name: 'v', emptyDir: { medium: 'Memory' } }] },
  });
  assert.deepEqual(input, copy);
  const cr = { apiVersion: 'example.com/v1', kind: 'Widget', anything: 1 };
  assert.equal(pruneUnknownFieldsOfKind('example.com/v1', 'Widget', cr), cr);
});
