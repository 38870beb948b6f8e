/**
 * k8ts kubectl against the real k8ts API server (in-process, in-memory store, HTTPS on 127.0.0.1),
 * compared with the real kubectl 1.32 step by step. Each step runs twice on mirrored state: the real
 * kubectl in namespace "real", ours in namespace "ours"; outputs must match once the namespace names
 * and ages are normalized. (A test-only dependency on src/apiserver.)
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startApiServer, type RunningApiServer } from '../apiserver/apiserver.js';
import { MemoryStore } from '../apiserver/testing/memory-store.js';
import { haveRealKubectl, runOurs, runReal, type Outcome } from './testing/differential.js';

let dir: string;
let server: RunningApiServer;
let env: Record<string, string>;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'k8ts-kubectl-apiserver-'));
  server = await startApiServer(new MemoryStore(), { dataDir: join(dir, 'data'), port: 0, bindAddress: '127.0.0.1' });
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'k8ts',
    clusters: [{ name: 'k8ts', cluster: { server: server.url, 'certificate-authority-data': Buffer.from(server.pki.serverCA.certPem).toString('base64') } }],
    users: [{ name: 'admin', user: { token: server.pki.adminToken } }],
    contexts: [{ name: 'k8ts', context: { cluster: 'k8ts', user: 'admin' } }],
  }));
  env = { HOME: dir, KUBECONFIG: kubeconfig };
  writeFileSync(join(dir, 'multi.yaml'), MULTI);
  writeFileSync(join(dir, 'app1.yaml'), APP.replace('IMAGE', 'nginx:1.25'));
  writeFileSync(join(dir, 'app2.yaml'), APP.replace('IMAGE', 'nginx:1.27').replace('    tier: web\n', ''));
  writeFileSync(join(dir, 'ssa.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  k: v\n');
  writeFileSync(join(dir, 'describe.yaml'), DESCRIBE);
  const cm = (n: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${n}\n  labels: {set: p}\ndata: {k: v}\n`;
  writeFileSync(join(dir, 'prune1.yaml'), [cm('p1'), cm('p2'), cm('p3')].join('---\n'));
  writeFileSync(join(dir, 'prune2.yaml'), [cm('p1'), cm('p3')].join('---\n'));
  writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: x\n');
});

after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const MULTI = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels: {app: web, tier: fe}
data:
  color: blue
  count: "3"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: other
  labels: {app: db}
data:
  a: b
---
apiVersion: v1
kind: Secret
metadata:
  name: creds
stringData:
  password: hunter2
`;

const APP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: applied
  labels:
    app: applied
    tier: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: applied}
  template:
    metadata:
      labels: {app: applied}
    spec:
      containers:
      - name: main
        image: IMAGE
        ports:
        - containerPort: 80
      - name: side
        image: busybox
`;

const DESCRIBE = `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web, tier: fe}, annotations: {note: hi}}
spec:
  containers:
  - name: main
    image: nginx:1.27
    command: [sh, -c]
    args: ["sleep 1000"]
    ports: [{containerPort: 80}, {containerPort: 53, protocol: UDP, name: dns}]
    env: [{name: A, value: "1"}, {name: B, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
    resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 200m}}
    volumeMounts: [{name: data, mountPath: /data}, {name: cfg, mountPath: /etc/cfg, readOnly: true}]
  - name: side
    image: busybox
  volumes: [{name: data, emptyDir: {}}, {name: cfg, configMap: {name: settings}}]
  nodeSelector: {disk: ssd}
---
apiVersion: v1
kind: Service
metadata: {name: web, labels: {app: web}}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}, {name: dns, port: 53, protocol: UDP}]
`;

function normalize(o: Outcome, ns: string): Outcome {
  const fix = (s: string) => s.replaceAll(ns, 'NS').replaceAll('kubectl.1.32', 'kubectl')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UID')
    .replace(/\b\d+(s|m\d*s?|h\d*m?|d\d*h?)\b/g, 'AGE')
    .replace(/(resourceVersion|creationTimestamp|time)(": "|: )"?[^"\n]*"?/g, '$1$2X')
    .replace(/\b10\.43\.\d+\.\d+\b/g, 'CLUSTER-IP')
    .replace(/^(diff -u -N|---|\+\+\+) .*$/gm, '$1 PATHS')
    .replace(/^([IWE])\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ /gm, '$1KLOG ')
    .replace(/ {2,}/g, '  ');
  return { stdout: fix(o.stdout), stderr: fix(o.stderr), code: o.code };
}

/** Runs a step on both sides; `NODE` in arguments and stdin becomes a per-side node name. */
async function both(args: string[], stdin = '', extraEnv: Record<string, string> = {}): Promise<void> {
  const side = (ns: string) => (s: string) => s.replaceAll('NODE', `node-${ns}`);
  const real = await runReal(['-n', 'real', ...args.map(side('real'))], { ...env, ...extraEnv }, dir, side('real')(stdin));
  const ours = await runOurs(['-n', 'ours', ...args.map(side('ours'))], { ...env, ...extraEnv }, dir, side('ours')(stdin));
  for (const o of [real, ours]) { o.stdout = o.stdout.replace(/node-(real|ours)/g, 'NODE'); o.stderr = o.stderr.replace(/node-(real|ours)/g, 'NODE'); }
  assert.deepEqual(normalize(ours, 'ours'), normalize(real, 'real'), `kubectl ${args.join(' ')}`);
}

