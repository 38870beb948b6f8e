/**
 * A whole container runtime for a test or benchmark, in one call: a sealed netns, the local registry with
 * the test images, and k8ts's containerd (docker.io and registry.k8s.io mirrored to it) with a
 * CRI client. `stop()` removes all of it -- pods first, through the CRI -- and the pod cgroup parent.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { CriClient } from '../../src/kubelet/cri/client.js';
import type { ContainerConfig, PodSandboxConfig } from '../../src/kubelet/cri/types.js';
import { ContainerdSupervisor } from '../../src/kubelet/containerd/supervisor.js';
import { createSealedNetns, type SealedNetns } from './netns.js';
import { registryMirrors, startRegistry, type TestRegistry } from './registry.js';

export interface TestRuntime {
  ns: SealedNetns;
  registry: TestRegistry;
  dataDir: string;
  containerd: ContainerdSupervisor;
  cri: CriClient;
  /** cgroupfs parent of every pod made with {@link TestRuntime.sandboxConfig}. */
  cgroupParent: string;
  sandboxConfig(name: string): PodSandboxConfig;
  containerConfig(name: string, image: string, extra?: Partial<ContainerConfig>): ContainerConfig;
  /** Removes every pod through the CRI, stops containerd, the registry and the netns, deletes the files. */
  stop(opts?: { keepDataDir?: boolean }): Promise<void>;
}

const CGROUP_ROOT = '/sys/fs/cgroup';

/** rmdir a cgroupfs directory in every hierarchy, children first (they are empty once runc removed its leaves). */
export async function removeCgroup(relative: string): Promise<void> {
  for (const ctl of await readdir(CGROUP_ROOT).catch(() => [] as string[])) {
    const dir = path.join(CGROUP_ROOT, ctl, relative);
    if (!existsSync(dir)) continue;
    for (const sub of await readdir(dir, { withFileTypes: true })) {
      if (sub.isDirectory()) await rmdir(path.join(dir, sub.name)).catch(() => {});
    }
    await rmdir(dir).catch(() => {});
  }
}

export async function startTestRuntime(): Promise<TestRuntime> {
  const cgroupParent = `/k8ts-test-${randomBytes(3).toString('hex')}`;
  const ns = await createSealedNetns();
  let registry: TestRegistry | undefined;
  let containerd: ContainerdSupervisor | undefined;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'k8ts-runtime-'));
  let cri: CriClient | undefined;

  const stop = async (opts: { keepDataDir?: boolean } = {}): Promise<void> => {
    if (cri && containerd?.pid) {
      const sandboxes = await cri.listPodSandbox().catch(() => []);
      await Promise.all(
        sandboxes.map(async (sb) => {
          await cri!.stopPodSandbox(sb.id).catch(() => {});
          await cri!.removePodSandbox(sb.id).catch(() => {});
        }),
      );
    }
    cri?.close();
    await containerd?.stop();
    await registry?.stop();
    await ns.destroy();
    if (!opts.keepDataDir) await rm(dataDir, { recursive: true, force: true });
    await removeCgroup(cgroupParent);
  };

  try {
    registry = await startRegistry({ netns: ns });
    containerd = new ContainerdSupervisor({
      dataDir,
      spawn: (cmd, args, o) => ns.exec(cmd, args, o),
      // The default sandbox image, registry.k8s.io/pause:3.10, comes from the test registry too.
      registries: registryMirrors(registry.address),
    });
    await containerd.start();
    cri = new CriClient(containerd.endpoint);
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    ns,
    registry,
    dataDir,
    containerd,
    cri,
    cgroupParent,
    sandboxConfig(name) {
      const uid = randomBytes(8).toString('hex');
      return {
        metadata: { name, uid, namespace: 'default', attempt: 0 },
        hostname: name,
        logDirectory: path.join(dataDir, 'pods', `default_${name}_${uid}`),
        labels: { 'io.kubernetes.pod.name': name, 'io.kubernetes.pod.namespace': 'default', 'io.kubernetes.pod.uid': uid },
        linux: { cgroupParent: `${cgroupParent}/pod${uid}` },
      };
    },
    containerConfig(name, image, extra = {}) {
      return { metadata: { name, attempt: 0 }, image: { image }, logPath: `${name}/0.log`, ...extra };
    },
    stop,
  };
}
