/** `k8ts kubectl ...`: the kubectl-compatible CLI in src/kubectl, loaded only when this command runs. */
import type { Command } from '../command.js';

export const kubectlCommand: Command = {
  async run(args) {
    const [{ runKubectl }, { processIO }] = await Promise.all([import('../../kubectl/run.js'), import('../../kubectl/io.js')]);
    return runKubectl(args, processIO());
  },
};
