/**
 * The container runtime base of the kubelet, end to end: inside a sealed network namespace, a local
 * registry serving the test images, k8ts's own containerd (docker.io mirrored to the registry) and the CRI
 * client run real pods: nginx answers HTTP on its pod IP, ExecSync works, busybox runs `echo hi`; then
 * everything is removed and nothing is left behind.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { CriClient } from '../../src/kubelet/cri/client.js';
import type { ContainerConfig, PodSandboxConfig } from '../../src/kubelet/cri/types.js';
import { ContainerdSupervisor } from '../../src/kubelet/containerd/supervisor.js';
import { createSealedNetns, runCommand, type SealedNetns } from '../harness/netns.js';
import { startRegistry, type TestRegistry } from '../harness/registry.js';

const CGROUP_PARENT = `/k8ts-e2e-${randomBytes(3).toString('hex')}`;
const CGROUP_ROOT = '/sys/fs/cgroup';

let ns: SealedNetns;
let registry: TestRegistry;
let dataDir: string;
let containerd: ContainerdSupervisor;
let cri: CriClient;
let hostLinksBefore: string[];
let netnsBefore: string[];

async function hostLinks(): Promise<string[]> {
  const r = await runCommand('ip', ['-o', 'link', 'show']);
  return r.stdout.split('\n').filter(Boolean).map((l) => l.split(':')[1]!.trim()).sort();
}

async function netnsFiles(): Promise<string[]> {
  return existsSync('/run/netns') ? (await readdir('/run/netns')).sort() : [];
}

async function mountsUnder(dir: string): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text.split('\n').map((l) => l.split(' ')[4] ?? '').filter((m) => m.startsWith(dir));
}

function sandboxConfig(name: string): PodSandboxConfig {
  const uid = randomBytes(8).toString('hex');
  return {
    metadata: { name, uid, namespace: 'default', attempt: 0 },
    hostname: name,
    logDirectory: path.join(dataDir, 'pods', `default_${name}_${uid}`),
    labels: { 'io.kubernetes.pod.name': name },
    linux: { cgroupParent: `${CGROUP_PARENT}/pod${uid}` },
  };
}

function containerConfig(name: string, image: string, extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return { metadata: { name, attempt: 0 }, image: { image }, logPath: `${name}/0.log`, ...extra };
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  hostLinksBefore = await hostLinks();
  netnsBefore = await netnsFiles();
  ns = await createSealedNetns();
  registry = await startRegistry({ netns: ns });
  dataDir = await mkdtemp(path.join(tmpdir(), 'k8ts-cri-e2e-'));
  containerd = new ContainerdSupervisor({
    dataDir,
    spawn: (cmd, args, opts) => ns.exec(cmd, args, opts),
    sandboxImage: 'docker.io/library/pause:3.10',
    registries: { mirrors: { 'docker.io': { endpoint: [`http://${registry.address}`] } } },
  });
  await containerd.start();
  cri = new CriClient(containerd.endpoint);
});

after(async () => {
  cri?.close();
  await containerd?.stop();
  await registry?.stop();
  await ns?.destroy();
  if (dataDir && !process.env.K8TS_KEEP) await rm(dataDir, { recursive: true, force: true });
  // The pod cgroups are removed by runc; their parents were made for this test.
  for (const ctl of await readdir(CGROUP_ROOT).catch(() => [] as string[])) {
    const dir = path.join(CGROUP_ROOT, ctl, CGROUP_PARENT);
    if (!existsSync(dir)) continue;
    for (const sub of await readdir(dir, { withFileTypes: true })) if (sub.isDirectory()) await rmdir(path.join(dir, sub.name)).catch(() => {});
    await rmdir(dir).catch(() => {});
  }
});

test('containerd answers the CRI and reports itself ready', async () => {
  const v = await cri.version();
  assert.equal(v.runtimeName, 'containerd');
  assert.equal(v.runtimeApiVersion, 'v1');
  const status = await cri.status();
  const ready = Object.fromEntries(status.status.conditions.map((c) => [c.type, c.status]));
  assert.deepEqual(ready, { RuntimeReady: true, NetworkReady: true });
});

test('nginx from docker.io (through the local mirror) serves its page on the pod IP; ExecSync works', async () => {
  const ref = await cri.pullImage({ image: 'docker.io/library/nginx:latest' });
  assert.match(ref, /^sha256:[0-9a-f]{64}$/);
  const img = await cri.imageStatus({ image: 'nginx:latest' });
  assert.ok(img && img.repoTags.includes('docker.io/library/nginx:latest'), JSON.stringify(img));
  assert.equal(await cri.imageStatus({ image: 'docker.io/library/absent:1' }), null);

  const sbConfig = sandboxConfig('nginx');
  const sandboxId = await cri.runPodSandbox(sbConfig);
  const sb = await cri.podSandboxStatus(sandboxId);
  assert.equal(sb.status.state, 'SANDBOX_READY');
  const podIP = sb.status.network?.ip ?? '';
  assert.match(podIP, /^10\.42\.0\.\d+$/);

  const id = await cri.createContainer(sandboxId, containerConfig('nginx', 'docker.io/library/nginx:latest'), sbConfig);
  await cri.startContainer(id);
  const body = await until('nginx to answer', async () => {
    const r = await ns.run('curl', ['-s', '--max-time', '2', `http://${podIP}/`]);
    return r.code === 0 ? r.stdout : undefined;
  });
  assert.match(body, /Welcome to nginx!/);

  const exec = await cri.execSync(id, ['cat', '/etc/hostname'], 10);
  assert.equal(exec.exitCode, 0, exec.stderr.toString());
  assert.equal(exec.stdout.toString().trim(), 'nginx');
  const failing = await cri.execSync(id, ['sh', '-c', 'echo oops >&2; exit 3'], 10);
  assert.equal(failing.exitCode, 3);
  assert.equal(failing.stderr.toString(), 'oops\n');

  // nginx's access log goes to stdout, which containerd writes in the CRI log format.
  const log = await until('the access log line', async () => {
    const text = await readFile(path.join(sbConfig.logDirectory!, 'nginx/0.log'), 'utf8').catch(() => '');
    return /stdout F \S+ - - \[.*"GET \/ HTTP\/1\.1" 200/.test(text) ? text : undefined;
  });
  assert.match(log, /^\S+ stdout F /m);

  const status = await cri.containerStatus(id);
  assert.equal(status.status.state, 'CONTAINER_RUNNING');
  assert.equal(status.status.metadata.name, 'nginx');
  assert.deepEqual((await cri.listContainers({ podSandboxId: sandboxId })).map((c) => c.id), [id]);

  await cri.stopContainer(id, 5);
  assert.equal((await cri.containerStatus(id)).status.state, 'CONTAINER_EXITED');
  await cri.removeContainer(id);
  await cri.removeContainer(id); // idempotent
  await cri.stopPodSandbox(sandboxId);
  await cri.removePodSandbox(sandboxId);
  await cri.removePodSandbox(sandboxId); // idempotent
  await assert.rejects(cri.containerStatus(id), (err: Error) => err.name === 'CriError' && /NotFound/.test(err.message));
  const gone = await ns.run('curl', ['-s', '--max-time', '1', `http://${podIP}/`]);
  assert.notEqual(gone.code, 0, 'the pod IP still answers after the sandbox was removed');
});

test('busybox runs sh -c "echo hi" to completion', async () => {
  const sbConfig = sandboxConfig('hello');
  const sandboxId = await cri.runPodSandbox(sbConfig);
  const id = await cri.createContainer(
    sandboxId,
    containerConfig('hello', 'docker.io/library/busybox:latest', { command: ['sh', '-c', 'echo hi'] }),
    sbConfig,
  ).catch(async (err: Error) => {
    assert.match(err.message, /NotFound|not found/);
    await cri.pullImage({ image: 'docker.io/library/busybox:latest' });
    return cri.createContainer(sandboxId, containerConfig('hello', 'busybox', { command: ['sh', '-c', 'echo hi'] }), sbConfig);
  });
  await cri.startContainer(id);
  const st = await until('busybox to exit', async () => {
    const s = (await cri.containerStatus(id)).status;
    return s.state === 'CONTAINER_EXITED' ? s : undefined;
  });
  assert.equal(st.exitCode, 0);
  assert.equal(st.reason, 'Completed');
  const log = await readFile(path.join(sbConfig.logDirectory!, 'hello/0.log'), 'utf8');
  assert.match(log, /^\S+ stdout F hi$/m);
  await cri.removePodSandbox(sandboxId);
});

test('after stopping, nothing is left: no containers, processes, mounts, netns or interfaces', async () => {
  assert.deepEqual(await cri.listContainers(), []);
  assert.deepEqual(await cri.listPodSandbox(), []);
  const pid = containerd.pid!;
  assert.ok(pid > 0);
  cri.close();
  await containerd.stop();
  assert.equal(containerd.pid, undefined);
  assert.ok(!existsSync(`/proc/${pid}`) || (await readFile(`/proc/${pid}/stat`, 'utf8')).split(' ')[2] === 'Z');
  // Shims exit with their last container; only the registry remains inside the namespace.
  const inside = await runCommand('ip', ['netns', 'pids', ns.name]);
  const pids = inside.stdout.split('\n').filter(Boolean);
  const names = await Promise.all(pids.map((p) => readFile(`/proc/${p}/comm`, 'utf8').then((s) => s.trim(), () => '')));
  assert.deepEqual(names.filter((n) => n !== 'docker-registry' && n !== ''), []);
  assert.deepEqual(await mountsUnder(dataDir), []);
  assert.deepEqual(await netnsFiles(), [...netnsBefore, ns.name].sort());
  assert.deepEqual(await hostLinks(), hostLinksBefore);
});
