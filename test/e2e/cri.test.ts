/**
 * The container runtime base of the kubelet, end to end: inside a sealed network namespace, a local
 * registry serving the test images, k8ts's own containerd (docker.io mirrored to the registry) and the CRI
 * client run real pods: nginx answers HTTP on its pod IP, ExecSync works, busybox runs `echo hi`, a
 * killed containerd is restarted without disturbing running containers; then everything is removed and
 * nothing is left behind.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { isCriNotFound } from '../../src/kubelet/cri/service.js';
import type { ContainerStatus, PodSandboxConfig } from '../../src/kubelet/cri/types.js';
import { mustRun, runCommand } from '../harness/netns.js';
import { ensureImages, startRegistry } from '../harness/registry.js';
import { startTestRuntime, type TestRuntime } from '../harness/runtime.js';

let rt: TestRuntime;
let stopped = false;
/** The network namespace of every sandbox this file ran (other tests may run beside us: only ours count). */
const podNetns = new Set<string>();

/** Interfaces the pod network would create, were it (wrongly) outside the sealed netns. */
async function podNetworkLinksOnHost(): Promise<string[]> {
  const r = await runCommand('ip', ['-o', 'link', 'show']);
  return r.stdout.split('\n').filter(Boolean).map((l) => l.split(':')[1]!.trim()).filter((n) => /^(k8ts0|veth)/.test(n));
}

/** Runs a sandbox and remembers its network namespace's path. */
async function runSandbox(config: PodSandboxConfig): Promise<string> {
  const id = await rt.cri.runPodSandbox(config);
  const info = JSON.parse((await rt.cri.podSandboxStatus(id, true)).info.info ?? '{}');
  const netns = (info.runtimeSpec?.linux?.namespaces ?? []).find((n: { type: string }) => n.type === 'network')?.path;
  assert.match(netns ?? '', /^\/var\/run\/netns\/cni-/);
  podNetns.add(netns);
  return id;
}

async function mountsUnder(dir: string): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text.split('\n').map((l) => l.split(' ')[4] ?? '').filter((m) => m.startsWith(dir));
}

function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
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

const BUSYBOX = 'docker.io/library/busybox:latest';

/** Pulls an image (a no-op when present): each test gets its images itself, as the kubelet would. */
async function pulled(image: string): Promise<string> {
  await rt.cri.pullImage({ image });
  return image;
}

async function exited(id: string): Promise<ContainerStatus> {
  return until(`container ${id} to exit`, async () => {
    const s = (await rt.cri.containerStatus(id)).status;
    return s.state === 'CONTAINER_EXITED' ? s : undefined;
  });
}

before(async () => {
  rt = await startTestRuntime();
});

after(async () => {
  // The last test stops the runtime itself (keeping the data dir to inspect); whatever happened, clean up.
  if (!stopped) await rt?.stop();
  else await rm(rt.dataDir, { recursive: true, force: true });
});

test('containerd answers the CRI and reports itself ready', async () => {
  const v = await rt.cri.version();
  assert.equal(v.runtimeName, 'containerd');
  assert.equal(v.runtimeApiVersion, 'v1');
  const status = await rt.cri.status();
  const ready = Object.fromEntries(status.status.conditions.map((c) => [c.type, c.status]));
  assert.deepEqual(ready, { RuntimeReady: true, NetworkReady: true });
});

test('nginx from docker.io (through the local mirror) serves its page on the pod IP; ExecSync works', async () => {
  const { cri, ns } = rt;
  const ref = await cri.pullImage({ image: 'docker.io/library/nginx:latest' });
  assert.match(ref, /^sha256:[0-9a-f]{64}$/);
  const img = await cri.imageStatus({ image: 'nginx:latest' });
  assert.ok(img && img.repoTags.includes('docker.io/library/nginx:latest'), JSON.stringify(img));
  assert.equal(await cri.imageStatus({ image: 'docker.io/library/absent:1' }), null);

  const sbConfig = rt.sandboxConfig('nginx');
  const sandboxId = await runSandbox(sbConfig);
  const sb = await cri.podSandboxStatus(sandboxId);
  assert.equal(sb.status.state, 'SANDBOX_READY');
  const podIP = sb.status.network?.ip ?? '';
  assert.match(podIP, /^10\.42\.0\.\d+$/);

  const id = await cri.createContainer(sandboxId, rt.containerConfig('nginx', 'docker.io/library/nginx:latest'), sbConfig);
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
  await assert.rejects(cri.containerStatus(id), isCriNotFound);
  const gone = await ns.run('curl', ['-s', '--max-time', '1', `http://${podIP}/`]);
  assert.notEqual(gone.code, 0, 'the pod IP still answers after the sandbox was removed');
});

