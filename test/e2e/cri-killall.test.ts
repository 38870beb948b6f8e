/**
 * killall for one node's runtime: with pods running and containerd still up, every process, mount, pod
 * network namespace, container cgroup, the pod bridge and the CNI masquerade rules of this data dir go.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { killallRuntime } from '../../src/kubelet/containerd/killall.js';
import { processAlive } from '../../src/kubelet/containerd/process.js';
import { runCommand } from '../harness/netns.js';
import { startTestRuntime } from '../harness/runtime.js';

test('killallRuntime leaves nothing of a running node runtime', async () => {
  const rt = await startTestRuntime();
  try {
    const { cri, ns } = rt;
    await cri.pullImage({ image: 'docker.io/library/nginx:latest' });
    const pids: number[] = [];
    const netnsFiles: string[] = [];
    const cgroupDirs: string[] = [];
    for (const [name, image] of [['web', 'docker.io/library/nginx:latest'], ['idle', 'docker.io/library/nginx:1.22']] as const) {
      const sb = rt.sandboxConfig(name);
      const sandboxId = await cri.runPodSandbox(sb);
      await cri.pullImage({ image });
      const id = await cri.createContainer(sandboxId, rt.containerConfig(name, image), sb);
      await cri.startContainer(id);
      const info = JSON.parse((await cri.containerStatus(id, true)).info.info!);
      pids.push(info.pid);
      const sbInfo = JSON.parse((await cri.podSandboxStatus(sandboxId, true)).info.info!);
      pids.push(sbInfo.pid);
      const netnsPath: string = sbInfo.runtimeSpec.linux.namespaces.find((n: { type: string }) => n.type === 'network').path;
      netnsFiles.push(path.join('/run/netns', path.basename(netnsPath))); // /var/run is a link to /run
      cgroupDirs.push(path.join('/sys/fs/cgroup/memory', sb.linux!.cgroupParent!, id));
    }
    const shims = (await runCommand('ip', ['netns', 'pids', ns.name])).stdout.split('\n').filter(Boolean).map(Number);
    const containerdPid = rt.containerd.pid!;
    const natBefore = (await ns.run('iptables-save', ['-t', 'nat'])).stdout;
    assert.match(natBefore, /name: \\"k8ts\\"/);
    assert.ok(pids.every(processAlive) && cgroupDirs.every((d) => existsSync(d)));
    const mountsBefore = (await readFile('/proc/self/mountinfo', 'utf8')).split('\n').map((l) => l.split(' ')[4] ?? '');
    assert.ok(netnsFiles.every((f) => mountsBefore.includes(f)), 'the pod netns files are mounts');

    rt.containerd.abandon();
    const report = await killallRuntime({ dataDir: rt.dataDir, netns: ns.name });

    assert.ok(!processAlive(containerdPid), 'containerd survived');
    assert.deepEqual(pids.filter(processAlive), [], 'pod processes survived');
    const inside = (await runCommand('ip', ['netns', 'pids', ns.name])).stdout.split('\n').filter(Boolean).map(Number);
    const names = await Promise.all(inside.map((p) => readFile(`/proc/${p}/comm`, 'utf8').then((s) => s.trim(), () => '')));
    assert.deepEqual(names.filter((n) => n && n !== 'docker-registry'), [], `left in the node netns: ${names}`);
    assert.ok(shims.length > 0);
    const mounts = (await readFile('/proc/self/mountinfo', 'utf8')).split('\n').map((l) => l.split(' ')[4] ?? '');
    assert.deepEqual(mounts.filter((m) => m.startsWith(rt.dataDir) || netnsFiles.includes(m)), []);
    assert.deepEqual(netnsFiles.filter((f) => existsSync(f)), []);
    assert.deepEqual(report.netns.sort(), netnsFiles.sort());
    assert.deepEqual(cgroupDirs.filter((d) => existsSync(d)), []);
    assert.notEqual((await ns.run('ip', ['link', 'show', 'k8ts0'])).code, 0, 'the pod bridge is still there');
    const natAfter = (await ns.run('iptables-save', ['-t', 'nat'])).stdout;
    assert.doesNotMatch(natAfter, /name: \\"k8ts\\"|:CNI-[0-9a-f]/);
    assert.ok(report.iptables.length >= 2);
  } finally {
    await rt.stop();
  }
});
