/**
 * The real node, as one piece the agent and `k8ts server` start: k8ts's own containerd (or an existing
 * CRI endpoint), the node's registration and heartbeats (src/agent/node NodeManager) and the kubelet.
 *
 * Contract of `startNode`: resolves once containerd answers, the Node is registered and the kubelet runs;
 * `stop()` stops the kubelet, the heartbeats and containerd's supervision — containerd keeps running
 * with the pods (as k3s), and the next start takes them over (ContainerdSupervisor stops the old
 * containerd; the shims and containers survive). When no pod sandbox exists, containerd is stopped.
 * `nodePreflight()` says why this machine cannot run a node (not root, no containerd), or undefined.
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { NodeManager } from '../agent/node/node-manager.js';
import type { Client } from '../client/client.js';
import type { Clock } from '../client/clock.js';
import { CriClient } from './cri/client.js';
import { ContainerdSupervisor, DEFAULT_POD_CIDR } from './containerd/supervisor.js';
import { loadRegistriesFile } from './images/registries.js';
import { startKubelet } from './kubelet.js';
import { defaultNodeIP, realNodeDescription } from './node-description.js';
import { NodeHealthMonitor } from './node-health.js';

export interface NodeOptions {
  client: Client;
  dataDir: string;
  nodeName?: string;
  nodeIP?: string;
  /** registries.yaml (default `<dataDir>/agent/registries.yaml`). */
  privateRegistry?: string;
  /** An existing CRI endpoint (`unix:///run/containerd/containerd.sock`) instead of our own containerd. */
  containerRuntimeEndpoint?: string;
  podCIDR?: string;
  nodeLabels?: Record<string, string>;
  kubeletPort?: number;
  clientCaPem?: string;
  /** What the kubelet server requires as a bearer token when there is no client CA. */
  bearerToken?: string;
  leaseDurationSeconds?: number;
  clock?: Clock;
  log: (line: string) => void;
}

export interface RunningNode {
  nodeName: string;
  nodeIP: string;
  kubeletPort: number;
  stop(): Promise<void>;
}

function onPath(bin: string): boolean {
  return (process.env.PATH ?? '/usr/bin:/bin').split(':').some((d) => existsSync(path.join(d, bin)));
}

export function nodePreflight(o: { containerRuntimeEndpoint?: string } = {}): string | undefined {
  if (o.containerRuntimeEndpoint) return undefined;
  if (process.getuid?.() !== 0) return 'not running as root: no node agent on this machine (containers need root)';
  if (!onPath('containerd')) return 'containerd is not installed (apt-get install containerd): no node agent on this machine';
  return undefined;
}

export async function startNode(o: NodeOptions): Promise<RunningNode> {
  const nodeName = o.nodeName ?? hostname().toLowerCase();
  const nodeIP = o.nodeIP ?? defaultNodeIP();
  const registries = await loadRegistriesFile(o.privateRegistry ?? path.join(o.dataDir, 'agent', 'registries.yaml'));
  let containerd: ContainerdSupervisor | undefined;
  let endpoint = o.containerRuntimeEndpoint;
  if (!endpoint) {
    containerd = new ContainerdSupervisor({ dataDir: o.dataDir, podCidr: o.podCIDR ?? DEFAULT_POD_CIDR, registries, log: (l) => o.log(`containerd: ${l}`) });
    await containerd.start();
    endpoint = containerd.endpoint;
  }
  const cri = new CriClient(endpoint);
  let manager: NodeManager | undefined;
  const health = new NodeHealthMonitor(cri, o.dataDir);
  try {
    await health.start();
    const description = await realNodeDescription({ name: nodeName, nodeIP, dataDir: o.dataDir, runtime: cri, labels: o.nodeLabels, podCIDR: o.podCIDR ?? DEFAULT_POD_CIDR });
    manager = new NodeManager({ client: o.client, clock: o.clock, leaseDurationSeconds: o.leaseDurationSeconds, log: o.log, health: () => health.current() });
    await manager.register([description]);
    const kubelet = await startKubelet({
      client: o.client, nodeName, nodeIP, dataDir: o.dataDir, runtime: cri, images: cri, registries,
      port: o.kubeletPort, clientCaPem: o.clientCaPem, bearerToken: o.bearerToken, health: () => health.current(), clock: o.clock, log: o.log,
    });
    const m = manager;
    return {
      nodeName, nodeIP, kubeletPort: kubelet.port,
      async stop() {
        await kubelet.stop();
        await m.stop();
        health.stop();
        // containerd keeps running with the pods (the next start replaces it and keeps the containers);
        // with no pod on the node there is nothing to keep, and it stops.
        const sandboxes = await cri.listPodSandbox().catch(() => undefined);
        cri.close();
        if (sandboxes && sandboxes.length === 0) await containerd?.stop();
        else containerd?.abandon();
      },
    };
  } catch (err) {
    health.stop();
    await manager?.stop();
    cri.close();
    await containerd?.stop();
    throw err;
  }
}
