/**
 * The description of the real node this kubelet runs (for the agent's NodeManager): name, InternalIP and
 * Hostname addresses, capacity (cpu count, memory, ephemeral-storage of the data dir's filesystem, 110
 * pods) with allocatable equal to it, and nodeInfo from the host (/etc/os-release, kernel, machine-id,
 * boot id) and the container runtime's Version (`containerd://1.6.x`).
 */
import { statfs, readFile } from 'node:fs/promises';
import { arch, cpus, networkInterfaces, release, totalmem } from 'node:os';
import type { NodeDescription } from '../agent/node/node-object.js';
import { KUBELET_VERSION } from '../agent/node/node-object.js';
import type { RuntimeService } from './cri/service.js';

/** The first non-loopback IPv4 address of this network namespace. */
export function defaultNodeIP(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal && !a.address.startsWith('10.42.')) return a.address;
  }
  return '127.0.0.1';
}

async function osImage(): Promise<string> {
  const text = await readFile('/etc/os-release', 'utf8').catch(() => '');
  return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text)?.[1] ?? 'Linux';
}

export async function realNodeDescription(o: { name: string; nodeIP: string; dataDir: string; runtime: RuntimeService; labels?: Record<string, string>; taints?: NodeDescription['taints']; podCIDR?: string }): Promise<NodeDescription> {
  const v = await o.runtime.version();
  const fs = await statfs(o.dataDir).catch(() => undefined);
  const storage = fs ? `${Math.floor((fs.blocks * fs.bsize) / 1024)}Ki` : '0';
  const capacity = { cpu: String(cpus().length), memory: `${Math.floor(totalmem() / 1024)}Ki`, 'ephemeral-storage': storage, pods: '110' };
  return {
    name: o.name,
    addresses: [{ type: 'InternalIP', address: o.nodeIP }, { type: 'Hostname', address: o.name }],
    labels: o.labels ?? {},
    annotations: {},
    taints: o.taints ?? [],
    capacity,
    allocatable: capacity,
    nodeInfo: {
      machineID: (await readFile('/etc/machine-id', 'utf8').catch(() => '')).trim(),
      systemUUID: '',
      bootID: (await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => '')).trim(),
      kernelVersion: release(),
      osImage: await osImage(),
      containerRuntimeVersion: `${v.runtimeName}://${v.runtimeVersion}`,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: arch() === 'x64' ? 'amd64' : arch() === 'ia32' ? '386' : arch(),
    },
    ...(o.podCIDR ? { podCIDR: o.podCIDR } : {}),
  };
}
