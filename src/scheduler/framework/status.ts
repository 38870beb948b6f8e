/**
 * The outcome of running a plugin at one extension point (upstream's `framework.Status`). `null` stands for
 * Success everywhere in the framework, so the hot path allocates nothing when a node fits.
 */

export enum Code {
  Success = 0,
  /** An internal error: the pod is retried with backoff, never reported as "unschedulable". */
  Error = 1,
  /** The pod does not fit now; preemption may help. */
  Unschedulable = 2,
  /** The pod does not fit and preemption cannot help on this node. */
  UnschedulableAndUnresolvable = 3,
  Wait = 4,
  /** The plugin has nothing to do for this pod (from PreFilter/PreScore): its Filter/Score is skipped. */
  Skip = 5,
  Pending = 6,
}

export class Status {
  /** The plugin that produced it, filled by the framework. */
  plugin = '';

  constructor(
    readonly code: Code,
    readonly reasons: readonly string[] = [],
  ) {}

  /** The reasons joined, as upstream's `Status.Message()`. */
  message(): string {
    return this.reasons.join(', ');
  }

  isRejected(): boolean {
    return this.code === Code.Unschedulable || this.code === Code.UnschedulableAndUnresolvable || this.code === Code.Pending;
  }

  withPlugin(plugin: string): this {
    this.plugin = plugin;
    return this;
  }

  static unschedulable(...reasons: string[]): Status {
    return new Status(Code.Unschedulable, reasons);
  }

  static unresolvable(...reasons: string[]): Status {
    return new Status(Code.UnschedulableAndUnresolvable, reasons);
  }

  static error(err: unknown): Status {
    return new Status(Code.Error, [err instanceof Error ? err.message : String(err)]);
  }

  static skip(): Status {
    return SKIP;
  }
}

const SKIP = new Status(Code.Skip);

/** A success-or-status result: `null` is Success. */
export type Result = Status | null;

export function isSuccess(s: Result): s is null {
  return s === null || s.code === Code.Success;
}
