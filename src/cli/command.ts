/** What a `k8ts` subcommand does. Its name and summary are listed in main.ts. */
export interface Command {
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}

/** An error the user can act on: printed as one line, no stack trace. */
export class CommandError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}
