/**
 * The process surroundings a kubectl command uses: output streams, stdin, environment, clock.
 * Injected so commands can be run in-process by tests; `processIO()` is the real one.
 */
import type { Readable } from 'node:stream';

export interface IO {
  out(text: string): void;
  err(text: string): void;
  stdin: Readable;
  /** True when stdout is a terminal: colour is used only then. */
  isTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  now(): Date;
}

export function processIO(): IO {
  return {
    out: (t) => { process.stdout.write(t); },
    err: (t) => { process.stderr.write(t); },
    // A getter: touching process.stdin builds a stream (and loads tty/net), ~7 ms commands rarely need.
    get stdin() { return process.stdin; },
    isTTY: Boolean(process.stdout.isTTY),
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
  };
}

/** An IO that records what was written; for tests. */
export function bufferIO(opts: { env?: Record<string, string | undefined>; stdin?: Readable; cwd?: string; isTTY?: boolean } = {}): IO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(t: string) { io.stdout += t; },
    err(t: string) { io.stderr += t; },
    stdin: opts.stdin as Readable,
    isTTY: opts.isTTY ?? false,
    env: opts.env ?? {},
    cwd: opts.cwd ?? '/',
    now: () => new Date(),
  };
  return io;
}
