/**
 * Runs one kubectl command line: finds the command (cobra's way: the first words that are not flags or
 * flag values name the command path), parses the flags, prints help or runs it, and prints errors as
 * kubectl does. Only the chosen command's module is imported.
 */
import type { CommandEntry, KubectlCommand } from './command.js';
import { printError } from './errors.js';
import { FlagSet } from './flags.js';
import { GLOBAL_FLAGS } from './globals.js';
import { commandHelp, optionsHelp, rootHelp } from './help.js';
import type { IO } from './io.js';
import { COMMANDS, KUBECTL_COMMAND_NAMES } from './registry.js';

export async function runKubectl(argv: string[], io: IO, commands: CommandEntry[] = COMMANDS): Promise<number> {
  let entries = commands;
  let cmd: KubectlCommand | undefined;
  let path = 'kubectl';
  let rest = [...argv];
  let flagset = new FlagSet(GLOBAL_FLAGS);
  try {
    for (;;) {
      const idx = firstNonFlag(rest, flagset);
      if (idx < 0) break;
      const word = rest[idx];
      if (!cmd && word === 'options') {
        io.out(optionsHelp());
        return 0;
      }
      if (!cmd && word === 'help') {
        rest.splice(idx, 1);
        rest.push('--help');
        continue;
      }
      const entry = entries.find((e) => e.name === word || e.aliases?.includes(word));
      if (!entry) {
        if (!cmd) {
          io.err(unknownCommand(word, commands));
          return 1;
        }
        break;
      }
      cmd = await entry.load();
      path += ` ${cmd.name}`;
      rest.splice(idx, 1);
      flagset = new FlagSet(GLOBAL_FLAGS).addAll(cmd.flags ?? []);
      entries = cmd.subcommands ?? [];
      if (entries.length === 0) break;
    }
    const flags = flagset.parse(rest);
    if (!cmd) {
      io.out(rootHelp(commands));
      return 0;
    }
    if (flags.bool('help')) {
      io.out(commandHelp(cmd, path));
      return 0;
    }
    if (!cmd.run) {
      if (flags.positionals.length > 0) {
        io.err(`error: unknown command "${flags.positionals[0]}"\nSee '${path} -h' for help and examples\n`);
        return 1;
      }
      io.out(commandHelp(cmd, path));
      return 0;
    }
    return (await cmd.run({ flags, args: flags.positionals, io, commandPath: path })) ?? 0;
  } catch (err) {
    return printError(err, io, path);
  }
}

/** Index of the first word that is neither a flag nor a flag's value, or -1 (cobra's stripFlags). */
function firstNonFlag(args: string[], flags: FlagSet): number {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') return -1;
    if (a.startsWith('--')) {
      if (!a.includes('=') && flags.lookup(a.slice(2))?.kind !== 'bool' && flags.lookup(a.slice(2))?.noOptDefault === undefined) i++;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      if (a.length === 2 && flags.lookupShort(a[1])?.kind !== 'bool') i++;
      continue;
    }
    return i;
  }
  return -1;
}

function unknownCommand(word: string, commands: CommandEntry[]): string {
  const lower = word.toLowerCase();
  const names = [...KUBECTL_COMMAND_NAMES, ...commands.map((c) => c.name).filter((n) => !KUBECTL_COMMAND_NAMES.includes(n))];
  const suggestions = names.filter((n) => levenshtein(lower, n.toLowerCase()) <= 2 || n.toLowerCase().startsWith(lower));
  const hint = suggestions.length ? `\nDid you mean this?\n${suggestions.map((s) => `\t${s}\n`).join('')}` : '';
  return `error: unknown command "${word}" for "kubectl"\n${hint}`;
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
