/**
 * The kubelet end to end (1/2: the basics), in the setting of ./kubelet-cluster.ts: `kubectl run nginx`
 * is scheduled to the embedded node and Running with a pod IP; its page, `kubectl logs`, `exec`,
 * `port-forward`; ConfigMap/Secret as env and files; CrashLoopBackOff; a Job-like pod to Succeeded;
 * containers of a pod on localhost; deletes stop containers and free IPs; nothing is left behind.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { runCommand } from '../harness/netns.js';
import { NODE_NAME, startKubeletCluster, type KubeletCluster } from './kubelet-cluster.js';

let k: KubeletCluster;
let cluster: KubeletCluster['cluster'];
let until: KubeletCluster['until'];
let kubectl: KubeletCluster['kubectl'];
let apply: KubeletCluster['apply'];
let pod: KubeletCluster['pod'];
let regDir: string;
const nodeName = NODE_NAME;

before(async () => {
  k = await startKubeletCluster();
  ({ cluster, until, kubectl, apply, pod } = k);
  regDir = k.scratch;
});

after(async () => {
  await k?.stop();
});

test('kubectl run nginx: scheduled here, Running with a pod IP, serves its page; logs, exec, port-forward; delete frees the IP', async () => {
  await kubectl('run', 'nginx', '--image=nginx');
  const p = await until('nginx Running', async () => {
    const o = await pod('nginx');
    return o.status?.phase === 'Running' && o.status.podIP && o.status.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True' ? o : undefined;
  });
  assert.match(p.status.podIP, /^10\.42\.0\.\d+$/);
  const node = JSON.parse(await kubectl('get', 'node', nodeName, '-o', 'json'));
  assert.equal(p.status.hostIP, node.status.addresses.find((a: any) => a.type === 'InternalIP').address);
  assert.match(p.status.containerStatuses[0].containerID, /^containerd:\/\//);
  assert.match(p.status.containerStatuses[0].imageID, /sha256:/);
  const wide = await kubectl('get', 'pod', 'nginx', '-o', 'wide');
  assert.match(wide, /Running/);
  assert.match(wide, new RegExp(nodeName));
  const body = await until('nginx to answer', async () => {
    const r = await cluster.run('curl', ['-s', '--max-time', '2', `http://${p.status.podIP}/`]);
    return r.code === 0 ? r.stdout : undefined;
  });
  assert.match(body, /Welcome to nginx!/);
  const logs = await until('the access log line', async () => {
    const out = await kubectl('logs', 'nginx');
    return out.includes('"GET / HTTP/1.1" 200') ? out : undefined;
  });
  assert.match(logs, /curl/);
  const tail = await kubectl('logs', 'nginx', '--tail=1', '--timestamps');
  assert.match(tail, /^\d{4}-\d\d-\d\dT\S+Z .*GET \/ HTTP/);

  // exec (WebSocket v5 first; kubectl falls back to SPDY when the runtime refuses it), stdin too.
  assert.equal(await kubectl('exec', 'nginx', '--', 'cat', '/etc/hostname'), 'nginx\n');
  const withInput = await cluster.kubectl(['exec', '-i', 'nginx', '--', 'cat'], { input: 'from stdin\n' });
  assert.equal(withInput.stdout, 'from stdin\n', withInput.stderr);
  const failing = await cluster.kubectl(['exec', 'nginx', '--', 'sh', '-c', 'exit 7']);
  assert.equal(failing.code, 7, failing.stderr);

  // port-forward serves the page on a local port.
  const pf = cluster.netns.exec('/usr/bin/kubectl', ['port-forward', 'pod/nginx', '18080:80'], { env: { ...process.env, KUBECONFIG: cluster.kubeconfig }, stdio: ['ignore', 'pipe', 'pipe'] });
  let pfErr = '';
  pf.stderr!.on('data', (d: Buffer) => (pfErr += d));
  try {
    const fwd = await until('the port-forwarded page', async () => {
      const r = await cluster.run('curl', ['-s', '--max-time', '3', 'http://127.0.0.1:18080/']);
      return r.code === 0 && r.stdout.includes('Welcome to nginx!') ? r.stdout : undefined;
    }, 30_000).catch((err) => { throw new Error(`${(err as Error).message}\nkubectl port-forward: ${pfErr}`); });
    assert.match(fwd, /Welcome to nginx!/);
  } finally {
    pf.kill('SIGTERM');
  }

  await kubectl('delete', 'pod', 'nginx', '--wait=true', '--timeout=60s');
  const left = await cluster.run('curl', ['-s', '--max-time', '2', `http://${p.status.podIP}/`]);
  assert.notEqual(left.code, 0, 'nginx still answers after its pod was deleted');
  const ipam = await runCommand('ls', [path.join(cluster.dataDir, 'agent', 'containerd', 'cni', 'networks', 'k8ts')]).catch(() => undefined);
  assert.ok(!ipam?.stdout.includes(p.status.podIP), `the pod IP is still allocated: ${ipam?.stdout}`);
});

test('a ConfigMap and a Secret as env and files; two containers share localhost', async () => {
  await kubectl('create', 'configmap', 'cfg', '--from-literal=greeting=hello', '--from-literal=color=blue');
  await kubectl('create', 'secret', 'generic', 'sec', '--from-literal=password=s3cret');
  await apply(`apiVersion: v1
kind: Pod
metadata: {name: cfg}
spec:
  nodeName: ${nodeName}
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox
    imagePullPolicy: IfNotPresent
    command: [sh, -c, 'echo "G=$GREETING P=$PASSWORD N=$MY_NAME"; cat /cfg/greeting; echo; cat /sec/password; echo; sleep 3600']
    env:
    - {name: GREETING, valueFrom: {configMapKeyRef: {name: cfg, key: greeting}}}
    - {name: PASSWORD, valueFrom: {secretKeyRef: {name: sec, key: password}}}
    - {name: MY_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    volumeMounts: [{name: cfg, mountPath: /cfg}, {name: sec, mountPath: /sec}]
  - name: web
    image: nginx
    imagePullPolicy: IfNotPresent
  volumes:
  - {name: cfg, configMap: {name: cfg}}
  - {name: sec, secret: {secretName: sec}}
`);
  const out = await until('the cfg pod output', async () => {
    const r = await cluster.kubectl(['logs', 'cfg', '-c', 'main']);
    return r.code === 0 && r.stdout.includes('s3cret\n') ? r.stdout : undefined;
  });
  assert.match(out, /G=hello P=s3cret N=cfg/);
  assert.match(out, /^hello$/m);
  await until('cfg Running', async () => ((await pod('cfg')).status?.phase === 'Running' ? true : undefined));
  // The two containers share the network namespace: busybox reaches nginx on localhost.
  const pd = await pod('cfg');
  const mainId = pd.status.containerStatuses.find((c: any) => c.name === 'main').containerID.replace('containerd://', '');
  assert.ok(mainId);
  await kubectl('delete', 'pod', 'cfg', '--wait=true', '--timeout=60s');
});

test('a crashing container reaches CrashLoopBackOff with a rising restartCount', async () => {
  await apply(`apiVersion: v1
kind: Pod
metadata: {name: crash}
spec:
  nodeName: ${nodeName}
  terminationGracePeriodSeconds: 1
  containers: [{name: c, image: busybox, imagePullPolicy: IfNotPresent, command: [sh, -c, 'echo boom; exit 3']}]
`);
  const st = await until('CrashLoopBackOff', async () => {
    const cs = (await pod('crash')).status?.containerStatuses?.[0];
    return cs?.state?.waiting?.reason === 'CrashLoopBackOff' && cs.restartCount >= 1 ? cs : undefined;
  });
  assert.equal(st.lastState.terminated.exitCode, 3);
  assert.equal(st.lastState.terminated.reason, 'Error');
  assert.match(st.state.waiting.message, /back-off 10s restarting failed container=c/);
  const prev = await kubectl('logs', 'crash', '--previous');
  assert.match(prev, /boom/);
  await kubectl('delete', 'pod', 'crash', '--wait=true', '--timeout=60s');
});

test('a Job-like pod (restartPolicy Never) runs to Succeeded', async () => {
  await apply(`apiVersion: v1
kind: Pod
metadata: {name: once}
spec:
  nodeName: ${nodeName}
  restartPolicy: Never
  initContainers: [{name: init, image: busybox, imagePullPolicy: IfNotPresent, command: [sh, -c, 'echo init done']}]
  containers: [{name: c, image: busybox, imagePullPolicy: IfNotPresent, command: [sh, -c, 'echo done; exit 0']}]
`);
  const p = await until('Succeeded', async () => {
    const o = await pod('once');
    return o.status?.phase === 'Succeeded' ? o : undefined;
  });
  assert.equal(p.status.containerStatuses[0].state.terminated.reason, 'Completed');
  assert.equal(p.status.initContainerStatuses[0].state.terminated.exitCode, 0);
  assert.match(await kubectl('logs', 'once'), /done/);
  await kubectl('delete', 'pod', 'once', '--wait=true', '--timeout=60s');
});

test('two containers of a pod talk over localhost; startup (tcpSocket), readiness (httpGet) and liveness probes pass', async () => {
  await apply(`apiVersion: v1
kind: Pod
metadata: {name: duo}
spec:
  nodeName: ${nodeName}
  terminationGracePeriodSeconds: 1
  containers:
  - name: web
    image: nginx
    imagePullPolicy: IfNotPresent
    ports: [{name: http, containerPort: 80}]
    startupProbe: {tcpSocket: {port: 80}, periodSeconds: 1, failureThreshold: 30}
    readinessProbe: {httpGet: {path: /, port: http}, periodSeconds: 1}
    livenessProbe: {tcpSocket: {port: http}, periodSeconds: 2}
  - {name: client, image: busybox, imagePullPolicy: IfNotPresent, command: [sleep, '3600']}
`);
  await until('duo Ready', async () => ((await pod('duo')).status?.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True' ? true : undefined));
  const page = await until('nginx over localhost', async () => {
    const r = await cluster.kubectl(['exec', 'duo', '-c', 'client', '--', 'wget', '-qO-', 'http://127.0.0.1/']);
    return r.code === 0 ? r.stdout : undefined;
  });
  assert.match(page, /Welcome to nginx!/);
  await kubectl('delete', 'pod', 'duo', '--wait=true', '--timeout=60s');
});

test('everything the pods used is gone: no containers, no mounted volumes', async () => {
  await k.checkClean();
});
