/**
 * The kubelet end to end (2/2: lifecycle), in the setting of ./kubelet-cluster.ts: liveness restarts,
 * OOMKilled, ImagePullBackOff, ConfigMap volume updates, volumes of every kind with preStop and `kubectl
 * cp` / `logs -f`, a server restart and a killed containerd that running pods survive.
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

test('a failing liveness probe restarts the container; readiness gates Ready', async () => {
  await apply(`apiVersion: v1
kind: Pod
metadata: {name: live}
spec:
  nodeName: ${nodeName}
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: busybox
    imagePullPolicy: IfNotPresent
    command: [sh, -c, 'sleep 3600']
    livenessProbe: {exec: {command: [test, -f, /tmp/healthy]}, periodSeconds: 1, failureThreshold: 2}
    readinessProbe: {exec: {command: [test, -f, /tmp/ready]}, periodSeconds: 1}
`);
  const cs = await until('a liveness restart', async () => {
    const s = (await pod('live')).status?.containerStatuses?.[0];
    return s?.restartCount >= 1 ? s : undefined;
  });
  assert.equal(cs.ready, false);
  assert.equal(cs.lastState.terminated.exitCode, 137);
  const events = await kubectl('get', 'events', '--field-selector', 'involvedObject.name=live', '-o', 'json');
  const reasons = JSON.parse(events).items.map((e: any) => `${e.reason}: ${e.message}`);
  assert.ok(reasons.some((r: string) => /^Unhealthy: Liveness probe failed/.test(r)), reasons.join('\n'));
  assert.ok(reasons.some((r: string) => /^Killing: Container c failed liveness probe, will be restarted/.test(r)), reasons.join('\n'));
  await kubectl('delete', 'pod', 'live', '--wait=true', '--timeout=60s');
});

test('a memory hog over its limit is OOMKilled', async () => {
  await apply(`apiVersion: v1
kind: Pod
metadata: {name: hog}
spec:
  nodeName: ${nodeName}
  restartPolicy: Never
  containers:
  - name: c
    image: busybox
    imagePullPolicy: IfNotPresent
    command: [sh, -c, 'tail /dev/zero']
    resources: {limits: {memory: 32Mi, cpu: 500m}}
`);
  const p = await until('hog Failed', async () => {
    const o = await pod('hog');
    return o.status?.phase === 'Failed' ? o : undefined;
  });
  assert.equal(p.status.containerStatuses[0].state.terminated.reason, 'OOMKilled');
  assert.equal(p.status.qosClass, 'Guaranteed');
  await kubectl('delete', 'pod', 'hog', '--wait=true', '--timeout=60s');
});

test('an image that does not exist: ErrImagePull, then ImagePullBackOff, with a Failed event', async () => {
  await apply(`apiVersion: v1
kind: Pod
metadata: {name: noimg}
spec:
  nodeName: ${nodeName}
  containers: [{name: c, image: 'does-not-exist:1'}]
`);
  await until('ImagePullBackOff', async () => ((await pod('noimg')).status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff' ? true : undefined));
  const events = JSON.parse(await kubectl('get', 'events', '--field-selector', 'involvedObject.name=noimg', '-o', 'json')).items;
  assert.ok(events.some((e: any) => e.reason === 'Failed' && /Failed to pull image "does-not-exist:1"/.test(e.message)), JSON.stringify(events.map((e: any) => e.message)));
  await kubectl('delete', 'pod', 'noimg', '--wait=true', '--timeout=60s');
});

test('a ConfigMap volume follows changes to the ConfigMap', async () => {
  await kubectl('create', 'configmap', 'live-cfg', '--from-literal=v=one');
  await apply(`apiVersion: v1
kind: Pod
metadata: {name: watcher}
spec:
  nodeName: ${nodeName}
  terminationGracePeriodSeconds: 1
  containers: [{name: c, image: busybox, imagePullPolicy: IfNotPresent, command: [sleep, '3600'], volumeMounts: [{name: v, mountPath: /cfg}]}]
  volumes: [{name: v, configMap: {name: live-cfg, defaultMode: 0400}}]
`);
  await until('watcher Running', async () => ((await pod('watcher')).status?.phase === 'Running' ? true : undefined));
  assert.equal(await kubectl('exec', 'watcher', '--', 'cat', '/cfg/v'), 'one');
  assert.match(await kubectl('exec', 'watcher', '--', 'stat', '-L', '-c', '%a', '/cfg/v'), /^400/);
  await kubectl('patch', 'configmap', 'live-cfg', '--type=merge', '-p', '{"data":{"v":"two"}}');
  await until('the new value in the volume', async () => ((await cluster.kubectl(['exec', 'watcher', '--', 'cat', '/cfg/v'])).stdout === 'two' ? true : undefined), 40_000);
  await kubectl('delete', 'pod', 'watcher', '--wait=true', '--timeout=60s');
});

test('restarting k8ts server keeps running pods running (re-attached, not recreated)', async () => {
  await apply(`apiVersion: v1
kind: Pod
metadata: {name: keep}
spec:
  nodeName: ${nodeName}
  terminationGracePeriodSeconds: 1
  containers: [{name: web, image: nginx, imagePullPolicy: IfNotPresent}]
`);
  const before = await until('keep Running', async () => {
    const o = await pod('keep');
    return o.status?.phase === 'Running' ? o : undefined;
  });
  await cluster.restart();
  await new Promise((r) => setTimeout(r, 3000));
  const after = await pod('keep');
  assert.equal(after.status.containerStatuses[0].containerID, before.status.containerStatuses[0].containerID);
  assert.equal(after.status.containerStatuses[0].restartCount, 0);
  assert.equal(after.status.podIP, before.status.podIP);
  const r = await cluster.run('curl', ['-s', '--max-time', '3', `http://${after.status.podIP}/`]);
  assert.match(r.stdout, /Welcome to nginx!/);
  await kubectl('delete', 'pod', 'keep', '--wait=true', '--timeout=60s');
});

test('volumes: emptyDir (disk and Memory), downwardAPI, projected with a ServiceAccount token, hostPath; preStop runs on delete', async () => {
  const hostDir = path.join(cluster.dataDir, 'hostpath-e2e');
  await apply(`apiVersion: v1
kind: Pod
metadata: {name: vols, labels: {tier: backend}}
spec:
  nodeName: ${nodeName}
  terminationGracePeriodSeconds: 5
  containers:
  - name: c
    image: busybox
    imagePullPolicy: IfNotPresent
    command: [sh, -c, 'echo ready; sleep 3600']
    lifecycle: {preStop: {exec: {command: [sh, -c, 'echo stopped-gracefully > /host/prestop']}}}
    volumeMounts:
    - {name: scratch, mountPath: /scratch}
    - {name: mem, mountPath: /mem}
    - {name: info, mountPath: /info}
    - {name: proj, mountPath: /proj}
    - {name: host, mountPath: /host}
  volumes:
  - {name: scratch, emptyDir: {}}
  - {name: mem, emptyDir: {medium: Memory}}
  - {name: info, downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}, {path: name, fieldRef: {fieldPath: metadata.name}}]}}
  - name: proj
    projected:
      sources:
      - serviceAccountToken: {path: token, expirationSeconds: 3600}
      - downwardAPI: {items: [{path: ns, fieldRef: {fieldPath: metadata.namespace}}]}
  - {name: host, hostPath: {path: ${hostDir}, type: DirectoryOrCreate}}
`);
  await until('vols Running', async () => ((await pod('vols')).status?.phase === 'Running' ? true : undefined));
  const sh = (cmd: string) => kubectl('exec', 'vols', '--', 'sh', '-c', cmd);
  assert.equal(await sh('cat /info/name; echo; cat /info/labels; echo; cat /proj/ns'), 'vols\ntier="backend"\ndefault');
  assert.match(await sh('grep " /mem " /proc/mounts'), /tmpfs/);
  assert.ok((await sh('cat /proj/token')).length > 10);
  await sh('echo hi > /scratch/f && cat /scratch/f');
  // kubectl cp is exec + tar.
  const local = path.join(regDir, 'copied');
  const cp = await cluster.kubectl(['cp', 'vols:/scratch/f', local]);
  assert.equal(cp.code, 0, cp.stderr);
  assert.equal(await readFile(local, 'utf8'), 'hi\n');
  // logs -f follows until the pod goes.
  const follow = cluster.kubectl(['logs', '-f', 'vols'], { timeoutMs: 60_000 });
  await kubectl('delete', 'pod', 'vols', '--wait=true', '--timeout=60s');
  assert.match((await follow).stdout, /^ready$/m);
  assert.equal(await readFile(path.join(hostDir, 'prestop'), 'utf8'), 'stopped-gracefully\n');
  assert.equal((await readFile('/proc/self/mountinfo', 'utf8')).includes(path.join(cluster.dataDir, 'agent', 'pods')), false, 'a pod volume is still mounted');
});

test('a killed containerd is restarted by the agent; running pods survive and new pods start', async () => {
  await kubectl('run', 'survivor', '--image=busybox', '--image-pull-policy=IfNotPresent', '--', 'sleep', '3600');
  const before = await until('survivor Running', async () => {
    const o = await pod('survivor');
    return o.status?.phase === 'Running' ? o : undefined;
  });
  const pidFile = path.join(cluster.dataDir, 'agent', 'containerd', 'containerd.pid');
  const pid = Number((await readFile(pidFile, 'utf8')).trim());
  process.kill(pid, 'SIGKILL'); // the containerd our cluster's agent started
  await until('a new containerd', async () => {
    const p2 = Number((await readFile(pidFile, 'utf8').catch(() => '0')).trim());
    return p2 > 0 && p2 !== pid ? true : undefined;
  });
  await kubectl('run', 'after-restart', '--image=busybox', '--image-pull-policy=IfNotPresent', '--', 'sleep', '3600');
  await until('after-restart Running', async () => ((await pod('after-restart')).status?.phase === 'Running' ? true : undefined));
  const again = await pod('survivor');
  assert.equal(again.status.containerStatuses[0].containerID, before.status.containerStatuses[0].containerID);
  assert.equal(again.status.containerStatuses[0].restartCount, 0);
  await kubectl('delete', 'pod', 'survivor', 'after-restart', '--grace-period=1', '--wait=true', '--timeout=60s');
});

test('kubectl attach streams the output of the running process; exec -it gets a terminal', async () => {
  await kubectl('run', 'ticker', '--image=busybox', '--image-pull-policy=IfNotPresent', '--', 'sh', '-c', 'while true; do echo tick; sleep 1; done');
  await until('ticker Running', async () => ((await pod('ticker')).status?.phase === 'Running' ? true : undefined));
  const r = await cluster.kubectl(['attach', 'ticker'], { timeoutMs: 6000 });
  assert.match(r.stdout, /tick/, r.stderr);
  // An interactive exec with a TTY (script(1) gives kubectl a terminal).
  const tty = await cluster.run('script', ['-qec', 'kubectl exec -it ticker -- sh -c "tty; echo done"', '/dev/null'], { input: '' });
  assert.equal(tty.code, 0, tty.stderr);
  assert.match(tty.stdout, /\/dev\/pts\/\d+\r\ndone/);
  await kubectl('delete', 'pod', 'ticker', '--grace-period=1', '--wait=true', '--timeout=60s');
});

test('a pod whose hostPort is taken on the node is rejected (Failed, NodePorts)', async () => {
  const spec = (name: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  nodeName: ${nodeName}
  terminationGracePeriodSeconds: 1
  containers: [{name: c, image: busybox, imagePullPolicy: IfNotPresent, command: [sleep, '3600'], ports: [{containerPort: 80, hostPort: 18081}]}]
`;
  await apply(spec('port-a'));
  await until('port-a Running', async () => ((await pod('port-a')).status?.phase === 'Running' ? true : undefined));
  await apply(spec('port-b'));
  const b = await until('port-b rejected', async () => {
    const o = await pod('port-b');
    return o.status?.phase === 'Failed' ? o : undefined;
  });
  assert.equal(b.status.reason, 'NodePorts');
  assert.match(b.status.message, /didn't have free ports/);
  await kubectl('delete', 'pod', 'port-a', 'port-b', '--wait=true', '--timeout=60s');
});

test('everything the pods used is gone: no containers, no mounted volumes', async () => {
  await k.checkClean();
});
