/**
 * `k8ts killall`: stops every pod of this machine's node and the containerd k8ts started, and removes the
 * node's network state (pod bridge, CNI masquerade rules, netns, mounts, cgroups), in the manner of
 * `k3s-killall.sh` -- scoped to one data dir (src/kubelet/containerd/killall.ts).
 */
import type { Command } from '../command.js';
import { helpText, parseFlags } from '../flags.js';
import { defaultDataDir } from '../../server/config.js';
import { killallRuntime } from '../../kubelet/containerd/killall.js';

const flags = {
  'data-dir': { type: 'string', description: 'The data dir of the server/agent to stop', default: '/var/lib/k8ts as root, ~/.k8ts otherwise' },
} as const;

export const killallCommand: Command = {
  async run(args) {
    const { values, help } = parseFlags(args, flags);
    if (help) {
      console.log(helpText('k8ts killall [flags]', flags));
      return 0;
    }
    const dataDir = values['data-dir'] ?? defaultDataDir();
    const r = await killallRuntime({ dataDir, log: (l) => console.error(`k8ts killall: ${l}`) });
    console.error(`k8ts killall: killed ${r.killed.length} process(es), unmounted ${r.unmounted.length}, removed ${r.netns.length} netns, ${r.cgroups.length} cgroup(s), ${r.iptables.length} iptables rule(s)`);
    return 0;
  },
};
