/**
 * The API server with the real kubectl 1.32 (through /usr/bin/kubectl, which picks the version the server
 * reports), inside a sealed network namespace. Output is compared with what upstream prints.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { startCluster, type Cluster } from '../harness/cluster.js';

let c: Cluster;

async function k(args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const r = await c.kubectl(args, opts);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

async function kFail(args: string[], opts: { input?: string } = {}): Promise<string> {
  const r = await c.kubectl(args, opts);
  assert.notEqual(r.code, 0, `kubectl ${args.join(' ')} should have failed: ${r.stdout}`);
  return r.stderr;
}

/** A raw HTTPS request with the admin token (or `token`), inside the namespace, through curl. */
async function curl(method: string, urlPath: string, body?: string, headers: Record<string, string> = {}, token?: string | null): Promise<{ code: number; body: string; headers: string }> {
  const tok = token === undefined ? readFileSync(path.join(c.dataDir, 'server', 'cred', 'admin.token'), 'utf8').trim() : token;
  const args = ['-sS', '-D', '-', '-H', 'Expect:', '--cacert', path.join(c.dataDir, 'server', 'tls', 'server-ca.crt'), '-X', method, `${c.url}${urlPath}`];
  if (tok !== null) args.push('-H', `Authorization: Bearer ${tok}`);
  for (const [h, v] of Object.entries(headers)) args.push('-H', `${h}: ${v}`);
  if (body !== undefined) args.push('--data-binary', '@-');
  const r = await c.run('curl', args, { input: body });
  const sep = r.stdout.indexOf('\r\n\r\n');
  const head = r.stdout.slice(0, sep);
  return { code: Number(/HTTP\/[\d.]+ (\d+)/.exec(head)?.[1]), headers: head, body: r.stdout.slice(sep + 4) };
}

const MULTI = `apiVersion: v1
kind: Pod
metadata:
  name: web-1
  labels: {app: web, env: prod, tier: fe}
spec:
  containers:
  - name: nginx
    image: nginx:1.25
---
apiVersion: v1
kind: Pod
metadata:
  name: db-1
  labels: {app: db, env: devel}
spec:
  containers:
  - name: pg
    image: postgres
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 8080
`;

