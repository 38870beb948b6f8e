/**
 * ResourceQuota and LimitRanger admission through the real kubectl against `k8ts server --disable-agent`
 * in a sealed netns: `kubectl create quota` then the pod beyond `pods=2` is refused with upstream's
 * message; a LimitRange's defaults show up in `kubectl get pod -o yaml`; a pod over `max` is refused.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startCluster, type Cluster } from '../harness/cluster.js';

const skip = existsSync('/usr/bin/kubectl') ? false : 'kubectl is not installed';
let c: Cluster;

async function k(args: string[], input?: string): Promise<string> {
  const r = await c.kubectl(args, { input });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

async function kFail(args: string[], input?: string): Promise<string> {
  const r = await c.kubectl(args, { input });
  assert.notEqual(r.code, 0, `kubectl ${args.join(' ')} should have failed: ${r.stdout}`);
  return r.stderr;
}

async function eventually(what: string, f: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const podYaml = (name: string, ns: string, resources = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  containers:
  - name: c
    image: busybox
${resources}`;

before(async () => {
  if (skip) return;
  c = await startCluster({ args: ['--disable-agent'] });
});

after(async () => {
  if (skip) return;
  await c.stop();
});

test('kubectl create quota: the third pod is refused with upstream\'s message', { skip }, async () => {
  await k(['create', 'namespace', 'rq']);
  assert.match(await k(['create', 'quota', 'q', '-n', 'rq', '--hard=pods=2,requests.cpu=1']), /resourcequota\/q created/);
  await eventually('the quota controller to fill status.used', async () =>
    (await c.kubectl(['get', 'quota', 'q', '-n', 'rq', '-o', 'jsonpath={.status.used.pods}'])).stdout === '0');
  const cpu = '    resources:\n      requests:\n        cpu: 300m\n';
  await k(['create', '-f', '-'], podYaml('p1', 'rq', cpu));
  await k(['create', '-f', '-'], podYaml('p2', 'rq', cpu));
  // Charged in admission, before the controller recounts.
  assert.equal(await k(['get', 'quota', 'q', '-n', 'rq', '-o', 'jsonpath={.status.used.pods} {.status.used.requests\\.cpu}']), '2 600m');
  const err = await kFail(['create', '-f', '-'], podYaml('p3', 'rq', cpu));
  assert.match(err, /Error from server \(Forbidden\): error when creating "STDIN": pods "p3" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2/);
  // A pod that does not state its cpu request is refused while requests.cpu is tracked.
  await k(['delete', 'pod', 'p2', '-n', 'rq', '--grace-period=0', '--force', '--wait=false']);
  await eventually('the quota controller to release p2', async () =>
    (await c.kubectl(['get', 'quota', 'q', '-n', 'rq', '-o', 'jsonpath={.status.used.pods}'])).stdout === '1');
  const bare = await kFail(['create', '-f', '-'], podYaml('p4', 'rq'));
  assert.match(bare, /pods "p4" is forbidden: failed quota: q: must specify requests.cpu for: c/);
  const tooBig = await kFail(['create', '-f', '-'], podYaml('p5', 'rq', '    resources:\n      requests:\n        cpu: 800m\n'));
  assert.match(tooBig, /pods "p5" is forbidden: exceeded quota: q, requested: requests.cpu=800m, used: requests.cpu=300m, limited: requests.cpu=1/);
  assert.match(await k(['describe', 'quota', 'q', '-n', 'rq']), /pods\s+1\s+2/);
});

test('LimitRange defaults appear on the pod; a pod over max is refused', { skip }, async () => {
  await k(['create', 'namespace', 'lr']);
  await k(['apply', '-f', '-'], `apiVersion: v1
kind: LimitRange
metadata:
  name: limits
  namespace: lr
spec:
  limits:
  - type: Container
    max:
      cpu: "1"
    default:
      cpu: 500m
      memory: 256Mi
    defaultRequest:
      cpu: 100m
      memory: 128Mi
`);
  await eventually('the LimitRange to reach the watch cache', async () => (await c.kubectl(['get', 'limitrange', 'limits', '-n', 'lr'])).code === 0);
  await k(['create', '-f', '-'], podYaml('d', 'lr'));
  const yaml = await k(['get', 'pod', 'd', '-n', 'lr', '-o', 'yaml']);
  assert.match(yaml, /resources:\n\s+limits:\n\s+cpu: 500m\n\s+memory: 256Mi\n\s+requests:\n\s+cpu: 100m\n\s+memory: 128Mi/);
  assert.match(yaml, /qosClass: Burstable/);
  assert.equal(await k(['get', 'pod', 'd', '-n', 'lr', '-o', 'jsonpath={.metadata.annotations.kubernetes\\.io/limit-ranger}']),
    'LimitRanger plugin set: cpu, memory request for container c; cpu, memory limit for container c');
  const err = await kFail(['create', '-f', '-'], podYaml('big', 'lr', '    resources:\n      limits:\n        cpu: "2"\n'));
  assert.match(err, /Error from server \(Forbidden\): error when creating "STDIN": pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2/);
  assert.equal((await c.kubectl(['get', 'pod', 'big', '-n', 'lr'])).code, 1);
});
