/**
 * kubectl's error printing (cmdutil.CheckErr): every failure ends as text on stderr and exit code 1.
 *
 * - API errors: `Error from server (NotFound): pods "x" not found`; `Invalid` lists its causes.
 * - Usage errors: `error: ...` then `See 'kubectl get -h' for help and examples`.
 * - Flag errors: `error: ...` then `See 'kubectl get --help' for usage.`
 * - Anything else: `error: ...`.
 */
import { ApiError } from '../api/errors.js';
import { FlagError } from './flags.js';
import type { IO } from './io.js';

/** A mistake in how the command was called. */
export class UsageError extends Error {}

/** A failure already worded for the user; printed as `error: <message>` (or verbatim when `raw`). */
export class KubectlError extends Error {
  constructor(message: string, readonly raw = false, readonly exitCode = 1) {
    super(message);
  }
}

/** Prints `err` the way kubectl does and returns the exit code. */
export function printError(err: unknown, io: IO, commandPath: string): number {
  if (err instanceof FlagError) {
    io.err(`error: ${err.message}\nSee '${commandPath} --help' for usage.\n`);
    return 1;
  }
  if (err instanceof UsageError) {
    io.err(`error: ${err.message}\nSee '${commandPath} -h' for help and examples\n`);
    return 1;
  }
  if (err instanceof KubectlError) {
    io.err(err.raw ? withNewline(err.message) : `error: ${withNewline(err.message)}`);
    return err.exitCode;
  }
  if (err instanceof ApiError) {
    io.err(withNewline(apiErrorText(err)));
    return 1;
  }
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = e?.code ?? e?.cause?.code;
  if (code === 'ECONNREFUSED') {
    const addr = (e.cause ?? e) as { address?: string; port?: number };
    io.err(`The connection to the server ${addr.address ?? 'localhost'}:${addr.port ?? ''} was refused - did you specify the right host or port?\n`);
    return 1;
  }
  io.err(`error: ${withNewline(e instanceof Error ? e.message : String(err))}`);
  return 1;
}

/** The text kubectl prints for an error from the server. */
export function apiErrorText(err: ApiError): string {
  if (err.reason === 'Unauthorized') return 'error: You must be logged in to the server (Unauthorized)';
  if (err.reason === 'Invalid' && err.details?.kind) {
    const causes = err.details.causes ?? [];
    const kind = err.details.group ? `${err.details.kind}.${err.details.group}` : err.details.kind;
    const what = `The ${kind} "${err.details.name ?? ''}" is invalid`;
    if (causes.length === 0) return `${what}`;
    if (causes.length === 1) return `${what}: ${causeText(causes[0])}`;
    return `${what}: \n${causes.map((c) => `* ${causeText(c)}`).join('\n')}`;
  }
  return `Error from server (${err.reason}): ${err.message}`;
}

function causeText(c: { field?: string; message?: string }): string {
  return c.field ? `${c.field}: ${c.message ?? ''}` : c.message ?? '';
}

function withNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n`;
}
