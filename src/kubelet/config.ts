/**
 * What a kubelet needs to run: its API client, its node, its container runtime and where to keep files.
 * Everything here is resolved already (flags and defaults are the caller's business).
 */
import type { Client } from '../client/client.js';
import type { Clock } from '../client/clock.js';
import type { ImageService, RuntimeService } from './cri/service.js';
import type { RegistriesConfig } from './images/registries.js';

export interface KubeletOptions {
  client: Client;
  nodeName: string;
  /** The node's InternalIP (status.hostIP of its pods). */
  nodeIP: string;
  /** The k8ts data dir; the kubelet keeps its files under `<dataDir>/agent/`. */
  dataDir: string;
  runtime: RuntimeService;
  images: ImageService;
  /** Credentials for registries (k3s registries.yaml `configs`). */
  registries?: RegistriesConfig;
  /** The cluster DNS service IP given to ClusterFirst pods (default 10.43.0.10). */
  clusterDNS?: string;
  /** Default `cluster.local`. */
  clusterDomain?: string;
  /** HTTPS port of the kubelet server (default 10250; 0 picks a free one). */
  port?: number;
  /** Clients of the kubelet server must present a certificate signed by this CA (the cluster's client CA). */
  clientCaPem?: string;
  /** Without a client CA: requests must carry `Authorization: Bearer <this>` (the join secret). */
  bearerToken?: string;
  /** Address the kubelet server listens on (default 0.0.0.0). */
  bindAddress?: string;
  /** cgroupfs parent of the pods' cgroups (default `/k8ts`). */
  cgroupRoot?: string;
  /** How often every pod is synced even when nothing told us to (default 1 s: the PLEG period). */
  resyncMs?: number;
  /** The node's pressure conditions (./node-health.ts); under pressure a pod is evicted (./eviction.ts). */
  health?: () => { memoryPressure: boolean; diskPressure: boolean };
  clock?: Clock;
  log?: (line: string) => void;
}

export const DEFAULT_CLUSTER_DNS = '10.43.0.10';
export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';
export const DEFAULT_KUBELET_PORT = 10250;

/** Where the kubelet keeps its files. */
export interface KubeletPaths {
  /** `<dataDir>/agent/pods`: one folder per pod UID, with its volumes. */
  pods: string;
  /** `<dataDir>/agent/logs/pods`: CRI log files, `<ns>_<name>_<uid>/<container>/<restart>.log`. */
  logs: string;
  /** The kubelet's serving certificate and key. */
  pki: string;
}

export function kubeletPaths(dataDir: string): KubeletPaths {
  return {
    pods: `${dataDir}/agent/pods`,
    logs: `${dataDir}/agent/logs/pods`,
    pki: `${dataDir}/agent/kubelet-pki`,
  };
}