test('busybox runs sh -c "echo hi" to completion; creating from an absent image is NotFound', async () => {
  const { cri } = rt;
  const sbConfig = rt.sandboxConfig('hello');
  const sandboxId = await runSandbox(sbConfig);
  const config = rt.containerConfig('hello', BUSYBOX, { command: ['sh', '-c', 'echo hi'] });
  await cri.removeImage({ image: config.image.image });
  await assert.rejects(cri.createContainer(sandboxId, config, sbConfig), isCriNotFound);
  await cri.pullImage(config.image);
  const id = await cri.createContainer(sandboxId, config, sbConfig);
  await cri.startContainer(id);
  const st = await exited(id);
  assert.equal(st.exitCode, 0);
  assert.equal(st.reason, 'Completed');
  const log = await readFile(path.join(sbConfig.logDirectory!, 'hello/0.log'), 'utf8');
  assert.match(log, /^\S+ stdout F hi$/m);
  await cri.removePodSandbox(sandboxId);
});

test('a killed containerd is restarted and running containers keep running', async () => {
  const { cri, containerd } = rt;
  const sbConfig = rt.sandboxConfig('sleeper');
  const sandboxId = await runSandbox(sbConfig);
  const id = await cri.createContainer(
    sandboxId,
    rt.containerConfig('sleeper', await pulled(BUSYBOX), { command: ['sleep', '3600'] }),
    sbConfig,
  );
  await cri.startContainer(id);
  const before = containerd.pid!;
  const restarted = new Promise<number>((resolve) => containerd.onRestart(resolve));
  process.kill(before, 'SIGKILL');
  const after = await restarted;
  assert.ok(after > 0 && after !== before);
  assert.equal((await cri.containerStatus(id)).status.state, 'CONTAINER_RUNNING');
  const r = await cri.execSync(id, ['echo', 'still here'], 10);
  assert.equal(r.stdout.toString(), 'still here\n');
  await cri.stopContainer(id, 0);
  assert.equal((await exited(id)).exitCode, 137);
  await cri.removePodSandbox(sandboxId);
});

test('PullImage sends credentials: a registry that wants them refuses without, serves with', async () => {
  const { cri, ns } = rt;
  const auth = { username: 'k8ts', password: 'pull-secret' };
  const locked = await startRegistry({ netns: ns, port: 5001, images: ['busybox'], auth });
  try {
    const image = { image: `${locked.address}/library/busybox:1.35` };
    await assert.rejects(cri.pullImage(image), /401 Unauthorized|unauthorized|authorization/i);
    await assert.rejects(cri.pullImage(image, { username: 'k8ts', password: 'wrong' }), /401 Unauthorized|unauthorized|authorization/i);
    const ref = await cri.pullImage(image, { username: auth.username, password: auth.password });
    assert.match(ref, /^sha256:/);
    await cri.removeImage(image);
    // The same as a dockerconfigjson `auth` field: base64 of user:password.
    await cri.pullImage(image, { auth: Buffer.from(`${auth.username}:${auth.password}`).toString('base64') });
    await cri.removeImage(image);
  } finally {
    await locked.stop();
  }
});

test('streaming URLs, stats, resource updates, log reopening and image fs info answer', async () => {
  const { cri } = rt;
  const sbConfig = rt.sandboxConfig('misc');
  const sandboxId = await runSandbox(sbConfig);
  const id = await cri.createContainer(
    sandboxId,
    rt.containerConfig('misc', await pulled(BUSYBOX), { command: ['sleep', '3600'] }),
    sbConfig,
  );
  await cri.startContainer(id);
  assert.match(await cri.exec({ containerId: id, cmd: ['sh'], stdin: true, stdout: true }), /^http:\/\/127\.0\.0\.1:\d+\/exec\/\S+$/);
  assert.match(await cri.attach({ containerId: id, stdout: true, stderr: true }), /^http:\/\/127\.0\.0\.1:\d+\/attach\/\S+$/);
  assert.match(await cri.portForward(sandboxId, [80]), /^http:\/\/127\.0\.0\.1:\d+\/portforward\/\S+$/);

  const stats = await cri.containerStats(id);
  assert.equal(stats.attributes?.id, id);
  assert.ok(Number(stats.memory?.workingSetBytes?.value ?? 0) > 0, JSON.stringify(stats.memory));

  await cri.updateContainerResources(id, { memoryLimitInBytes: 64 * 1024 * 1024, cpuShares: 512 });
  const cg = path.join('/sys/fs/cgroup/memory', sbConfig.linux!.cgroupParent!, id, 'memory.limit_in_bytes');
  assert.equal((await readFile(cg, 'utf8')).trim(), String(64 * 1024 * 1024));

  await cri.reopenContainerLog(id);
  const fs = await cri.imageFsInfo();
  assert.ok(fs.imageFilesystems[0]!.fsId!.mountpoint.startsWith(rt.dataDir), JSON.stringify(fs));
  assert.ok(Number(fs.imageFilesystems[0]!.usedBytes!.value) > 0);
  await cri.removePodSandbox(sandboxId);
});

