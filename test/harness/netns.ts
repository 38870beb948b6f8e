/**
 * Sealed network namespaces for tests that start clusters or containers.
 *
 * Contract of {@link createSealedNetns}:
 * - the namespace has a unique name `k8ts-test-<random>`, `lo` up, and a veth pair `eth0` <-> `eth0peer`
 *   with BOTH ends inside it; eth0 is 10.99.0.2/24 and the default route goes to the peer (10.99.0.1),
 *   so no packet sent from inside can reach the host's network;
 * - `exec`/`run` start processes inside it and remember their PIDs. They enter only the network namespace
 *   (`nsenter --net`), not a new mount namespace as `ip netns exec` would: `ip netns exec` remounts /sys,
 *   which hides /sys/fs/cgroup from containerd and runc, and it would also hide the mounts that a
 *   runtime makes from the test that must check they are gone;
 * - `destroy()` kills the processes it started (SIGTERM, then SIGKILL after a grace period), then every
 *   PID still inside the namespace (`ip netns pids`), and deletes the namespace. It is idempotent.
 *
 * The shell side (`sealed-netns.sh`, `in-netns.sh`) does the same for whole commands.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { repoRoot } from './paths.js';

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions extends SpawnOptions {
  /** Text written to the process's stdin. */
  input?: string;
  /** Kill the process (SIGKILL) after this many milliseconds. */
  timeoutMs?: number;
}

export interface SealedNetns {
  /** The namespace's name, usable with `ip netns exec NAME` and `ip -n NAME`. */
  readonly name: string;
  /** Starts `cmd args` inside the namespace. */
  exec(cmd: string, args?: readonly string[], opts?: SpawnOptions): ChildProcess;
  /** Runs `cmd args` inside the namespace to completion and collects its output. */
  run(cmd: string, args?: readonly string[], opts?: RunOptions): Promise<RunResult>;
  /** Kills every process inside and deletes the namespace. */
  destroy(): Promise<void>;
}

export const SEALED_NETNS_SCRIPT = path.join(repoRoot(), 'test', 'harness', 'sealed-netns.sh');

/** Runs a host command (not inside any namespace) and collects its output. */
export function runCommand(cmd: string, args: readonly string[] = [], opts: RunOptions = {}): Promise<RunResult> {
  return collect(spawn(cmd, args, { ...opts, stdio: stdioFor(opts) }), opts);
}

function stdioFor(opts: RunOptions): SpawnOptions['stdio'] {
  return [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'];
}

function collect(child: ChildProcess, opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    if (child.stdin) {
      child.stdin.on('error', () => {}); // the process may exit without reading its input
      child.stdin.end(opts.input);
    }
  });
}

/** Runs a host command and throws, with its stderr, unless it exits 0. */
export async function mustRun(cmd: string, args: readonly string[]): Promise<void> {
  const r = await runCommand(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code ?? r.signal}): ${r.stderr.trim()}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function createSealedNetns(opts: { graceMs?: number } = {}): Promise<SealedNetns> {
  const name = `k8ts-test-${randomBytes(4).toString('hex')}`;
  const graceMs = opts.graceMs ?? 2000;
  await mustRun(SEALED_NETNS_SCRIPT, ['create', name]);
  const started = new Set<ChildProcess>();
  let destroyed: Promise<void> | undefined;

  const exec = (cmd: string, args: readonly string[] = [], spawnOpts: SpawnOptions = {}): ChildProcess => {
    if (destroyed) throw new Error(`netns ${name} is destroyed`);
    const child = spawn('nsenter', [`--net=/run/netns/${name}`, cmd, ...args], spawnOpts);
    started.add(child);
    child.on('exit', () => started.delete(child));
    return child;
  };

  const destroy = async (): Promise<void> => {
    const pids = [...started].map((c) => c.pid).filter((p): p is number => p !== undefined);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
    const deadline = Date.now() + graceMs;
    while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (const pid of pids.filter(alive)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    await mustRun(SEALED_NETNS_SCRIPT, ['destroy', name]);
  };

  return {
    name,
    exec,
    run: (cmd, args = [], runOpts = {}) => collect(exec(cmd, args, { ...runOpts, stdio: stdioFor(runOpts) }), runOpts),
    destroy: () => (destroyed ??= destroy()),
  };
}
