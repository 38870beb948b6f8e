/**
 * Child processes for benchmarks: start `k8ts <subcommand>` and wait for its ready line, stop it by PID,
 * and read its CPU time and resident memory from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/src/cli/main.js, seen from dist/bench/lib. */
export const K8TS_MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'main.js');

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** Resident memory in MiB. */
export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(m?.[1] ?? 0) / 1024);
}

/** Runs `k8ts ...argv` and resolves once its output contains `readyText`; rejects on exit or deadline. */
export function startK8ts(argv: string[], readyText: string, deadlineMs: number): Promise<{ child: ChildProcess; log: () => string }> {
  const child = spawn(process.execPath, [K8TS_MAIN, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after ${deadlineMs} ms: ${argv.join(' ')}\n${log.slice(-2000)}`)), deadlineMs);
    const on = (b: Buffer) => {
      log += b.toString();
      if (log.includes(readyText)) {
        clearTimeout(timer);
        resolve({ child, log: () => log });
      }
    };
    child.stderr!.on('data', on);
    child.stdout!.on('data', on);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before ready: ${argv.join(' ')}\n${log.slice(-2000)}`));
    });
  });
}

/** SIGTERM by PID, then SIGKILL after 10 s. */
export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  process.kill(child.pid, 'SIGTERM');
  const t = setTimeout(() => { if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL'); }, 10_000);
  await exited;
  clearTimeout(t);
}

/** The p-th percentile (0-100) of `values` (sorted in place). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  values.sort((a, b) => a - b);
  return values[Math.min(values.length - 1, Math.max(0, Math.ceil((p / 100) * values.length) - 1))]!;
}
