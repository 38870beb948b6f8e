/** Processes by PID: the runtime's daemons and shims are not always our children. */

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Whether a process with this PID exists (a zombie counts until it is reaped). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends a signal, ignoring a process that is already gone. */
export function signalProcess(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after graceMs; resolves once the PID is gone. */
export async function killAndWait(pid: number, graceMs: number): Promise<void> {
  signalProcess(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (processAlive(pid) && Date.now() < deadline) await sleep(50);
  if (processAlive(pid)) signalProcess(pid, 'SIGKILL');
  while (processAlive(pid)) await sleep(20);
}
