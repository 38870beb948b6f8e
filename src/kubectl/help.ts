/** `--help` text in kubectl's layout: description, examples, subcommands, options, usage. */
import type { CommandEntry, KubectlCommand } from './command.js';
import { FlagSet } from './flags.js';
import { GLOBAL_FLAGS } from './globals.js';

export function commandHelp(cmd: KubectlCommand, path: string): string {
  const parts: string[] = [`${cmd.long ?? cmd.short}\n`];
  if (cmd.examples) parts.push(`Examples:\n${cmd.examples.replace(/\n+$/, '')}\n`);
  if (cmd.subcommands?.length) {
    const width = Math.max(...cmd.subcommands.map((s) => s.name.length)) + 3;
    parts.push(`Available Commands:\n${[...cmd.subcommands].sort((a, b) => a.name.localeCompare(b.name)).map((s) => `  ${s.name.padEnd(width)}${s.short}`).join('\n')}\n`);
  }
  const own = new FlagSet(cmd.flags ?? []);
  if (own.defs().some((d) => !d.hidden)) parts.push(`Options:\n${own.helpBlock()}`);
  parts.push(`Usage:\n  kubectl ${cmd.usage}\n`);
  const tail = cmd.subcommands?.length ? `Use "${path} <command> --help" for more information about a given command.\n` : '';
  parts.push(`${tail}Use "kubectl options" for a list of global command-line options (applies to all commands).\n`);
  return parts.join('\n');
}

/** `kubectl --help`: the command list by group. */
export function rootHelp(entries: CommandEntry[]): string {
  const groups = new Map<string, CommandEntry[]>();
  for (const e of entries) {
    const g = e.group ?? 'Other Commands';
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(e);
  }
  const width = Math.max(...entries.map((e) => e.name.length)) + 3;
  const blocks = [...groups].map(([g, es]) => `${g}:\n${es.map((e) => `  ${e.name.padEnd(width)}${e.short}`).join('\n')}\n`);
  return [
    'kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n',
    ...blocks,
    'Usage:\n  kubectl [flags] [options]\n',
    'Use "kubectl <command> --help" for more information about a given command.\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n',
  ].join('\n');
}

export function optionsHelp(): string {
  return `The following options can be passed to any command:\n\n${new FlagSet(GLOBAL_FLAGS).helpBlock()}`;
}