describe('kubectl against k8ts', () => {
  before(async () => {
    c = await startCluster({ args: ['--disable-agent'] });
  });
  after(async () => {
    await c?.stop();
  });

  test('version reports 1.32 and kubectl 1.32 is used', async () => {
    const out = await k(['version']);
    assert.match(out, /Client Version: v1\.32\./);
    assert.match(out, /Server Version: v1\.32\.0\+k8ts/);
  });

  test('api-resources lists the catalog with short names and groups', async () => {
    const out = await k(['api-resources']);
    assert.match(out, /^pods\s+po\s+v1\s+true\s+Pod$/m);
    assert.match(out, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    assert.match(out, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
    assert.match(out, /^horizontalpodautoscalers\s+hpa\s+autoscaling\/v2\s+true\s+HorizontalPodAutoscaler$/m);
    assert.match(out, /^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease$/m);
  });

  test('the bootstrap namespaces and the kubernetes Service exist', async () => {
    const ns = await k(['get', 'ns']);
    for (const n of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.match(ns, new RegExp(`^${n}\\s+Active\\s+\\d+s$`, 'm'));
    const svc = await k(['get', 'svc', 'kubernetes', '-o', 'wide']);
    assert.match(svc, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR$/m);
    assert.match(svc, /^kubernetes\s+ClusterIP\s+10\.43\.0\.1\s+<none>\s+443\/TCP\s+\d+s\s+<none>$/m);
  });

  test('create -f of a multi-document YAML, then get in every output form', async () => {
    const out = await k(['create', '-f', '-'], { input: MULTI });
    assert.equal(out, 'pod/web-1 created\npod/db-1 created\nservice/web created\n');
    const wide = await k(['get', 'pods', '-o', 'wide']);
    assert.match(wide, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/m);
    assert.match(wide, /^web-1\s+0\/1\s+Pending\s+0\s+\d+s\s+<none>\s+<none>\s+<none>\s+<none>$/m);
    const name = await k(['get', 'pods', '-o', 'name']);
    assert.equal(name, 'pod/db-1\npod/web-1\n');
    const pod = JSON.parse(await k(['get', 'pod', 'web-1', '-o', 'json']));
    assert.equal(pod.spec.restartPolicy, 'Always');
    assert.equal(pod.spec.containers[0].imagePullPolicy, 'IfNotPresent');
    assert.equal(pod.status.phase, 'Pending');
    assert.equal(pod.status.qosClass, 'BestEffort');
    assert.match(pod.metadata.uid, /^[0-9a-f-]{36}$/);
    const yaml = await k(['get', 'pod', 'db-1', '-o', 'yaml']);
    assert.match(yaml, /imagePullPolicy: Always/);
    const svc = await k(['get', 'svc', 'web']);
    assert.match(svc, /^web\s+ClusterIP\s+10\.43\.\d+\.\d+\s+<none>\s+80\/TCP\s+\d+s$/m);
    const again = await kFail(['create', '-f', '-'], { input: MULTI });
    assert.match(again, /Error from server \(AlreadyExists\): error when creating "STDIN": pods "web-1" already exists/);
  });

  test('--show-labels, -L and -l with every selector operator; -A', async () => {
    const show = await k(['get', 'po', '--show-labels']);
    assert.match(show, /^web-1\s+0\/1\s+Pending\s+0\s+\d+s\s+app=web,env=prod,tier=fe$/m);
    const cols = await k(['get', 'po', '-L', 'env,tier']);
    assert.match(cols, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+ENV\s+TIER$/m);
    assert.match(cols, /^db-1\s+0\/1\s+Pending\s+0\s+\d+s\s+devel\s*$/m);
    const sel = async (s: string) => (await k(['get', 'po', '-l', s, '-o', 'name'])).trim().split('\n').filter(Boolean);
    assert.deepEqual(await sel('app=web'), ['pod/web-1']);
    assert.deepEqual(await sel('app==db'), ['pod/db-1']);
    assert.deepEqual(await sel('app!=web'), ['pod/db-1']);
    assert.deepEqual(await sel('env in (prod,devel)'), ['pod/db-1', 'pod/web-1']);
    assert.deepEqual(await sel('env notin (prod)'), ['pod/db-1']);
    assert.deepEqual(await sel('tier'), ['pod/web-1']);
    assert.deepEqual(await sel('!tier'), ['pod/db-1']);
    const all = await k(['get', 'svc', '-A']);
    assert.match(all, /^NAMESPACE\s+NAME\s+TYPE/m);
    assert.match(all, /^default\s+kubernetes\s+ClusterIP/m);
    const bad = await kFail(['get', 'po', '-l', 'a in (b']);
    assert.match(bad, /unable to parse requirement|found '', expected/);
  });

  test('get works for every resource in the catalog, in every output form', async () => {
    const resources = ['namespaces', 'pods', 'services', 'endpoints', 'configmaps', 'secrets', 'serviceaccounts', 'nodes', 'events',
      'replicationcontrollers', 'persistentvolumes', 'persistentvolumeclaims', 'limitranges', 'resourcequotas', 'deployments.apps',
      'replicasets.apps', 'statefulsets.apps', 'daemonsets.apps', 'controllerrevisions.apps', 'jobs.batch', 'cronjobs.batch',
      'ingresses.networking.k8s.io', 'ingressclasses.networking.k8s.io', 'endpointslices.discovery.k8s.io', 'horizontalpodautoscalers.autoscaling',
      'leases.coordination.k8s.io', 'events.events.k8s.io', 'roles.rbac.authorization.k8s.io', 'rolebindings.rbac.authorization.k8s.io',
      'clusterroles.rbac.authorization.k8s.io', 'clusterrolebindings.rbac.authorization.k8s.io', 'poddisruptionbudgets.policy',
      'storageclasses.storage.k8s.io', 'priorityclasses.scheduling.k8s.io'];
    for (const res of resources) {
      // -o json and -o name are covered for pods, services and the rest above; here wide and yaml.
      for (const out of [['-o', 'wide'], ['-o', 'yaml']]) {
        const r = await c.kubectl(['get', res, '-A', ...out]);
        assert.equal(r.code, 0, `get ${res} ${out.join(' ')}: ${r.stderr}`);
      }
    }
  });

  test('nodes print upstream columns, wide ones included', async () => {
    await k(['create', '-f', '-'], { input: `apiVersion: v1
kind: Node
metadata:
  name: worker-1
  labels: {node-role.kubernetes.io/worker: ""}
status:
  conditions: [{type: Ready, status: "True"}]
  addresses: [{type: InternalIP, address: 10.0.0.5}]
  nodeInfo: {kubeletVersion: v1.32.0+k8ts, osImage: Debian GNU/Linux 12 (bookworm), kernelVersion: 6.1.0, containerRuntimeVersion: containerd://1.7.24,
    architecture: amd64, bootID: x, kubeProxyVersion: v1.32.0, machineID: m, operatingSystem: linux, systemUUID: u}
` });
    const out = await k(['get', 'nodes', '-o', 'wide']);
    assert.match(out, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME$/m);
    assert.match(out, /^worker-1\s+Ready\s+worker\s+\d+s\s+v1\.32\.0\+k8ts\s+10\.0\.0\.5\s+<none>\s+Debian GNU\/Linux 12 \(bookworm\)\s+6\.1\.0\s+containerd:\/\/1\.7\.24$/m);
    await k(['delete', 'node', 'worker-1']);
  });

  test('describe pod shows its fields and lists events by field selector', async () => {
    const out = await k(['describe', 'pod', 'web-1']);
    assert.match(out, /^Name:\s+web-1$/m);
    assert.match(out, /^Namespace:\s+default$/m);
    assert.match(out, /^Status:\s+Pending$/m);
    assert.match(out, /^Events:/m);
  });

  test('apply -f twice (image change, label removed) and apply --server-side', async () => {
    const v1 = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  labels: {team: a, stage: beta}
spec:
  replicas: 1
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      containers: [{name: c, image: "nginx:1.25"}]
`;
    assert.equal(await k(['apply', '-f', '-'], { input: v1 }), 'deployment.apps/app created\n');
    const v2 = v1.replace('nginx:1.25', 'nginx:1.26').replace('labels: {team: a, stage: beta}', 'labels: {team: a}');
    assert.equal(await k(['apply', '-f', '-'], { input: v2 }), 'deployment.apps/app configured\n');
    const d = JSON.parse(await k(['get', 'deploy', 'app', '-o', 'json']));
    assert.equal(d.spec.template.spec.containers[0].image, 'nginx:1.26');
    assert.deepEqual(d.metadata.labels, { team: 'a' });
    assert.equal(d.metadata.generation, 2);
    assert.equal(d.spec.strategy.rollingUpdate.maxSurge, '25%');
    assert.equal(await k(['apply', '-f', '-'], { input: v2 }), 'deployment.apps/app unchanged\n');
    const wide = await k(['get', 'deploy', 'app', '-o', 'wide']);
    assert.match(wide, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/m);
    assert.match(wide, /^app\s+0\/1\s+\d+\s+0\s+\d+s\s+c\s+nginx:1\.26\s+app=app$/m);

    const ssa = `apiVersion: v1
kind: ConfigMap
metadata: {name: ssa}
data: {a: "1"}
`;
    assert.equal(await k(['apply', '--server-side', '-f', '-'], { input: ssa }), 'configmap/ssa serverside-applied\n');
    const cm = JSON.parse(await k(['get', 'cm', 'ssa', '-o', 'json', '--show-managed-fields']));
    assert.equal(cm.metadata.managedFields[0].manager, 'kubectl');
    assert.equal(cm.metadata.managedFields[0].operation, 'Apply');
    await k(['apply', '--server-side', '--field-manager=other', '-f', '-'], { input: ssa.replace('{a: "1"}', '{a: "1", b: "2"}') });
    const conflict = await kFail(['apply', '--server-side', '--field-manager=other', '-f', '-'], { input: ssa.replace('"1"', '"9"') });
    assert.match(conflict, /Apply failed with 1 conflict: conflict with "kubectl": \.data\.a/);
    assert.equal(await k(['apply', '--server-side', '--force-conflicts', '--field-manager=other', '-f', '-'], { input: ssa.replace('"1"', '"9"') }), 'configmap/ssa serverside-applied\n');
    assert.deepEqual(JSON.parse(await k(['get', 'cm', 'ssa', '-o', 'json'])).data, { a: '9' });
  });

  test('create deployment|configmap|secret generic|namespace|service clusterip|job (protobuf bodies)', async () => {
    assert.equal(await k(['create', 'deployment', 'd1', '--image=nginx', '--replicas=2']), 'deployment.apps/d1 created\n');
    assert.equal(await k(['create', 'configmap', 'cm1', '--from-literal=a=1', '--from-literal=b=2']), 'configmap/cm1 created\n');
    assert.equal(await k(['create', 'secret', 'generic', 's1', '--from-literal=pw=x']), 'secret/s1 created\n');
    assert.equal(await k(['create', 'namespace', 'team-a']), 'namespace/team-a created\n');
    assert.equal(await k(['create', 'service', 'clusterip', 'svc1', '--tcp=80:8080']), 'service/svc1 created\n');
    assert.equal(await k(['create', 'job', 'j1', '--image=busybox', '--', 'echo', 'hi']), 'job.batch/j1 created\n');
    assert.match(await k(['get', 'cm', 'cm1']), /^cm1\s+2\s+\d+s$/m);
    assert.match(await k(['get', 'secret', 's1']), /^s1\s+Opaque\s+1\s+\d+s$/m);
    assert.match(await k(['get', 'deploy', 'd1']), /^d1\s+0\/2\s+\d+\s+0\s+\d+s$/m);
    assert.match(await k(['get', 'job', 'j1']), /^j1\s+Running\s+0\/1\s+(\d+s\s+)?\d+s$/m);
    const job = JSON.parse(await k(['get', 'job', 'j1', '-o', 'json']));
    assert.equal(job.spec.selector.matchLabels['batch.kubernetes.io/controller-uid'], job.metadata.uid);
    assert.equal(JSON.parse(await k(['get', 'secret', 's1', '-o', 'json'])).data.pw, Buffer.from('x').toString('base64'));
  });

  test('label, annotate, scale (deployment and rc), edit via KUBE_EDITOR', async () => {
    assert.equal(await k(['label', 'pod', 'db-1', 'tier=be']), 'pod/db-1 labeled\n');
    assert.equal(await k(['label', 'pod', 'db-1', 'tier-']), 'pod/db-1 unlabeled\n');
    assert.equal(await k(['annotate', 'pod', 'db-1', 'note=hello']), 'pod/db-1 annotated\n');
    assert.equal(JSON.parse(await k(['get', 'pod', 'db-1', '-o', 'json'])).metadata.annotations.note, 'hello');
    assert.equal(await k(['scale', 'deployment', 'd1', '--replicas=3']), 'deployment.apps/d1 scaled\n');
    assert.equal(JSON.parse(await k(['get', 'deploy', 'd1', '-o', 'json'])).spec.replicas, 3);
    await k(['create', '-f', '-'], { input: `apiVersion: v1
kind: ReplicationController
metadata: {name: kubia}
spec:
  replicas: 1
  template:
    metadata: {labels: {app: kubia}}
    spec: {containers: [{name: c, image: luksa/kubia}]}
` });
    assert.equal(await k(['scale', 'rc', 'kubia', '--replicas=3']), 'replicationcontroller/kubia scaled\n');
    assert.match(await k(['get', 'rc', 'kubia']), /^kubia\s+3\s+\d+\s+0\s+\d+s$/m);
    const editor = path.join(c.dataDir, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/a: \\"1\\"/a: \\"edited\\"/" "$1"\n', { mode: 0o755 });
    assert.equal(await k(['edit', 'configmap', 'cm1'], { env: { KUBE_EDITOR: editor } }), 'configmap/cm1 edited\n');
    assert.equal(JSON.parse(await k(['get', 'cm', 'cm1', '-o', 'json'])).data.a, 'edited');
  });

  test('create serviceaccount and create token; the token authenticates', async () => {
    assert.equal(await k(['create', 'serviceaccount', 'bot']), 'serviceaccount/bot created\n');
    const token = (await k(['create', 'token', 'bot', '--duration=15m'])).trim();
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.match(await k(['get', 'sa', 'bot', '--token', token]), /^bot\s+0\s+\d+s$/m);
  });

  test('explain reads the OpenAPI v3 descriptions', async () => {
    const out = await k(['explain', 'pods.spec.containers']);
    assert.match(out, /^KIND:\s+Pod$/m);
    assert.match(out, /^FIELD:\s+containers <\[\]Container>$/m);
  });

  test('get -w prints the list and then changes', async () => {
    const watching = c.kubectl(['get', 'cm', '-w', '--request-timeout=4s'], { timeoutMs: 8000 });
    await new Promise((r) => setTimeout(r, 1500));
    await k(['create', 'configmap', 'watched', '--from-literal=x=y']);
    const r = await watching;
    assert.match(r.stdout, /^NAME\s+DATA\s+AGE$/m);
    assert.match(r.stdout, /^watched\s+1\s+\d+s$/m);
  });

  test('delete single, -l and --all', async () => {
    assert.equal(await k(['delete', 'pod', 'web-1']), 'pod "web-1" deleted\n');
    await k(['create', 'configmap', 'x1', '--from-literal=a=b']);
    await k(['label', 'cm', 'x1', 'drop=yes']);
    assert.equal(await k(['delete', 'cm', '-l', 'drop=yes']), 'configmap "x1" deleted\n');
    await k(['delete', 'cm', '--all']);
    assert.equal((await c.kubectl(['get', 'cm'])).stderr, 'No resources found in default namespace.\n');
    const nf = await kFail(['delete', 'pod', 'nope']);
    assert.equal(nf, 'Error from server (NotFound): pods "nope" not found\n');
  });

  test('bad input is answered with upstream Status bodies', async () => {
    const noAuth = await curl('GET', '/api/v1/pods', undefined, {}, null);
    assert.equal(noAuth.code, 401);
    assert.equal(JSON.parse(noAuth.body).reason, 'Unauthorized');
    assert.equal((await curl('GET', '/api/v1/pods', undefined, {}, 'wrong')).code, 401);
    const badKubeconfig = readFileSync(c.kubeconfig, 'utf8').replace(/token: .*/, 'token: nope');
    writeFileSync(path.join(c.dataDir, 'bad.kubeconfig'), badKubeconfig);
    const unauth = await c.kubectl(['get', 'pods'], { env: { KUBECONFIG: path.join(c.dataDir, 'bad.kubeconfig') } });
    assert.match(unauth.stderr, /You must be logged in to the server \(Unauthorized\)/);

    const ct = { 'Content-Type': 'application/json' };
    const malformed = await curl('POST', '/api/v1/namespaces/default/configmaps', '{"kind":', ct);
    assert.equal(malformed.code, 400);
    assert.match(JSON.parse(malformed.body).message, /^couldn't get version\/kind; json parse error: /);
    const badYaml = await curl('POST', '/api/v1/namespaces/default/configmaps', 'a: [b\n', { 'Content-Type': 'application/yaml' });
    assert.equal(badYaml.code, 400);
    assert.match(JSON.parse(badYaml.body).message, /^error converting YAML to JSON: yaml: /);
    const strict = await curl('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"s"},"foo":1}', ct);
    assert.equal(strict.code, 400);
    assert.equal(JSON.parse(strict.body).message, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "foo"');
    const warn = await curl('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Warn', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"w"},"foo":1}', ct);
    assert.equal(warn.code, 201);
    assert.match(warn.headers, /Warning: 299 - "unknown field \\"foo\\""/);
    const invalidName = await curl('POST', '/api/v1/namespaces/default/configmaps', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"Bad_Name"}}', ct);
    assert.equal(invalidName.code, 422);
    const inv = JSON.parse(invalidName.body);
    assert.equal(inv.reason, 'Invalid');
    assert.equal(inv.details.causes[0].field, 'metadata.name');
    assert.match(inv.message, /^ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
    const wrongKind = await curl('POST', '/api/v1/namespaces/default/configmaps', '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"}}', ct);
    assert.equal(wrongKind.code, 400);
    const created = JSON.parse((await curl('POST', '/api/v1/namespaces/default/configmaps', '{"metadata":{"name":"cas"},"data":{"a":"1"}}', ct)).body);
    const upd = (rv: string) => curl('PUT', '/api/v1/namespaces/default/configmaps/cas', JSON.stringify({ ...created, data: { a: rv }, metadata: { ...created.metadata, resourceVersion: rv } }), ct);
    assert.equal((await upd(created.metadata.resourceVersion)).code, 200);
    const stale = await upd(created.metadata.resourceVersion);
    assert.equal(stale.code, 409);
    assert.equal(JSON.parse(stale.body).message, 'Operation cannot be fulfilled on configmaps "cas": the object has been modified; please apply your changes to the latest version and try again');
    const mismatch = await curl('PUT', '/api/v1/namespaces/default/configmaps/cas', '{"metadata":{"name":"other"}}', ct);
    assert.equal(mismatch.code, 400);
    const big = await curl('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ metadata: { name: 'big' }, data: { a: 'x'.repeat(3 * 1024 * 1024 + 10) } }), ct);
    assert.equal(big.code, 413);
    const badSel = await curl('GET', '/api/v1/pods?labelSelector=a%20in%20(b');
    assert.equal(badSel.code, 400);
    const badField = await curl('GET', '/api/v1/pods?fieldSelector=spec.bogus%3Dx');
    assert.equal(badField.code, 400);
    assert.equal(JSON.parse(badField.body).message, 'field label not supported: spec.bogus');
    const noNs = await curl('POST', '/api/v1/namespaces/missing/configmaps', '{"metadata":{"name":"a"}}', ct);
    assert.equal(noNs.code, 404);
    assert.equal(JSON.parse(noNs.body).message, 'namespaces "missing" not found');
  });

  test('restart loses nothing acknowledged, and a watch resumes from its resourceVersion', async () => {
    const cm = JSON.parse(await k(['create', 'configmap', 'keep', '--from-literal=k=v', '-o', 'json']));
    const rv = cm.metadata.resourceVersion;
    await k(['create', 'configmap', 'after', '--from-literal=k=v']);
    await c.restart();
    assert.match(await k(['get', 'cm', 'keep', 'after']), /^keep\s+1/m);
    const w = await curl('GET', `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}&timeoutSeconds=1`);
    const events = w.body.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(events.map((e) => [e.type, e.object.metadata.name]), [['ADDED', 'after']]);
    // The kubernetes Service keeps its address and a new one does not take it.
    assert.match(await k(['get', 'svc', 'kubernetes']), /10\.43\.0\.1/);
  });
});
