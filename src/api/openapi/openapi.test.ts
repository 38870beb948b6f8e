import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openapiV3Paths, openapiV3Document } from './index.js';
import { KINDS, schemaNameOfKind } from '../schema/index.js';

type Doc = { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any> } };
const doc = (p: string) => openapiV3Document(p) as Doc;

test('root lists one document per served group-version, with a stable content hash', () => {
  const paths = openapiV3Paths();
  assert.ok(paths['api/v1'] && paths['apis/apps/v1'] && paths['apis/rbac.authorization.k8s.io/v1']);
  assert.match(paths['api/v1'].serverRelativeURL, /^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
  assert.deepEqual(openapiV3Paths(), paths);
  assert.notEqual(paths['api/v1'].serverRelativeURL.split('=')[1], paths['apis/apps/v1'].serverRelativeURL.split('=')[1]);
  assert.equal(openapiV3Document('apis/nope/v1'), undefined);
});

test('every served kind has PATCH operations with its GVK and a fieldValidation parameter, accepting strategic merge patch', () => {
  for (const k of KINDS.filter((k) => !k.createOnly)) {
    const d = doc(k.group ? `apis/${k.group}/${k.version}` : `api/${k.version}`);
    const patches = Object.values(d.paths).map((p) => p.patch).filter((op) => op && op['x-kubernetes-group-version-kind'].kind === k.kind
      && op['x-kubernetes-group-version-kind'].group === k.group && op['x-kubernetes-group-version-kind'].version === k.version);
    assert.ok(patches.length > 0, `${k.kind}: no PATCH`);
    for (const op of patches) {
      assert.ok(op.parameters.some((p: any) => p.name === 'fieldValidation' && p.in === 'query'), `${k.kind}: no fieldValidation`);
      assert.ok(op.requestBody.content['application/strategic-merge-patch+json']);
    }
    const schema = d.components.schemas[schemaNameOfKind(k.group, k.version, k.kind)];
    assert.deepEqual(schema['x-kubernetes-group-version-kind'], [{ group: k.group, kind: k.kind, version: k.version }]);
  }
});

test('every $ref resolves inside its document, and every property has a description', () => {
  for (const p of Object.keys(openapiV3Paths())) {
    const d = doc(p);
    const text = JSON.stringify(d);
    for (const m of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) assert.ok(d.components.schemas[m[1]], `${p}: dangling ${m[1]}`);
    for (const [name, s] of Object.entries(d.components.schemas)) {
      for (const [f, ps] of Object.entries((s.properties ?? {}) as Record<string, any>)) assert.ok(ps.description, `${name}.${f}`);
    }
  }
});

test('schemas carry upstream list semantics, merge keys, required fields and inline structs', () => {
  const s = doc('api/v1').components.schemas;
  const podSpec = s['io.k8s.api.core.v1.PodSpec'];
  assert.deepEqual(podSpec.required, ['containers']);
  assert.equal(podSpec.properties.containers['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(podSpec.properties.volumes['x-kubernetes-patch-strategy'], 'merge,retainKeys');
  const ports = s['io.k8s.api.core.v1.Container'].properties.ports;
  assert.deepEqual(ports['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
  assert.deepEqual(s['io.k8s.api.core.v1.Container'].required, ['name']);
  assert.ok(s['io.k8s.api.core.v1.Volume'].properties.emptyDir, 'VolumeSource is inline in Volume');
  assert.ok(s['io.k8s.api.core.v1.Probe'].properties.httpGet, 'ProbeHandler is inline in Probe');
  assert.equal(s['io.k8s.api.core.v1.ServicePort'].properties.targetPort.allOf[0].$ref, '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString');
  assert.equal(s['io.k8s.apimachinery.pkg.apis.meta.v1.Time'].type, 'string');
  assert.deepEqual(s['io.k8s.api.core.v1.ServiceSpec'].properties.type.enum, ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']);
  assert.equal(s['io.k8s.api.core.v1.Secret'].properties.data.additionalProperties.format, 'byte');
  assert.equal(doc('apis/apps/v1').components.schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy['x-kubernetes-patch-strategy'], 'retainKeys');
  // The scale subresource's PATCH is the autoscaling/v1 Scale kind.
  assert.deepEqual(doc('apis/apps/v1').paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'].patch['x-kubernetes-group-version-kind'], { group: 'autoscaling', kind: 'Scale', version: 'v1' });
});