test('a container over its memory limit is OOMKilled', async () => {
  const { cri } = rt;
  const sbConfig = rt.sandboxConfig('hog');
  const sandboxId = await runSandbox(sbConfig);
  const id = await cri.createContainer(
    sandboxId,
    rt.containerConfig('hog', await pulled(BUSYBOX), {
      command: ['sh', '-c', 'a=xxxxxxxxxxxxxxxx; while true; do a=$a$a; done'],
      linux: { resources: { memoryLimitInBytes: 16 * 1024 * 1024, memorySwapLimitInBytes: 16 * 1024 * 1024 } },
    }),
    sbConfig,
  );
  await cri.startContainer(id);
  const st = await exited(id);
  assert.equal(st.reason, 'OOMKilled');
  assert.equal(st.exitCode, 137);
  await cri.removePodSandbox(sandboxId);
});

test('restarting containerd keeps pods running and imports air-gapped image tarballs', async () => {
  const { cri, containerd } = rt;
  const sbConfig = rt.sandboxConfig('survivor');
  const sandboxId = await runSandbox(sbConfig);
  const id = await cri.createContainer(
    sandboxId,
    rt.containerConfig('survivor', await pulled(BUSYBOX), { command: ['sleep', '3600'] }),
    sbConfig,
  );
  await cri.startContainer(id);
  // Two tarballs as `docker save` would write them, one compressed, under names no registry serves.
  const [busybox] = await ensureImages(['busybox']);
  await mkdir(containerd.paths.imagesDir, { recursive: true });
  const plain = path.join(containerd.paths.imagesDir, 'one.tar');
  await mustRun('skopeo', ['copy', '--quiet', `oci:${busybox!.layout}:latest`, `docker-archive:${plain}:docker.io/airgap/one:v1`]);
  await mustRun('skopeo', ['copy', '--quiet', `oci:${busybox!.layout}:latest`, `docker-archive:${plain}.tmp:docker.io/airgap/two:v2`]);
  await mustRun('sh', ['-c', `gzip -c '${plain}.tmp' > '${path.join(containerd.paths.imagesDir, 'two.tar.gz')}' && rm '${plain}.tmp'`]);

  await containerd.stop();
  await containerd.start();
  assert.equal((await cri.containerStatus(id)).status.state, 'CONTAINER_RUNNING');
  assert.ok(await cri.imageStatus({ image: 'docker.io/airgap/one:v1' }), 'one.tar was not imported');
  assert.ok(await cri.imageStatus({ image: 'airgap/two:v2' }), 'two.tar.gz was not imported');
  const id2 = await cri.createContainer(
    sandboxId,
    rt.containerConfig('airgapped', 'airgap/two:v2', { command: ['sh', '-c', 'echo from-tarball'] }),
    sbConfig,
  );
  await cri.startContainer(id2);
  assert.equal((await exited(id2)).exitCode, 0);
  assert.match(await readFile(path.join(sbConfig.logDirectory!, 'airgapped/0.log'), 'utf8'), /stdout F from-tarball/);
  await cri.removePodSandbox(sandboxId);
});

test('after stopping, nothing is left: no containers, processes, mounts, netns, interfaces or cgroups', async () => {
  assert.deepEqual(await rt.cri.listContainers(), []);
  assert.deepEqual(await rt.cri.listPodSandbox(), []);
  const inside = await runCommand('ip', ['netns', 'pids', rt.ns.name]);
  const pids = inside.stdout.split('\n').filter(Boolean).map(Number);
  assert.ok(pids.includes(rt.containerd.pid!));
  stopped = true;
  await rt.stop({ keepDataDir: true });
  assert.equal(rt.containerd.pid, undefined);
  assert.deepEqual(pids.filter(alive), []);
  assert.deepEqual(await mountsUnder(rt.dataDir), []);
  assert.ok(podNetns.size >= 6, `${podNetns.size} sandboxes seen`);
  assert.deepEqual([...podNetns].filter((p) => existsSync(p)), []);
  assert.ok(!existsSync(`/run/netns/${rt.ns.name}`));
  assert.deepEqual(await podNetworkLinksOnHost(), []);
  assert.ok(!existsSync(path.join('/sys/fs/cgroup/memory', rt.cgroupParent)));
});
