/**
 * The real kubectl 1.32 reading our OpenAPI v3 documents from a recording server: `explain`,
 * `create -f --validate=strict` (needs the fieldValidation parameter, else kubectl falls back to
 * /openapi/v2 and fails) and client-side `apply` (strategic merge patch computed from our schema).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { KubectlBench, KUBECTL } from './testing/kubectl-bench.js';
import { KINDS } from '../schema/index.js';

const bench = new KubectlBench();
const skip = existsSync(KUBECTL) ? false : 'kubectl is not installed';

before(async () => { if (!skip) await bench.start(); });
after(async () => { if (!skip) await bench.stop(); });

test('kubectl explain pods.spec.containers prints our fields and descriptions', { skip }, async () => {
  const r = await bench.kubectl('explain', 'pods.spec.containers');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^KIND: {7}Pod\nVERSION: {4}v1\n\nFIELD: containers <\[\]Container>\n\n\nDESCRIPTION:\n/);
  assert.match(r.stdout, /The containers of the Pod\. At least one is required/);
  assert.match(r.stdout, /A container to run in a Pod\./);
  assert.match(r.stdout, /\n {2}name\t<string> -required-\n/);
  assert.match(r.stdout, /\n {2}ports\t<\[\]ContainerPort>\n/);
  assert.match(r.stdout, /\n {2}resources\t<ResourceRequirements>\n/);
  assert.match(r.stdout, /\n {2}livenessProbe\t<Probe>\n/);
  assert.match(r.stdout, /\n {2}imagePullPolicy\t<string>\n {2}enum: Always, IfNotPresent, Never\n/);
});

test('kubectl explain --recursive walks nested types; group kinds and IntOrString/Quantity names', { skip }, async () => {
  const r = await bench.kubectl('explain', 'pods.spec.containers', '--recursive');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\n {4}httpGet\t<HTTPGetAction>\n {6}host\t<string>\n/);
  assert.match(r.stdout, /\n {6}port\t<IntOrString> -required-\n/);
  assert.match(r.stdout, /\n {4}limits\t<map\[string\]Quantity>\n/);
  const d = await bench.kubectl('explain', 'deployments.spec.strategy');
  assert.equal(d.code, 0, d.stderr);
  assert.match(d.stdout, /^GROUP: {6}apps\nKIND: {7}Deployment\nVERSION: {4}v1\n/);
  assert.match(d.stdout, /rollingUpdate\t<RollingUpdateDeployment>/);
  const svc = await bench.kubectl('explain', 'services.spec.ports.targetPort');
  assert.equal(svc.code, 0, svc.stderr);
  assert.match(svc.stdout, /FIELD: targetPort <IntOrString>/);
  const bad = await bench.kubectl('explain', 'pods.spec.nope');
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /field "nope" does not exist/);
});

test('kubectl explain --recursive works for every served resource and version', { skip }, async () => {
  for (const k of KINDS.filter((x) => !x.createOnly)) {
    const apiVersion = k.group ? `${k.group}/${k.version}` : k.version;
    const r = await bench.kubectl('explain', k.plural, `--api-version=${apiVersion}`, '--recursive');
    assert.equal(r.code, 0, `${k.plural} ${apiVersion}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`KIND: +${k.kind}\nVERSION: +${k.version}\n`));
    assert.match(r.stdout, /\n {2}metadata\t<ObjectMeta>( -required-)?\n/);
  }
});

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: p1
spec:
  containers:
  - name: c
    image: busybox
    bogusField: 1
`;

test('kubectl create -f --validate=strict sends fieldValidation=Strict and never needs /openapi/v2', { skip }, async () => {
  const before = bench.requests.length;
  const r = await bench.kubectl('create', '-f', bench.file('pod.yaml', POD), '--validate=strict');
  assert.equal(r.code, 0, r.stderr);
  const sent = bench.requests.slice(before);
  assert.ok(!sent.some((s) => s.url.startsWith('/openapi/v2')), 'kubectl fell back to /openapi/v2');
  assert.ok(sent.some((s) => s.url.startsWith('/openapi/v3/api/v1?hash=')), 'kubectl did not read the v1 document');
  const post = sent.find((s) => s.method === 'POST');
  assert.ok(post);
  assert.match(post.url, /^\/api\/v1\/namespaces\/default\/pods\?fieldManager=kubectl-create&fieldValidation=Strict$/);
  assert.equal(JSON.parse(post.body.toString()).spec.containers[0].bogusField, 1, 'the unknown field is left for the server to reject');
});

const deployment = (image: string, labels: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {${labels}}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: ${image}
      - name: sidecar
        image: busybox
`;

test('kubectl apply twice: the second apply sends a strategic merge patch computed from our schema', { skip }, async () => {
  const first = await bench.kubectl('apply', '-f', bench.file('d1.yaml', deployment('nginx:1.26', 'app: web, tier: fe')));
  assert.equal(first.code, 0, first.stderr);
  const before = bench.requests.length;
  const second = await bench.kubectl('apply', '-f', bench.file('d2.yaml', deployment('nginx:1.27', 'app: web')), '-v=5');
  assert.equal(second.code, 0, second.stderr);
  assert.doesNotMatch(second.stderr, /error calculating patch from openapi v3|OpenAPI V3 path does not/);
  const patch = bench.requests.slice(before).find((s) => s.method === 'PATCH');
  assert.ok(patch, 'no PATCH sent');
  assert.equal(patch.contentType, 'application/strategic-merge-patch+json');
  const body = JSON.parse(patch.body.toString());
  assert.deepEqual(body.spec.template.spec['$setElementOrder/containers'], [{ name: 'nginx' }, { name: 'sidecar' }]);
  assert.deepEqual(body.spec.template.spec.containers, [{ image: 'nginx:1.27', name: 'nginx' }]);
  assert.equal(body.metadata.labels.tier, null);
});
