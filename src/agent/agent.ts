/**
 * `k8ts agent`: joins a server and runs node(s) of one runtime, chosen from a registry by name:
 *
 *   join (kubeconfig, or server + token) → client → runtime.start (register nodes, heartbeats, pods)
 *
 * `simulated` (`--simulate N`) is here; `containerd` (the real kubelet, src/kubelet) registers itself
 * in `runtimes` when it lands, and until then says so.
 */
import { RestClient } from '../client/rest.js';
import type { Clock } from '../client/clock.js';
import type { AgentConfig } from './config.js';
import { restConfigFor } from './join.js';
import { type AgentRuntime, type RunningRuntime, RuntimeUnavailableError } from './runtime.js';
import { simulatedRuntime } from './simulated/simulated-runtime.js';

const UNAVAILABLE = 'the real node runtime (kubelet on containerd) is not available yet in this build; '
  + 'use --simulate N to run simulated nodes';

const containerdUnavailable: AgentRuntime = {
  name: 'containerd',
  preflight() {
    throw new RuntimeUnavailableError(UNAVAILABLE);
  },
  start() {
    throw new RuntimeUnavailableError(UNAVAILABLE);
  },
};

/** Runtimes by name. */
export const runtimes = new Map<string, AgentRuntime>([
  [simulatedRuntime.name, simulatedRuntime],
  [containerdUnavailable.name, containerdUnavailable],
]);

export interface RunningAgent {
  runtime: RunningRuntime;
  stop(): Promise<void>;
}

export async function startAgent(config: AgentConfig, log: (line: string) => void, clock?: Clock): Promise<RunningAgent> {
  const runtime = runtimes.get(config.simulate ? 'simulated' : 'containerd')!;
  runtime.preflight?.(config);
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
