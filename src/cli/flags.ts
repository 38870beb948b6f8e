/**
 * Flag parsing shared by the `k8ts` subcommands: a table of flags, parsed with node:util's parseArgs,
 * and a generated `--help` text.
 */
import { parseArgs } from 'node:util';
import { CommandError } from './command.js';

export interface FlagSpec {
  type: 'string' | 'boolean';
  description: string;
  /** Shown in --help; the parsed value is undefined when the flag is absent. */
  default?: string;
  multiple?: boolean;
}

export type FlagTable = Record<string, FlagSpec>;

export type ParsedFlags<T extends FlagTable> = {
  [K in keyof T]: T[K]['type'] extends 'boolean' ? boolean | undefined
    : T[K]['multiple'] extends true ? string[] | undefined : string | undefined;
};

export function helpText(usage: string, flags: FlagTable): string {
  const rows = Object.entries(flags).map(([name, spec]) => {
    const left = spec.type === 'boolean' ? `--${name}` : `--${name} value`;
    const def = spec.default !== undefined ? ` (default: ${spec.default})` : '';
    return [left, spec.description + def] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length));
  return [`Usage: ${usage}`, '', 'Flags:', ...rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`)].join('\n');
}

/** Parses `args` against `flags`. Unknown flags and stray positionals are a CommandError. */
export function parseFlags<T extends FlagTable>(args: string[], flags: T): { values: ParsedFlags<T>; help: boolean } {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = { help: { type: 'boolean' } };
  for (const [name, spec] of Object.entries(flags)) options[name] = spec.multiple ? { type: spec.type, multiple: true } : { type: spec.type };
  try {
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals: true });
    if (positionals.length > 0) throw new CommandError(`unexpected argument "${positionals[0]}"`);
    return { values: values as ParsedFlags<T>, help: Boolean(values.help) };
  } catch (err) {
    if (err instanceof CommandError) throw err;
    throw new CommandError((err as Error).message.replace(/\. To specify a positional.*$/s, ''));
  }
}
