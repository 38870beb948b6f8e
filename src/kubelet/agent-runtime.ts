/**
 * The real node as a runtime of `k8ts agent` (src/agent/runtime.ts): containerd, node registration and
 * the kubelet (./node-runtime.ts), joined to a server. Preflight refuses, with one clear line, when this
 * machine cannot run containers (not root, no containerd).
 *
 * A joined agent does not know the cluster's client CA (the join only fetches the server CA): its kubelet
 * server requires the join secret as a bearer token instead, which the API server's node proxy sends.
 * (Joined with --kubeconfig there is no secret, and the kubelet server accepts any TLS client.)
 */
import type { AgentRuntime } from '../agent/runtime.js';
import { RuntimeUnavailableError } from '../agent/runtime.js';
import { nodePreflight, startNode } from './node-runtime.js';
import { parseJoinToken } from '../agent/join.js';

export const containerdRuntime: AgentRuntime = {
  name: 'containerd',
  preflight() {
    const why = nodePreflight();
    if (why) throw new RuntimeUnavailableError(why);
  },
  async start(ctx) {
    const c = ctx.config;
    const node = await startNode({
      client: ctx.client, dataDir: c.dataDir, nodeName: c.nodeName, nodeIP: c.nodeIp, nodeLabels: c.nodeLabels,
      leaseDurationSeconds: c.nodeLeaseDurationSeconds,
      ...('token' in c.join ? { bearerToken: parseJoinToken(c.join.token).secret } : {}), clock: ctx.clock, log: ctx.log,
    });
    return { detail: `node ${node.nodeName} (${node.nodeIP}), kubelet on :${node.kubeletPort}`, stop: () => node.stop() };
  },
};
