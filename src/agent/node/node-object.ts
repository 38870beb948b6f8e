/**
 * What a node says about itself, and the Node object and status a kubelet writes from it.
 *
 * `NodeDescription` is fixed for the life of the agent (name, addresses, capacity, system info, the
 * labels and taints to register with); `NodeHealth` (conditions.ts) is what changes. The runtime (real
 * containers or simulation) fills in the description; the code here is the same for both.
 */
import type { Node } from '../../api/types.js';
import { KUBERNETES_VERSION } from '../../version.js';
import type { Taint } from '../config.js';
import { desiredConditions, stampConditions, type NodeHealth } from './conditions.js';

export type NodeSystemInfo = NonNullable<NonNullable<Node['status']>['nodeInfo']>;
export type NodeAddress = NonNullable<NonNullable<Node['status']>['addresses']>[number];

/** The kubelet version every k8ts node reports. */
export const KUBELET_VERSION = KUBERNETES_VERSION.gitVersion;
/** The port a kubelet serves on (status.daemonEndpoints). */
export const KUBELET_PORT = 10250;

export interface NodeDescription {
  name: string;
  /** InternalIP and Hostname. */
  addresses: NodeAddress[];
  /** Labels besides the well-known ones (kubernetes.io/hostname, os, arch), set at registration. */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  taints: Taint[];
  /** Quantities by resource name: cpu, memory, ephemeral-storage, pods. */
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
  nodeInfo: NodeSystemInfo;
  /** Set only where the runtime knows its pod range itself (upstream leaves this to node IPAM). */
  podCIDR?: string;
}

/** Labels every kubelet puts on its Node (upstream's well-known labels). */
export function wellKnownLabels(d: Pick<NodeDescription, 'name' | 'nodeInfo'>): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': d.nodeInfo.architecture,
    'beta.kubernetes.io/os': d.nodeInfo.operatingSystem,
    'kubernetes.io/arch': d.nodeInfo.architecture,
    'kubernetes.io/hostname': d.name,
    'kubernetes.io/os': d.nodeInfo.operatingSystem,
  };
}

/** The status for `health` at `now`, keeping condition transition times from `previous`. */
export function nodeStatus(d: NodeDescription, health: NodeHealth, now: string, previous?: Node['status']): NonNullable<Node['status']> {
  return {
    capacity: { ...d.capacity },
    allocatable: { ...d.allocatable },
    conditions: stampConditions(previous?.conditions, desiredConditions(health), now),
    addresses: d.addresses.map((a) => ({ ...a })),
    daemonEndpoints: { kubeletEndpoint: { Port: KUBELET_PORT } },
    nodeInfo: { ...d.nodeInfo },
  };
}

/** The Node a kubelet creates when it registers. */
export function newNode(d: NodeDescription, health: NodeHealth, now: string): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: d.name,
      labels: { ...wellKnownLabels(d), ...d.labels },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        ...d.annotations,
      },
    },
    spec: {
      ...(d.taints.length > 0 ? { taints: d.taints.map((t) => ({ ...t })) } : {}),
      ...(d.podCIDR ? { podCIDR: d.podCIDR, podCIDRs: [d.podCIDR] } : {}),
    },
    status: nodeStatus(d, health, now),
  };
}
