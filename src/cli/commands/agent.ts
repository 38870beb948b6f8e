/** `k8ts agent`: flags only; the work is in src/agent. Flag names are the ones k3s users know. */
import { untilStopSignal } from '../signals.js';
import { tryParse } from '../../api/resource/quantity.js';
import { hostname } from 'node:os';
import type { Command } from '../command.js';
import { CommandError } from '../command.js';
import { helpText, parseFlags } from '../flags.js';
import { defaultDataDir } from '../../server/config.js';
import type { AgentConfig, JoinConfig, SimulateConfig, Taint } from '../../agent/config.js';
import { startAgent } from '../../agent/agent.js';
import { JoinError } from '../../agent/join.js';
import { RuntimeUnavailableError } from '../../agent/runtime.js';
import { DEFAULT_LEASE_DURATION_SECONDS } from '../../agent/node/lease.js';

const flags = {
  server: { type: 'string', description: 'URL of the server to join, e.g. https://10.0.0.1:6443 (with --token)' },
  token: { type: 'string', description: 'Join token: the content of <server data-dir>/server/token, or its secret part' },
  kubeconfig: { type: 'string', description: 'Join with this kubeconfig instead of --server and --token' },
  'data-dir': { type: 'string', description: 'Folder for the agent\'s state (kept under <data-dir>/agent)', default: '/var/lib/k8ts as root, ~/.k8ts otherwise' },
  'node-name': { type: 'string', description: 'Node name; with --simulate, the prefix of the simulated nodes\' names', default: 'the hostname; "k8ts-sim" with --simulate' },
  'node-ip': { type: 'string', description: 'InternalIP to advertise; with --simulate, the first of consecutive IPs', default: 'the host\'s address; 127.1.0.1 with --simulate' },
  'node-label': { type: 'string', multiple: true, description: 'Label to register the node with, key=value (repeatable)' },
  'node-taint': { type: 'string', multiple: true, description: 'Taint to register the node with, key=value:Effect (repeatable)' },
  'node-lease-duration-seconds': { type: 'string', description: 'Node Lease duration; renewed every quarter of it. Up to 120 for large simulations (renewals past 30 s make nodes flap NotReady: the node monitor grace period is 40 s)', default: String(DEFAULT_LEASE_DURATION_SECONDS) },
  simulate: { type: 'string', description: 'Run N SIMULATED nodes instead of a real kubelet: no containers run; pods bound to them are marked Running, Job pods Succeeded (KWOK-style, for scale tests). Nodes carry the label k8ts.io/simulated=true' },
  'simulate-cpu': { type: 'string', description: 'CPU capacity of each simulated node', default: '32' },
  'simulate-memory': { type: 'string', description: 'Memory capacity of each simulated node', default: '256Gi' },
  'simulate-pods': { type: 'string', description: 'Pod capacity of each simulated node', default: '110' },
  'simulate-pod-run-seconds': { type: 'string', description: 'How long simulated pods with restartPolicy Never/OnFailure run before they succeed', default: '5' },
} as const;

const TAINT = /^([^=:]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/;

function count(flag: string, value: string | undefined, def: number, min = 0): number {
  const n = Number(value ?? def);
  if (!Number.isInteger(n) || n < min) throw new CommandError(`invalid --${flag} "${value}": want a whole number >= ${min}`);
  return n;
}

function quantity(flag: string, value: string | undefined, def: string): string {
  const v = value ?? def;
  const q = tryParse(v);
  if (!q || q.milli < 0n) throw new CommandError(`invalid --${flag} "${v}": want a quantity such as 4, 500m, 8Gi`);
  return v;
}

export function parseNodeLabels(list: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of list) {
    const i = l.indexOf('=');
    if (i <= 0) throw new CommandError(`invalid --node-label "${l}": want key=value`);
    out[l.slice(0, i)] = l.slice(i + 1);
  }
  return out;
}

export function parseNodeTaints(list: string[] = []): Taint[] {
  return list.map((t) => {
    const m = TAINT.exec(t);
    if (!m) throw new CommandError(`invalid --node-taint "${t}": want key=value:Effect, Effect one of NoSchedule, PreferNoSchedule, NoExecute`);
    return { key: m[1]!, ...(m[2] ? { value: m[2] } : {}), effect: m[3]! };
  });
}

export function agentConfigFromArgs(args: string[]): AgentConfig | 'help' {
  const { values: v, help } = parseFlags(args, flags);
  if (help) return 'help';
  let join: JoinConfig;
  if (v.kubeconfig) {
    if (v.server || v.token) throw new CommandError('give either --kubeconfig or --server with --token, not both');
    join = { kubeconfig: v.kubeconfig };
  } else if (v.server && v.token) {
    join = { server: v.server, token: v.token };
  } else {
    throw new CommandError('--server and --token (or --kubeconfig) are required to join a server');
  }
  let simulate: SimulateConfig | undefined;
  if (v.simulate !== undefined) {
    simulate = {
      nodes: count('simulate', v.simulate, 0, 1),
      cpu: quantity('simulate-cpu', v['simulate-cpu'], '32'),
      memory: quantity('simulate-memory', v['simulate-memory'], '256Gi'),
      pods: String(count('simulate-pods', v['simulate-pods'], 110, 1)),
      podRunSeconds: count('simulate-pod-run-seconds', v['simulate-pod-run-seconds'], 5),
    };
  }
  return {
    join,
    dataDir: v['data-dir'] ?? defaultDataDir(),
    nodeName: v['node-name'] ?? (simulate ? 'k8ts-sim' : hostname().toLowerCase()),
    ...(v['node-ip'] ? { nodeIp: v['node-ip'] } : {}),
    nodeLabels: parseNodeLabels(v['node-label']),
    nodeTaints: parseNodeTaints(v['node-taint']),
    nodeLeaseDurationSeconds: count('node-lease-duration-seconds', v['node-lease-duration-seconds'], DEFAULT_LEASE_DURATION_SECONDS, 1),
    ...(simulate ? { simulate } : {}),
  };
}

export const agentCommand: Command = {
  async run(args) {
    const config = agentConfigFromArgs(args);
    if (config === 'help') {
      console.log(helpText('k8ts agent --server URL --token TOKEN [flags]\n\n'
        + 'With --simulate N the agent runs N SIMULATED nodes: they register, heartbeat and take pods like real\n'
        + 'nodes, but run no containers (for testing the control plane at scale).', flags));
      return 0;
    }
    const log = (line: string) => console.error(`k8ts: agent: ${line}`);
    let stop: () => Promise<void>;
    try {
      const running = await startAgent(config, log);
      stop = running.stop;
      log(`ready (${running.runtime.detail})`);
    } catch (err) {
      if (err instanceof RuntimeUnavailableError || err instanceof JoinError) throw new CommandError(err.message);
      throw err;
    }
    await untilStopSignal(log);
    await stop();
    log('stopped');
    return 0;
  },
};
