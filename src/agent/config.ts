/** Everything `k8ts agent` needs to know, already resolved from flags and defaults. */
import type { Node } from '../api/types.js';

export type Taint = NonNullable<NonNullable<Node['spec']>['taints']>[number];

/** How the agent reaches the API server: a kubeconfig file, or a server URL and the join token. */
export type JoinConfig = { kubeconfig: string } | { server: string; token: string };

export interface SimulateConfig {
  /** How many simulated nodes this process carries. */
  nodes: number;
  /** Capacity of each simulated node, as quantities: cpu "32", memory "256Gi", pods "110". */
  cpu: string;
  memory: string;
  pods: string;
  /** How long pods with restartPolicy Never/OnFailure run before they succeed. */
  podRunSeconds: number;
}

export interface AgentConfig {
  join: JoinConfig;
  /** Folder for the agent's state (the fetched CA, ...). */
  dataDir: string;
  /** The node's name; for simulated nodes, the prefix of their names. */
  nodeName: string;
  /** The node's InternalIP; absent: the host's first non-loopback IPv4 address. */
  nodeIp?: string;
  /** Labels and taints set when the node registers (`--node-label`, `--node-taint`). */
  nodeLabels: Record<string, string>;
  nodeTaints: Taint[];
  /** Lease duration; the lease is renewed every quarter of it (upstream: 40 s, renewed every 10 s). */
  nodeLeaseDurationSeconds: number;
  /** Present: run simulated nodes instead of a real kubelet. */
  simulate?: SimulateConfig;
}
