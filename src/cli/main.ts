/**
 * The `k8ts` program: one binary with subcommands, as k3s is.
 * Each subcommand lives in `commands/<name>.ts`, which declares its flags and hands a config to the
 * package that does the work.
 */
import { type Command, CommandError } from './command.js';

/**
 * The subcommands. Each module is loaded only when its command runs, so `k8ts kubectl` does not pay for
 * loading the server.
 */
const commands: { name: string; summary: string; load: () => Promise<Command> }[] = [
  { name: 'server', summary: 'Run the control plane (and, by default, a worker node on this machine)', load: async () => (await import('./commands/server.js')).serverCommand },
  { name: 'agent', summary: 'Join a server as a worker node (or as N SIMULATED nodes with --simulate N)', load: async () => (await import('./commands/agent.js')).agentCommand },
  { name: 'kubectl', summary: 'Run kubectl commands against the cluster (finds the local server\'s kubeconfig by itself)', load: async () => (await import('./commands/kubectl.js')).kubectlCommand },
  { name: 'killall', summary: 'Stop all pods and the container runtime of this node, and remove its network state', load: async () => (await import('./commands/killall.js')).killallCommand },
  { name: 'version', summary: 'Print the k8ts version and the Kubernetes API version it serves', load: async () => (await import('./commands/version.js')).versionCommand },
];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'k8ts: Kubernetes in TypeScript.',
    '',
    'Usage: k8ts <command> [flags]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "k8ts <command> --help" for the flags of a command.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 1 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`k8ts: unknown command "${name}"\n\n${usage()}`);
    return 1;
  }
  try {
    return await (await command.load()).run(rest);
  } catch (err) {
    if (err instanceof CommandError) {
      console.error(`k8ts ${name}: ${err.message}`);
      return err.exitCode;
    }
    throw err;
  }
}

process.exitCode = await main(process.argv.slice(2));
