/**
 * The `k8ts` program: one binary with subcommands, as k3s is.
 * Each subcommand lives in `commands/<name>.ts`, which declares its flags and hands a config to the
 * package that does the work.
 */
import { serverCommand } from './commands/server.js';
import { versionCommand } from './commands/version.js';
import { kubectlCommand } from './commands/kubectl.js';
import { agentCommand } from './commands/agent.js';
import { killallCommand } from './commands/killall.js';
import { type Command, CommandError } from './command.js';

const commands: Command[] = [serverCommand, agentCommand, versionCommand, kubectlCommand, killallCommand];

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
    return await command.run(rest);
  } catch (err) {
    if (err instanceof CommandError) {
      console.error(`k8ts ${name}: ${err.message}`);
      return err.exitCode;
    }
    throw err;
  }
}

process.exitCode = await main(process.argv.slice(2));