const STEPS: string[][] = [
  ['create', 'namespace', 'NS'],
  ['create', '-f', 'multi.yaml'],
  ['create', '-f', 'multi.yaml'],
  ['create', '-f', 'missing.yaml'],
  ['get', 'configmaps', '-l', 'app'],
  ['get', 'cm', 'settings', '-o', 'jsonpath={.data}'],
  ['get', 'cm', '-l', 'app in (web,db)', '-o', 'name'],
  ['get', 'cm', '-L', 'app', '--show-labels', '--sort-by=.metadata.name'],
  ['get', 'secret,cm', '-o', 'name'],
  ['get', 'cm', 'nope'],
  ['create', 'configmap', 'lit', '--from-literal=a=1', '--from-literal=b=two'],
  ['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2'],
  ['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].name} {.spec.replicas}'],
  ['delete', 'cm', 'lit'],
  ['delete', 'cm', 'lit'],
  ['delete', 'cm', 'lit', '--ignore-not-found'],
  ['delete', 'cm', '-l', 'app=db'],
  ['delete', '-f', 'multi.yaml', '--ignore-not-found'],
  ['get', 'cm', '-l', 'app'],
  ['apply', '-f', 'app1.yaml'],
  ['apply', '-f', 'app1.yaml'],
  ['apply', '-f', 'app2.yaml'],
  ['get', 'deploy', 'applied', '-o', 'jsonpath={.spec.template.spec.containers[*].image} {.metadata.labels}'],
  ['apply', '-f', 'prune1.yaml'],
  ['apply', '-f', 'prune2.yaml', '--prune', '-l', 'set=p'],
  ['get', 'cm', '-l', 'set=p', '-o', 'name'],
  ['apply', '-f', 'prune2.yaml', '--prune'],
  ['diff', '-f', 'app2.yaml'],
  ['diff', '-f', 'app1.yaml'],
  ['diff', '-f', 'ssa.yaml'],
  ['apply', '-f', 'app2.yaml', '--dry-run=server'],
  ['apply', '--server-side', '-f', 'ssa.yaml'],
  ['get', 'cm', 'ssa', '-o', 'jsonpath={.data}'],
  ['label', 'deploy', 'applied', 'env=prod', 'team=a'],
  ['label', 'deploy', 'applied', 'env=dev'],
  ['label', 'deploy', 'applied', 'env=dev', '--overwrite'],
  ['label', 'deploy/applied', 'team-'],
  ['label', 'deploy', 'applied', 'env=dev', '--overwrite'],
  ['annotate', 'deploy', 'applied', 'note=hello world'],
  ['annotate', 'deploy', 'applied', 'note=again'],
  ['get', 'deploy', 'applied', '--show-labels', '-o', 'custom-columns=NAME:.metadata.name,NOTE:.metadata.annotations.note'],
  ['scale', 'deploy', 'applied', '--replicas=4'],
  ['scale', 'deploy/applied', '--replicas=5', '--current-replicas=3'],
  ['get', 'deploy', 'applied', '-o', 'jsonpath={.spec.replicas}'],
  ['scale', 'deploy', 'applied'],
  ['create', '-f', 'describe.yaml'],
  ['describe', 'pod', 'web'],
  ['describe', 'pods', 'we'],
  ['describe', 'svc', 'web'],
  ['describe', 'pods,svc'],
  ['describe', 'cm', 'settings'],
  ['describe', 'pod', 'nope'],
  ['describe', 'deploy', '-l', 'nothing=here'],
  ['run', 'runner', '--image=nginx', '--port=80', '--env=X=1', '--labels=a=b,c=d', '--', 'sleep', '10'],
  ['run', 'runner2', '--image=busybox', '--restart=Never', '--command', '--', 'sh', '-c', 'echo hi'],
  ['get', 'pod', 'runner', 'runner2', '-o', 'jsonpath={range .items[*]}{.spec.containers[0]}{"\\n"}{.metadata.labels}{.spec.restartPolicy}{"\\n"}{end}'],
  ['patch', 'pod', 'runner', '-p', '{"metadata":{"labels":{"patched":"yes"}}}'],
  ['patch', 'pod', 'runner', '-p', '{"metadata":{"labels":{"patched":"yes"}}}'],
  ['patch', 'pod', 'runner', '--type=merge', '-p', '{"metadata":{"annotations":{"x":"y"}}}'],
  ['patch', 'pod', 'runner', '--type=json', '-p', '[{"op":"add","path":"/metadata/labels/j","value":"k"}]'],
  ['get', 'pod', 'runner', '--show-labels', '-o', 'wide'],
  ['patch', 'pod', 'nope', '-p', '{}'],
  ['cluster-info'],
  ['api-resources'],
  ['api-resources', '--namespaced=false', '-o', 'wide'],
  ['api-resources', '-o', 'name', '--api-group=apps'],
  ['api-versions'],
  ['create', 'deployment', 'roll', '--image=nginx:1.25', '--port=80'],
  ['expose', 'deployment', 'roll', '--port=8080', '--target-port=80'],
  ['expose', 'deployment', 'roll', '--name=roll2'],
  ['get', 'svc', 'roll', 'roll2', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.spec.ports} {.spec.selector}{"\\n"}{end}'],
  ['rollout', 'pause', 'deployment/roll'],
  ['rollout', 'pause', 'deployment/roll'],
  ['rollout', 'resume', 'deployment/roll'],
  ['rollout', 'resume', 'deployment/roll'],
  ['rollout', 'restart', 'deployment/roll'],
  ['rollout', 'history', 'deployment/roll'],
  ['set', 'image', 'deployment/roll', 'nginx=nginx:1.27'],
  ['set', 'image', 'deployment/roll', 'nope=nginx:1.27'],
  ['get', 'deploy', 'roll', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.spec.paused}'],
  ['rollout', 'status', 'deployment/roll', '--watch=false'],
  ['wait', '--for=jsonpath={.spec.replicas}=1', 'deployment/roll', '--timeout=5s'],
  ['wait', '--for=condition=Nope', 'deployment/roll', '--timeout=1s'],
  ['autoscale', 'deployment', 'roll', '--min=2', '--max=5', '--cpu-percent=80'],
  ['get', 'hpa', 'roll', '-o', 'jsonpath={.spec}'],
  ['autoscale', 'deployment', 'roll', '--max=0'],
  ['replace', '-f', 'ssa.yaml'],
  ['get', 'cm', 'ssa', '-o', 'jsonpath={.data}'],
  ['replace', '-f', 'ssa.yaml', '--force'],
  ['explain', 'pods'],
  ['explain', 'pods.spec.containers.ports'],
  ['explain', 'deploy.spec', '--recursive'],
  ['explain', 'svc.spec.ports.targetPort'],
  ['explain', 'pods.spec.nope'],
  ['explain', 'nothing'],
  ['delete', 'deploy', '--all'],
];

