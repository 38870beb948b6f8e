/**
 * Every kubectl command, by the heading `kubectl --help` lists it under. Entries are cheap; a command's
 * module is imported only when that command runs.
 */
import type { CommandEntry } from './command.js';

const BASIC_BEGINNER = 'Basic Commands (Beginner)';
const BASIC_INTERMEDIATE = 'Basic Commands (Intermediate)';
const OTHER = 'Other Commands';

export const COMMANDS: CommandEntry[] = [
  { name: 'run', short: 'Run a particular image on the cluster', group: BASIC_BEGINNER, load: async () => (await import('./cmd/misc.js')).runCommand },
  { name: 'expose', short: 'Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service', group: BASIC_BEGINNER, load: async () => (await import('./cmd/rollout.js')).exposeCommand },
  { name: 'set', short: 'Set specific features on objects', group: BASIC_BEGINNER, load: async () => (await import('./cmd/rollout.js')).setCommand },
  { name: 'create', short: 'Create a resource from a file or from stdin', group: BASIC_BEGINNER, load: async () => (await import('./cmd/create.js')).command },
  { name: 'get', short: 'Display one or many resources', group: BASIC_INTERMEDIATE, load: async () => (await import('./cmd/get.js')).command },
  { name: 'explain', short: 'Get documentation for a resource', group: BASIC_INTERMEDIATE, load: async () => (await import('./cmd/explain.js')).explainCommand },
  { name: 'edit', short: 'Edit a resource on the server', group: BASIC_INTERMEDIATE, load: async () => (await import('./cmd/edit.js')).editCommand },
  { name: 'delete', short: 'Delete resources by file names, stdin, resources and names, or by resources and label selector', group: BASIC_INTERMEDIATE, load: async () => (await import('./cmd/delete.js')).command },
  { name: 'cluster-info', short: 'Display cluster information', group: 'Cluster Management Commands', load: async () => (await import('./cmd/misc.js')).clusterInfoCommand },
  { name: 'cordon', short: 'Mark node as unschedulable', group: 'Cluster Management Commands', load: async () => (await import('./cmd/misc.js')).cordon },
  { name: 'uncordon', short: 'Mark node as schedulable', group: 'Cluster Management Commands', load: async () => (await import('./cmd/misc.js')).uncordon },
  { name: 'top', short: 'Display resource (CPU/memory) usage', group: 'Cluster Management Commands', load: async () => (await import('./cmd/drain.js')).topCommand },
  { name: 'drain', short: 'Drain node in preparation for maintenance', group: 'Cluster Management Commands', load: async () => (await import('./cmd/drain.js')).drainCommand },
  { name: 'taint', short: 'Update the taints on one or more nodes', group: 'Cluster Management Commands', load: async () => (await import('./cmd/misc.js')).taintCommand },
  { name: 'describe', short: 'Show details of a specific resource or group of resources', group: 'Troubleshooting and Debugging Commands', load: async () => (await import('./cmd/describe.js')).command },
  { name: 'logs', short: 'Print the logs for a container in a pod', group: 'Troubleshooting and Debugging Commands', load: async () => (await import('./cmd/misc.js')).logsCommand },
  { name: 'rollout', short: 'Manage the rollout of a resource', group: 'Deploy Commands', load: async () => (await import('./cmd/rollout.js')).rolloutCommand },
  { name: 'autoscale', short: 'Auto-scale a deployment, replica set, stateful set, or replication controller', group: 'Deploy Commands', load: async () => (await import('./cmd/replace.js')).autoscaleCommand },
  { name: 'replace', short: 'Replace a resource by file name or stdin', group: 'Advanced Commands', load: async () => (await import('./cmd/replace.js')).replaceCommand },
  { name: 'scale', short: 'Set a new size for a deployment, replica set, or replication controller', group: 'Deploy Commands', load: async () => (await import('./cmd/scale.js')).command },
  { name: 'diff', short: 'Diff the live version against a would-be applied version', group: 'Advanced Commands', load: async () => (await import('./cmd/diff.js')).diffCommand },
  { name: 'apply', short: 'Apply a configuration to a resource by file name or stdin', group: 'Advanced Commands', load: async () => (await import('./cmd/apply.js')).command },
  { name: 'patch', short: 'Update fields of a resource', group: 'Advanced Commands', load: async () => (await import('./cmd/misc.js')).patchCommand },
  { name: 'wait', short: 'Experimental: Wait for a specific condition on one or many resources', group: 'Advanced Commands', load: async () => (await import('./cmd/edit.js')).waitCommand },
  { name: 'label', short: 'Update the labels on a resource', group: 'Settings Commands', load: async () => (await import('./cmd/label.js')).labelCommand },
  { name: 'annotate', short: 'Update the annotations on a resource', group: 'Settings Commands', load: async () => (await import('./cmd/label.js')).annotateCommand },
  { name: 'completion', short: 'Output shell completion code for the specified shell (bash, zsh, fish, or powershell)', group: 'Settings Commands', load: async () => (await import('./cmd/edit.js')).completionCommand },
  { name: 'api-resources', short: 'Print the supported API resources on the server', group: OTHER, load: async () => (await import('./cmd/api-resources.js')).apiResourcesCommand },
  { name: 'api-versions', short: 'Print the supported API versions on the server, in the form of "group/version"', group: OTHER, load: async () => (await import('./cmd/api-resources.js')).apiVersionsCommand },
  { name: 'config', short: 'Modify kubeconfig files', group: OTHER, load: async () => (await import('./cmd/config.js')).command },
  { name: 'version', short: 'Print the client and server version information', group: OTHER, load: async () => (await import('./cmd/version.js')).command },
];

/**
 * kubectl commands k8ts does not have yet: listed so that `kubectl --help` and typos behave as in
 * kubectl, and running one says so plainly instead of "unknown command".
 */
const NOT_YET: [string, string, string][] = [
  ['attach', 'Attach to a running container', 'Troubleshooting and Debugging Commands'],
  ['exec', 'Execute a command in a container', 'Troubleshooting and Debugging Commands'],
  ['port-forward', 'Forward one or more local ports to a pod', 'Troubleshooting and Debugging Commands'],
  ['cp', 'Copy files and directories to and from containers', 'Troubleshooting and Debugging Commands'],
];

for (const [name, short, group] of NOT_YET) {
  COMMANDS.push({
    name, short, group,
    load: async () => ({
      name, short, usage: `${name} [options]`,
      flags: [],
      async run() {
        const { KubectlError } = await import('./errors.js');
        throw new KubectlError(`"kubectl ${name}" is not implemented in k8ts yet`);
      },
    }),
  });
}

/** Every top-level command name of kubectl 1.32, in its order: used for "Did you mean this?". */
export const KUBECTL_COMMAND_NAMES = [
  'create', 'expose', 'run', 'set', 'explain', 'get', 'edit', 'delete', 'rollout', 'scale', 'autoscale',
  'certificate', 'cluster-info', 'top', 'cordon', 'uncordon', 'drain', 'taint', 'describe', 'logs', 'attach', 'exec',
  'port-forward', 'proxy', 'cp', 'auth', 'debug', 'events', 'diff', 'apply', 'patch', 'replace', 'wait', 'kustomize',
  'label', 'annotate', 'completion', 'alpha', 'api-resources', 'api-versions', 'config', 'plugin', 'version', 'options',
];
