/**
 * Starts Debian's etcd (3.4) for tests and benchmarks: on 127.0.0.1 with free ports and a temporary data
 * dir, stopped by PID with the dir removed. `--max-request-bytes` is raised to 2 MiB so a value of the
 * store's full 1.5 MiB limit (plus its key and framing) fits in one request, as k8ts requires of any etcd.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ETCD_BIN = '/usr/bin/etcd';

export function etcdAvailable(): boolean {
  return existsSync(ETCD_BIN);
}

export interface RunningEtcd {
  /** The client URL, e.g. http://127.0.0.1:41234 */
  endpoint: string;
  pid: number;
  dataDir: string;
  /** Stops etcd (SIGTERM, then SIGKILL after 5 s) and removes its data dir. Safe to call twice. */
  stop(): Promise<void>;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function healthy(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) });
    const body = (await res.json()) as { health?: string };
    return res.ok && body.health === 'true';
  } catch {
    return false;
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startEtcd(options: { readyTimeoutMs?: number } = {}): Promise<RunningEtcd> {
  if (!etcdAvailable()) throw new Error(`${ETCD_BIN} is not installed (apt-get install etcd-server)`);
  const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-etcd-'));
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const logFile = join(dataDir, 'etcd.log');
  const out = openSync(logFile, 'w');
  const child = spawn(ETCD_BIN, [
    '--name', 'k8ts-test',
    '--data-dir', join(dataDir, 'data'),
    '--listen-client-urls', client, '--advertise-client-urls', client,
    '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer,
    '--initial-cluster', `k8ts-test=${peer}`,
    '--max-request-bytes', String(2 * 1024 * 1024),
    '--logger', 'zap', '--log-outputs', 'stderr',
  ], { stdio: ['ignore', out, out], detached: false });
  closeSync(out);
  const pid = child.pid!;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(pid, 'SIGTERM');
      const killer = setTimeout(() => { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
      await exited(child);
      clearTimeout(killer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  while (!(await healthy(client))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-5).join('\n');
      await stop();
      throw new Error(`etcd did not become ready on ${client}: ${child.exitCode !== null ? `exited ${child.exitCode}` : 'timeout'}\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { endpoint: client, pid, dataDir, stop };
}
