/** `--dry-run=none|client|server` as kubectl parses it. */
import { KubectlError } from './errors.js';
import type { FlagDef, ParsedFlags } from './flags.js';

export type DryRun = 'none' | 'client' | 'server';

export const DRY_RUN_FLAG: FlagDef = {
  name: 'dry-run', kind: 'string', default: 'none', noOptDefault: 'unchanged',
  usage: 'Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.',
};

export function dryRunOf(flags: ParsedFlags): DryRun {
  if (!flags.isSet('dry-run')) return 'none';
  const v = flags.string('dry-run');
  if (v === '' || v === 'true' || v === 'client' || v === 'unchanged') return 'client';
  if (v === 'server') return 'server';
  if (v === 'none' || v === 'false') return 'none';
  throw new KubectlError(`Invalid dry-run value (${v}). Must be "none", "server", or "client".`);
}

/** The suffix kubectl prints after "created"/"configured": ` (dry run)` or ` (server dry run)`. */
export function dryRunSuffix(d: DryRun): string {
  return d === 'client' ? ' (dry run)' : d === 'server' ? ' (server dry run)' : '';
}
