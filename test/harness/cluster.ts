/**
 * Starts `k8ts server` for an end-to-end test, inside a sealed network namespace (see netns.ts), with a
 * temporary data dir. Contract:
 * - `startCluster()` resolves once the server logged "server ready"; the admin kubeconfig is at
 *   `kubeconfig` and the API at `url` (both valid inside the namespace only).
 * - `kubectl(args)` runs the real /usr/bin/kubectl inside the namespace with that kubeconfig;
 *   `run(cmd, args)` runs any command there (e.g. a node script using @kubernetes/client-node).
 * - `restart()` stops the server (SIGTERM, by PID) and starts it again on the same data dir.
 * - `stop()` stops the server by PID, destroys the namespace (killing anything left in it) and removes the
 *   data dir. It is idempotent.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createSealedNetns, type RunOptions, type RunResult, type SealedNetns } from './netns.js';
import { repoRoot } from './paths.js';

export interface Cluster {
  netns: SealedNetns;
  dataDir: string;
  kubeconfig: string;
  url: string;
  kubectl(args: readonly string[], opts?: RunOptions): Promise<RunResult>;
  run(cmd: string, args: readonly string[], opts?: RunOptions): Promise<RunResult>;
  /** Everything the server wrote to stderr so far. */
  logs(): string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** Extra `k8ts server` flags. */
  args?: string[];
  readyTimeoutMs?: number;
}

const PORT = 6443;

export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const netns = await createSealedNetns({ graceMs: 5000 });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'k8ts-e2e-'));
  const kubeconfig = path.join(dataDir, 'server', 'cred', 'admin.kubeconfig');
  const main = path.join(repoRoot(), 'dist', 'src', 'cli', 'main.js');
  let server: ChildProcess | undefined;
  let log = '';
  let stopped = false;

  const start = async (): Promise<void> => {
    const child = netns.exec(process.execPath, [main, 'server', '--data-dir', dataDir, '--https-listen-port', String(PORT),
      '--bind-address', '127.0.0.1', ...(opts.args ?? [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    server = child;
    const from = log.length;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`k8ts server not ready after ${opts.readyTimeoutMs ?? 60000} ms:\n${log}`)), opts.readyTimeoutMs ?? 60000);
      const onData = (b: Buffer) => {
        log += b.toString();
        if (log.indexOf('k8ts: server ready', from) >= 0) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stderr!.on('data', onData);
      child.stdout!.on('data', (b: Buffer) => { log += b.toString(); });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`k8ts server exited (${code}) before it was ready:\n${log}`));
      });
    });
  };

  const stopServer = async (): Promise<void> => {
    const s = server;
    server = undefined;
    if (!s || s.exitCode !== null || s.pid === undefined) return;
    const exited = new Promise<void>((resolve) => s.once('exit', () => resolve()));
    process.kill(s.pid, 'SIGTERM');
    const timer = setTimeout(() => { if (s.pid !== undefined && s.exitCode === null) process.kill(s.pid, 'SIGKILL'); }, 10_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await start();
  } catch (err) {
    await stopServer().catch(() => {});
    await netns.destroy();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }

  const env = { ...process.env, KUBECONFIG: kubeconfig };
  return {
    netns,
    dataDir,
    kubeconfig,
    url: `https://127.0.0.1:${PORT}`,
    kubectl: (args, runOpts = {}) => netns.run('/usr/bin/kubectl', args, { timeoutMs: 60_000, ...runOpts, env: { ...env, ...runOpts.env } }),
    run: (cmd, args, runOpts = {}) => netns.run(cmd, args, { timeoutMs: 60_000, ...runOpts, env: { ...env, ...runOpts.env } }),
    logs: () => log,
    async restart() {
      await stopServer();
      await start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopServer();
      await netns.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