for (const [i, step] of STEPS.entries()) {
  test(`step ${i + 1}: kubectl ${step.join(' ')}`, { skip: !haveRealKubectl && 'no kubectl' }, async () => {
    if (step.includes('NS')) {
      const real = await runReal(step.map((a) => (a === 'NS' ? 'real' : a)), env, dir);
      const ours = await runOurs(step.map((a) => (a === 'NS' ? 'ours' : a)), env, dir);
      assert.deepEqual(normalize(ours, 'ours'), normalize(real, 'real'));
      return;
    }
    await both(step);
  });
}

test('nodes: cordon, uncordon, taint, describe', { skip: !haveRealKubectl && 'no kubectl' }, async () => {
  await both(['create', '-f', '-'], 'apiVersion: v1\nkind: Node\nmetadata:\n  name: NODE\n  labels: {kubernetes.io/hostname: NODE, node-role.kubernetes.io/control-plane: ""}\nspec: {podCIDR: 10.42.0.0/24}\n');
  for (const step of [
    ['cordon', 'NODE'], ['cordon', 'NODE'], ['uncordon', 'NODE'], ['uncordon', 'NODE'],
    ['taint', 'nodes', 'NODE', 'dedicated=db:NoSchedule'], ['taint', 'nodes', 'NODE', 'dedicated=web:NoSchedule'],
    ['taint', 'nodes', 'NODE', 'dedicated=web:NoSchedule', '--overwrite'], ['taint', 'node', 'NODE', 'gpu:NoExecute'],
    ['get', 'node', 'NODE', '-o', 'jsonpath={.spec.taints}'],
    ['describe', 'node', 'NODE'],
    ['drain', 'NODE'],
    ['drain', 'nope-node'],
    ['top', 'nodes'],
    ['top', 'pods'],
    ['taint', 'nodes', 'NODE', 'dedicated-'], ['taint', 'nodes', 'NODE', 'nope-'],
    ['delete', 'node', 'NODE'],
  ]) await both(step);
});

test('edit through KUBE_EDITOR like kubectl', { skip: !haveRealKubectl && 'no kubectl' }, async () => {
  await runReal(['create', 'namespace', 'real'], env, dir);
  await runOurs(['create', 'namespace', 'ours'], env, dir);
  await both(['create', 'configmap', 'edited', '--from-literal=a=1']);
  writeFileSync(join(dir, 'editor.sh'), `#!/bin/sh\nsed -i -e 's/a: "1"/a: "2"/' "$1"\n`, { mode: 0o755 });
  await both(['edit', 'cm', 'edited'], '', { KUBE_EDITOR: join(dir, 'editor.sh') });
  await both(['get', 'cm', 'edited', '-o', 'jsonpath={.data}']);
  await both(['edit', 'cm', 'edited'], '', { KUBE_EDITOR: 'true' });
  await both(['delete', 'cm', 'edited']);
});
