/**
 * The descriptions of N simulated nodes, labelled as simulation everywhere a user looks:
 *
 * - label `k8ts.io/simulated=true` (select them, or keep workloads off them, with it);
 * - annotation `k8ts.io/simulated` saying no containers run there;
 * - nodeInfo: containerRuntimeVersion `simulated://k8ts`, kernelVersion `simulated`, osImage
 *   `k8ts simulated node` (so `kubectl get nodes -o wide` shows it in three columns).
 *
 * Names are `<prefix>-<i>`. InternalIPs are loopback addresses counting up from 127.1.0.1 (or from
 * `--node-ip`), so that anything that tries to reach a simulated node stays on this machine. Pod CIDRs,
 * used when the Node has no `spec.podCIDR`, are 10.42.i.0/24 for i < 256 and continue into 10.43+ after.
 */
import type { SimulateConfig, Taint } from '../config.js';
import { ipNumber, ipString } from './pod-ips.js';
import { goArch } from '../node/host.js';
import { KUBELET_VERSION, type NodeDescription } from '../node/node-object.js';

export const SIMULATED_LABEL = 'k8ts.io/simulated';
export const SIMULATED_ANNOTATION = 'k8ts.io/simulated';
export const SIMULATED_RUNTIME_VERSION = 'simulated://k8ts';
export const DEFAULT_SIMULATED_IP_BASE = '127.1.0.1';

export interface SimulatedNodesOptions {
  prefix: string;
  simulate: SimulateConfig;
  labels: Record<string, string>;
  taints: Taint[];
  /** First InternalIP; the others count up from it. */
  ipBase?: string;
}

/** The default pod CIDR of simulated node `i`. */
export function simulatedPodCIDR(i: number): string {
  return `10.${42 + (i >> 8)}.${i & 255}.0/24`;
}

export function simulatedNodeDescriptions(o: SimulatedNodesOptions): NodeDescription[] {
  const base = ipNumber(o.ipBase ?? DEFAULT_SIMULATED_IP_BASE);
  if (base === undefined) throw new Error(`invalid node IP "${o.ipBase}": want an IPv4 address`);
  const capacity = { cpu: o.simulate.cpu, memory: o.simulate.memory, 'ephemeral-storage': '100Gi', pods: o.simulate.pods };
  return Array.from({ length: o.simulate.nodes }, (_, i) => {
    const name = `${o.prefix}-${i}`;
    return {
      name,
      addresses: [{ type: 'InternalIP', address: ipString(base + i) }, { type: 'Hostname', address: name }],
      labels: { ...o.labels, [SIMULATED_LABEL]: 'true' },
      annotations: { [SIMULATED_ANNOTATION]: 'This node is simulated by "k8ts agent --simulate": no containers run here.' },
      taints: o.taints,
      capacity,
      allocatable: capacity,
      nodeInfo: {
        machineID: '', systemUUID: '', bootID: '',
        kernelVersion: 'simulated', osImage: 'k8ts simulated node',
        containerRuntimeVersion: SIMULATED_RUNTIME_VERSION, kubeletVersion: KUBELET_VERSION, kubeProxyVersion: '',
        operatingSystem: 'linux', architecture: goArch(),
      },
    };
  });
}
