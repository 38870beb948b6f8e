/**
 * Ordered start and stop of the server's components, in the manner of k3s: each component starts only
 * after the ones before it report ready, logs one line when it is, and components stop in reverse.
 */

/** What a started component hands back. */
export interface Running {
  /** Shown in the "ready" log line, e.g. the address it listens on. */
  detail?: string;
  stop(): Promise<void>;
}

export interface Component<Ctx> {
  name: string;
  start(ctx: Ctx): Promise<Running>;
}

/** A failure to start, reported as a single line naming the component and the cause. */
export class StartupError extends Error {
  constructor(readonly component: string, override readonly cause: unknown) {
    super(`${component}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export type Log = (line: string) => void;

/** Starts `components` in order. If one fails, those already started are stopped and StartupError thrown. */
export async function startAll<Ctx>(components: Component<Ctx>[], ctx: Ctx, log: Log): Promise<() => Promise<void>> {
  const running: { name: string; r: Running }[] = [];
  const stopAll = async () => {
    for (const { name, r } of running.reverse()) {
      try {
        await r.stop();
      } catch (err) {
        log(`${name}: error while stopping: ${(err as Error).message}`);
      }
    }
    running.length = 0;
  };
  for (const c of components) {
    let r: Running;
    try {
      r = await c.start(ctx);
    } catch (err) {
      await stopAll();
      throw new StartupError(c.name, err);
    }
    running.push({ name: c.name, r });
    log(`${c.name} ready${r.detail ? ` (${r.detail})` : ''}`);
  }
  return stopAll;
}
