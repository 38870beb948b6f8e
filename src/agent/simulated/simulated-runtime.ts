/**
 * The simulated runtime (`k8ts agent --simulate N`): N nodes that register, heartbeat and report status
 * exactly as real ones do (through the shared NodeManager), and whose pods move through their phases
 * with no container behind them, in the manner of KWOK. For scale tests of the control plane.
 */
import type { Node } from '../../api/types.js';
import { NodeManager } from '../node/node-manager.js';
import type { AgentRuntime, RuntimeContext } from '../runtime.js';
import { SimulatedPods } from './pod-controller.js';
import { SIMULATED_LABEL, simulatedNodeDescriptions, simulatedPodCIDR } from './simulated-nodes.js';
import { listWatchFor } from '../../client/cache/listwatch.js';
import { SharedInformer } from '../../client/cache/shared-informer.js';
import { resources } from '../../client/resource.js';

export const simulatedRuntime: AgentRuntime = {
  name: 'simulated',
  async start(ctx: RuntimeContext) {
    const { config, client, log } = ctx;
    const sim = config.simulate;
    if (!sim) throw new Error('the simulated runtime needs --simulate N');
    log(`SIMULATED: running ${sim.nodes} simulated node(s) "${config.nodeName}-0".."${config.nodeName}-${sim.nodes - 1}": `
      + 'no containers run; pods bound to them are only marked Running (and Succeeded for Job pods)');
    const descriptions = simulatedNodeDescriptions({
      prefix: config.nodeName, simulate: sim, labels: config.nodeLabels, taints: config.nodeTaints, ipBase: config.nodeIp,
    });
    const byName = new Map(descriptions.map((d, i) => [d.name, { d, i }]));
    const pods = new SimulatedPods({ client, podRunSeconds: sim.podRunSeconds, clock: ctx.clock, log });
    const manager = new NodeManager({
      client, clock: ctx.clock, leaseDurationSeconds: config.nodeLeaseDurationSeconds, log,
      onRegistered: (node: Node) => {
        const name = node.metadata!.name!;
        const entry = byName.get(name)!;
        const hostIP = entry.d.addresses.find((a) => a.type === 'InternalIP')!.address;
        pods.addNode({ name, hostIP, podCIDR: node.spec?.podCIDR ?? simulatedPodCIDR(entry.i) });
      },
    });
    const started = Date.now();
    await manager.register(descriptions);
    const registeredMs = Date.now() - started;
    const abort = new AbortController();
    // Pod CIDRs assigned later (node IPAM): one informer over our nodes, caching only name and CIDR.
    const nodes = new SharedInformer<Node>(listWatchFor<Node>(client, resources.nodes, { labelSelector: `${SIMULATED_LABEL}=true` }), {
      name: 'simulated-nodes',
      clock: ctx.clock,
      transform: (n) => ({ metadata: { name: n.metadata?.name, resourceVersion: n.metadata?.resourceVersion }, spec: { podCIDR: n.spec?.podCIDR } }),
    });
    const follow = (n: Node) => {
      if (n.spec?.podCIDR) pods.setPodCIDR(n.metadata!.name!, n.spec.podCIDR);
    };
    nodes.addEventHandler({ onAdd: follow, onUpdate: (_old, n) => follow(n) });
    const running = Promise.all([nodes.run(abort.signal), pods.run(abort.signal)])
      .catch((err) => log(`simulated pods: ${(err as Error).message}`));
    return {
      detail: `SIMULATED, ${manager.nodes().length} node(s) registered in ${registeredMs} ms`,
      async stop() {
        abort.abort();
        await manager.stop();
        await running;
      },
    };
  },
};
