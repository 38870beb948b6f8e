/**
 * The description of a real node, read from the machine it runs on, as upstream's kubelet reads it:
 *
 * - nodeInfo: osImage from /etc/os-release PRETTY_NAME, kernelVersion from uname, machineID from
 *   /etc/machine-id, systemUUID from /sys/class/dmi/id/product_uuid (machine ID when unreadable), bootID
 *   from /proc/sys/kernel/random/boot_id, architecture in Go's names (amd64, arm64);
 * - capacity: cpu (logical CPUs), memory (Ki, from the kernel's total), ephemeral-storage (the file
 *   system holding the data dir), pods (110);
 * - allocatable: capacity less upstream's default hard eviction thresholds (memory.available 100Mi,
 *   nodefs.available 10%), with no reservations (k3s reserves none by default);
 * - addresses: InternalIP (`--node-ip`, else the first non-loopback IPv4) and Hostname.
 *
 * The container runtime fills in `containerRuntimeVersion` (e.g. `containerd://1.6.20`).
 */
import { readFileSync, statfsSync } from 'node:fs';
import { arch, cpus, networkInterfaces, release, totalmem } from 'node:os';
import type { Taint } from '../config.js';
import { KUBELET_VERSION, type NodeDescription, type NodeSystemInfo } from './node-object.js';

export const DEFAULT_MAX_PODS = 110;
const EVICTION_MEMORY_BYTES = 100 * 1024 * 1024;
const EVICTION_NODEFS_FRACTION = 0.1;

/** Go's GOARCH name for the host, as nodes report it. */
export function goArch(a = arch()): string {
  return a === 'x64' ? 'amd64' : a === 'ia32' ? '386' : a;
}

function readTrim(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

/** PRETTY_NAME from an os-release file's text (quotes removed). */
export function prettyName(osRelease: string): string {
  const m = /^PRETTY_NAME=(.*)$/m.exec(osRelease);
  return m ? m[1]!.trim().replace(/^(["'])(.*)\1$/, '$2') : 'Linux';
}

/** The first non-internal IPv4 address of the host, or 127.0.0.1. */
export function defaultNodeIp(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

export function hostNodeInfo(containerRuntimeVersion: string): NodeSystemInfo {
  const machineID = readTrim('/etc/machine-id');
  return {
    machineID,
    systemUUID: readTrim('/sys/class/dmi/id/product_uuid') || machineID,
    bootID: readTrim('/proc/sys/kernel/random/boot_id'),
    kernelVersion: release(),
    osImage: prettyName(readTrim('/etc/os-release')),
    containerRuntimeVersion,
    kubeletVersion: KUBELET_VERSION,
    kubeProxyVersion: '',
    operatingSystem: 'linux',
    architecture: goArch(),
  };
}

export interface HostNodeOptions {
  name: string;
  nodeIp?: string;
  dataDir: string;
  containerRuntimeVersion: string;
  labels: Record<string, string>;
  taints: Taint[];
  maxPods?: number;
}

export function hostNodeDescription(o: HostNodeOptions): NodeDescription {
  const fs = statfsSync(o.dataDir);
  const disk = fs.blocks * fs.bsize;
  const memKi = Math.floor(totalmem() / 1024);
  const pods = String(o.maxPods ?? DEFAULT_MAX_PODS);
  const cpu = String(cpus().length);
  return {
    name: o.name,
    addresses: [{ type: 'InternalIP', address: o.nodeIp ?? defaultNodeIp() }, { type: 'Hostname', address: o.name }],
    labels: o.labels,
    annotations: {},
    taints: o.taints,
    capacity: { cpu, memory: `${memKi}Ki`, 'ephemeral-storage': `${Math.floor(disk / 1024)}Ki`, pods },
    allocatable: {
      cpu,
      memory: `${Math.max(0, memKi - EVICTION_MEMORY_BYTES / 1024)}Ki`,
      'ephemeral-storage': String(Math.floor(disk * (1 - EVICTION_NODEFS_FRACTION))),
      pods,
    },
    nodeInfo: hostNodeInfo(o.containerRuntimeVersion),
  };
}
