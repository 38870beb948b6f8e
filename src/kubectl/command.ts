/**
 * The shape of a kubectl command. Commands are found through a registry of lightweight entries
 * (name, summary, group) and their modules are imported only when run, so start-up stays fast.
 */
import type { FlagDef, ParsedFlags } from './flags.js';
import type { IO } from './io.js';

/** What a command's `run` receives. */
export interface Invocation {
  /** Parsed flags: the command's own and the global ones. */
  flags: ParsedFlags;
  /** Positional arguments after the command path. */
  args: string[];
  io: IO;
  /** "kubectl get", "kubectl config view": used in messages. */
  commandPath: string;
}

export interface KubectlCommand {
  /** The word that selects it, e.g. "get" or "view" under "config". */
  name: string;
  aliases?: string[];
  /** One line, shown in the parent's command list. */
  short: string;
  /** The long description shown first by --help (defaults to `short`). */
  long?: string;
  /** The indented example block of --help. */
  examples?: string;
  /** The usage line after "kubectl ", e.g. "get [(-o|--output=)...] TYPE [NAME] [flags] [options]". */
  usage: string;
  flags?: FlagDef[];
  /** Subcommands (e.g. `config view`). A command with subcommands and no `run` prints its help. */
  subcommands?: CommandEntry[];
  /** Resolves to the exit code (undefined means 0). Throw to report an error the kubectl way. */
  run?(inv: Invocation): Promise<number | void>;
}

/** A lazy registry entry: enough to list and find a command without importing it. */
export interface CommandEntry {
  name: string;
  aliases?: string[];
  short: string;
  /** The heading it is listed under in `kubectl --help`. */
  group?: string;
  load(): Promise<KubectlCommand>;
}

/** Makes a registry entry from a command already in memory (used for small subcommand tables). */
export function entryOf(cmd: KubectlCommand, group?: string): CommandEntry {
  return { name: cmd.name, aliases: cmd.aliases, short: cmd.short, group, load: async () => cmd };
}
