/** `k8ts kubectl ...`: the kubectl-compatible CLI in src/kubectl, loaded only when this command runs. */
import type { Command } from '../command.js';

export const kubectlCommand: Command = {
  name: 'kubectl',
  summary: 'Run kubectl commands against the cluster (finds the local server\'s kubeconfig by itself)',
  async run(args) {
    const [{ runKubectl }, { processIO }] = await Promise.all([import('../../kubectl/run.js'), import('../../kubectl/io.js')]);
    return runKubectl(args, processIO());
  },
};
