/**
 * `k8ts agent`: joins a server and runs node(s) of one runtime, chosen from a registry by name:
 *
 *   join (kubeconfig, or server + token) → client → runtime.start (register nodes, heartbeats, pods)
 *
 * `simulated` (`--simulate N`) is here; `containerd` (the real kubelet on containerd) is src/kubelet's.
 */
import { RestClient } from '../client/rest.js';
import type { Clock } from '../client/clock.js';
import type { AgentConfig } from './config.js';
import { restConfigFor } from './join.js';
import { RENEW_FRACTION } from './node/lease.js';
import type { AgentRuntime, RunningRuntime } from './runtime.js';
import { simulatedRuntime } from './simulated/simulated-runtime.js';
import { containerdRuntime } from '../kubelet/agent-runtime.js';

/** Upstream's node-monitor-grace-period: a node whose Lease has not moved for this long is NotReady. */
const NODE_MONITOR_GRACE_SECONDS = 40;

/** Runtimes by name. */
export const runtimes = new Map<string, AgentRuntime>([
  [simulatedRuntime.name, simulatedRuntime],
  [containerdRuntime.name, containerdRuntime],
]);

export interface RunningAgent {
  runtime: RunningRuntime;
  stop(): Promise<void>;
}

export async function startAgent(config: AgentConfig, log: (line: string) => void, clock?: Clock): Promise<RunningAgent> {
  const runtime = runtimes.get(config.simulate ? 'simulated' : 'containerd')!;
  runtime.preflight?.(config);
  const renewSeconds = config.nodeLeaseDurationSeconds * RENEW_FRACTION;
  if (renewSeconds > NODE_MONITOR_GRACE_SECONDS * 0.75) {
    log(`warning: Leases renewed every ${renewSeconds} s come close to or past the node monitor grace period `
      + `(${NODE_MONITOR_GRACE_SECONDS} s): the node lifecycle controller will mark these nodes NotReady between renewals`);
  }
  const rest = await restConfigFor(config.join, `${config.dataDir}/agent`, log);
  const client = new RestClient(rest, { userAgent: `k8ts-agent/${runtime.name}` });
  let running: RunningRuntime;
  try {
    running = await runtime.start({ client, config, log, clock });
  } catch (err) {
    client.close();
    throw err;
  }
  return {
    runtime: running,
    async stop() {
      await running.stop();
      client.close();
    },
  };
}
