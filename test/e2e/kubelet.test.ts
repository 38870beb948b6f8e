/**
 * The kubelet end to end: `k8ts server` (real process, embedded agent: its own containerd, node
 * registration, kubelet) inside a sealed network namespace, a local registry mirrored as docker.io, and
 * the real /usr/bin/kubectl. nginx runs with a pod IP and serves its page, `kubectl logs` shows the access
 * log line, a ConfigMap and a Secret reach a container as env and files, a crashing container reaches
 * CrashLoopBackOff, a Job-like pod (restartPolicy Never) runs to Succeeded, and deleting pods stops their
 * containers and frees their IPs. `k8ts killall` then removes what containerd left (mounts, netns).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startCluster, type Cluster } from '../harness/cluster.js';
import { runCommand } from '../harness/netns.js';
import { repoRoot } from '../harness/paths.js';
import { startRegistry, type TestRegistry } from '../harness/registry.js';
import { removePodCgroup } from '../../src/kubelet/pods/pod-sync.js';

let cluster: Cluster;
let registry: TestRegistry | undefined;
let regDir: string;

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}\n${cluster.logs().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function kubectl(...args: string[]): Promise<string> {
  const r = await cluster.kubectl(args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function apply(yaml: string): Promise<void> {
  const r = await cluster.kubectl(['apply', '-f', '-'], { input: yaml });
  if (r.code !== 0) throw new Error(`kubectl apply: ${r.stderr}`);
}

async function pod(name: string): Promise<any> {
  return JSON.parse(await kubectl('get', 'pod', name, '-o', 'json'));
}

let nodeName = '';

before(async () => {
  regDir = await mkdtemp(path.join(tmpdir(), 'k8ts-kubelet-e2e-'));
  const regFile = path.join(regDir, 'registries.yaml');
  // The registry listens on 127.0.0.1:5000 inside the cluster's namespace (startRegistry's default there).
  await writeFile(regFile, 'mirrors:\n  docker.io:\n    endpoint: ["http://127.0.0.1:5000"]\n  registry.k8s.io:\n    endpoint: ["http://127.0.0.1:5000"]\n');
  cluster = await startCluster({ args: ['--private-registry', regFile, '--node-name', 'node-e2e'], readyTimeoutMs: 120_000 });
  registry = await startRegistry({ netns: cluster.netns, images: ['pause', 'nginx', 'busybox'] });
  nodeName = 'node-e2e';
  await until('the node to register', async () => ((await kubectl('get', 'nodes', '-o', 'name')).includes(`node/${nodeName}`) ? true : undefined));
});

after(async () => {
  if (cluster) {
    await cluster.run(process.execPath, [path.join(repoRoot(), 'dist', 'src', 'cli', 'main.js'), 'killall', '--data-dir', cluster.dataDir]).catch(() => {});
    await cluster.stop();
  }
  await registry?.stop();
  await rm(regDir, { recursive: true, force: true });
  // The pods' cgroup parent, when no other node's pods use it any more.
  await removePodCgroup('/k8ts');
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

test('two containers of a pod talk over localhost', async () => {
  await apply(`apiVersion: v1
kind: Pod
metadata: {name: duo}
spec:
  nodeName: ${nodeName}
  terminationGracePeriodSeconds: 1
  containers:
  - {name: web, image: nginx, imagePullPolicy: IfNotPresent}
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

test('everything the pods used is gone: no containers left in containerd', async () => {
  const sock = path.join(cluster.dataDir, 'agent', 'containerd', 'containerd.sock');
  const r = await until('no containers left', async () => {
    const x = await cluster.run('ctr', ['--address', sock, '-n', 'k8s.io', 'containers', 'ls', '-q']);
    return x.stdout.trim() === '' ? x : undefined;
  }, 20_000).catch(async (err) => {
    const ls = await cluster.run('ctr', ['--address', sock, '-n', 'k8s.io', 'containers', 'ls']);
    const info = await cluster.run('sh', ['-c', `for c in $(ctr --address ${sock} -n k8s.io containers ls -q); do ctr --address ${sock} -n k8s.io containers info $c | grep -E 'io.kubernetes.(pod.name|container.name)'; done`]);
    throw new Error(`${(err as Error).message}\n${ls.stdout}\n${info.stdout}`);
  });
  assert.equal(r.stdout.trim(), '');
  assert.equal((await readFile('/proc/self/mountinfo', 'utf8')).includes(path.join(cluster.dataDir, 'agent', 'pods')), false);
});
