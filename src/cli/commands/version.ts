import type { Command } from '../command.js';
import { K8TS_VERSION, KUBERNETES_VERSION } from '../../version.js';

export const versionCommand: Command = {
  async run() {
    console.log(`k8ts version ${K8TS_VERSION} (Kubernetes ${KUBERNETES_VERSION.gitVersion})`);
    return 0;
  },
};
