/** A `k8ts` subcommand: its name, a one-line summary for `k8ts --help`, and what it does. */
export interface Command {
  name: string;
  summary: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}

/** An error the user can act on: printed as one line, no stack trace. */
export class CommandError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}
