/**
 * ContainerdSupervisor: runs k8ts's own containerd with a generated configuration under the data dir
 * (./config.ts) and keeps it running.
 *
 * Contract:
 * - `start()` writes config.toml, the registry hosts files and the CNI config, starts containerd,
 *   waits until its CRI service answers `Version` (and the RuntimeReady condition holds), then imports the
 *   air-gapped image tarballs of `<dataDir>/agent/images/`; it rejects, with the tail of containerd's log,
 *   when containerd exits or does not answer in time.
 * - While started, a containerd that exits is started again after a back-off (1 s doubling to 30 s,
 *   reset after it ran for a minute); `onRestart` listeners hear about it.
 * - `stop()` sends SIGTERM to the containerd PID it started, then SIGKILL after the grace period, and
 *   waits for it to exit. Containers keep running (their shims outlive containerd), as with k3s.
 * - containerd's output goes to `<dataDir>/agent/containerd/containerd.log`; its PID to `containerd.pid`
 *   beside it. A containerd left running by an earlier k8ts that died (found through that file and
 *   checked by its command line) is stopped before a new one starts: two cannot share one root.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { CriClient } from '../cri/client.js';
import { importAirgapImages } from '../images/airgap.js';
import { killAndWait, sleep } from './process.js';
import {
  CNI_CONFIG_FILE,
  containerdPaths,
  renderCniConfig,
  renderContainerdConfig,
  renderRegistryHosts,
  type ContainerdPaths,
  type RegistriesConfig,
} from './config.js';

export type SpawnFn = (cmd: string, args: readonly string[], opts: SpawnOptions) => ChildProcess;

export interface ContainerdOptions {
  dataDir: string;
  /** The node's pod CIDR (default 10.42.0.0/24). */
  podCidr?: string;
  /** Pod bridge name (default `k8ts0`). */
  bridge?: string;
  /** Default `registry.k8s.io/pause:3.10`. */
  sandboxImage?: string;
  registries?: RegistriesConfig;
  /** Default /usr/lib/cni (Debian's containernetworking-plugins). */
  cniBinDir?: string;
  /** Default `containerd` on PATH. */
  containerdBin?: string;
  /** How to start the process (e.g. inside a test's network namespace); default child_process.spawn. */
  spawn?: SpawnFn;
  /** Import image tarballs from `<dataDir>/agent/images/` at start (default true). */
  importImages?: boolean;
  /** How long start() waits for the CRI to answer (default 30 s). */
  readyTimeoutMs?: number;
  /** SIGTERM → SIGKILL grace in stop() (default 10 s). */
  stopGraceMs?: number;
  log?: (line: string) => void;
}

export const DEFAULT_POD_CIDR = '10.42.0.0/24';
export const DEFAULT_SANDBOX_IMAGE = 'registry.k8s.io/pause:3.10';

const CAP_SYS_RESOURCE = 24;

/** Whether this process holds a capability in its effective set (from /proc/self/status). */
export async function hasCapability(bit: number): Promise<boolean> {
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
  const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(status);
  return m ? ((BigInt('0x' + m[1]) >> BigInt(bit)) & 1n) === 1n : false;
}

export class ContainerdSupervisor {
  readonly paths: ContainerdPaths;
  private child: ChildProcess | undefined;
  private logStream: WriteStream | undefined;
  private stopping = false;
  /** Set once the first start succeeded: from then on an exit means restart. */
  private supervising = false;
  private backoffMs = 1000;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly restartListeners: ((pid: number) => void)[] = [];

  constructor(private readonly opts: ContainerdOptions) {
    this.paths = containerdPaths(opts.dataDir);
  }

  /** `unix://…/containerd.sock`, for --container-runtime-endpoint style callers. */
  get endpoint(): string {
    return `unix://${this.paths.socket}`;
  }

  /** PID of the running containerd, if any. */
  get pid(): number | undefined {
    return this.child && this.child.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  onRestart(fn: (pid: number) => void): void {
    this.restartListeners.push(fn);
  }

  async writeConfig(): Promise<void> {
    const p = this.paths;
    await Promise.all([p.root, p.state, p.certsDir, p.cniConfDir, p.cniDataDir].map((d) => mkdir(d, { recursive: true })));
    await writeFile(
      p.config,
      renderContainerdConfig({
        paths: p,
        sandboxImage: this.opts.sandboxImage ?? DEFAULT_SANDBOX_IMAGE,
        cniBinDir: this.opts.cniBinDir ?? '/usr/lib/cni',
        restrictOomScoreAdj: !(await hasCapability(CAP_SYS_RESOURCE)),
      }),
    );
    // The hosts directory is rewritten from scratch so that a removed mirror disappears.
    await rm(p.certsDir, { recursive: true, force: true });
    for (const [file, text] of renderRegistryHosts(this.opts.registries ?? {})) {
      await mkdir(path.dirname(path.join(p.certsDir, file)), { recursive: true });
      await writeFile(path.join(p.certsDir, file), text);
    }
    await mkdir(p.certsDir, { recursive: true });
    await writeFile(
      path.join(p.cniConfDir, CNI_CONFIG_FILE),
      renderCniConfig({
        podCidr: this.opts.podCidr ?? DEFAULT_POD_CIDR,
        bridge: this.opts.bridge ?? 'k8ts0',
        ipamDataDir: p.cniDataDir,
      }),
    );
  }

  async start(): Promise<void> {
    if (this.child) throw new Error('containerd supervisor: already started');
    this.stopping = false;
    await this.writeConfig();
    await this.stopStale();
    this.logStream = createWriteStream(this.paths.log, { flags: 'a' });
    try {
      await this.launch();
      if (this.opts.importImages !== false) {
        await importAirgapImages({ dir: this.paths.imagesDir, socket: this.paths.socket, log: this.opts.log });
      }
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.supervising = true;
  }

  private get pidFile(): string {
    return path.join(this.paths.dir, 'containerd.pid');
  }

  /** Stops a containerd that an earlier run started with this config and left behind. */
  async stopStale(): Promise<void> {
    const pid = Number((await readFile(this.pidFile, 'utf8').catch(() => '')).trim());
    if (!(pid > 0)) return;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.split('\0').includes(this.paths.config)) {
      this.opts.log?.(`stopping containerd left running by an earlier run (pid ${pid})`);
      await killAndWait(pid, this.opts.stopGraceMs ?? 10_000);
    }
    await rm(this.pidFile, { force: true });
  }

  private async launch(): Promise<void> {
    // A socket left by a containerd that was killed would make the new one fail to listen.
    await rm(this.paths.socket, { force: true });
    const spawnFn = this.opts.spawn ?? spawn;
    const child = spawnFn(this.opts.containerdBin ?? 'containerd', ['--config', this.paths.config], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    if (child.pid) await writeFile(this.pidFile, `${child.pid}\n`);
    child.stdout?.pipe(this.logStream!, { end: false });
    child.stderr?.pipe(this.logStream!, { end: false });
    const startedAt = Date.now();
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      if (this.stopping || !this.supervising) return;
      const ranMs = Date.now() - startedAt;
      if (ranMs > 60_000) this.backoffMs = 1000;
      this.opts.log?.(`containerd exited (${code ?? signal}); restarting in ${this.backoffMs} ms`);
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        if (this.stopping) return;
        this.launch().then(
          () => this.restartListeners.forEach((fn) => fn(this.pid ?? 0)),
          (err: Error) => this.opts.log?.(`containerd restart failed: ${err.message}`),
        );
      }, this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, 30_000);
    });
    await this.waitReady(child);
    this.opts.log?.(`containerd ready (pid ${child.pid}, ${this.endpoint})`);
  }

  private async waitReady(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + (this.opts.readyTimeoutMs ?? 30_000);
    const client = new CriClient(this.endpoint, { timeoutMs: 2000 });
    let last = 'no answer';
    try {
      while (Date.now() < deadline) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`containerd exited (${child.exitCode ?? child.signalCode}) while starting: ${await this.logTail()}`);
        }
        try {
          await client.version();
          const status = await client.status();
          const runtimeReady = status.status.conditions.find((c) => c.type === 'RuntimeReady');
          if (runtimeReady?.status) return;
          last = `RuntimeReady is false: ${runtimeReady?.message ?? ''}`;
        } catch (err) {
          last = (err as Error).message;
        }
        await sleep(100);
      }
    } finally {
      client.close();
    }
    throw new Error(`containerd did not become ready: ${last}; ${await this.logTail()}`);
  }

  private async logTail(): Promise<string> {
    try {
      const text = await readFile(this.paths.log, 'utf8');
      // Errors, and lines that are not containerd's logfmt at all (e.g. "failed to load TOML …").
      const lines = text.split('\n').filter((l) => l.trim() && (/level=(error|fatal)/.test(l) || !l.startsWith('time=')));
      return lines.slice(-5).join(' | ') || '(nothing in the log)';
    } catch {
      return '(no log)';
    }
  }

  /**
   * Stops supervising without stopping containerd: it keeps running (with its containers) and is no longer
   * restarted or stopped by this object. For hand-over to another process, and for testing `killall`.
   */
  abandon(): void {
    this.stopping = true;
    this.supervising = false;
    clearTimeout(this.restartTimer);
    this.child?.unref();
    this.child = undefined;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.supervising = false;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), this.opts.stopGraceMs ?? 10_000);
      await exited;
      clearTimeout(timer);
    }
    this.child = undefined;
    await rm(this.pidFile, { force: true });
    await new Promise<void>((r) => (this.logStream ? this.logStream.end(r) : r()));
    this.logStream = undefined;
  }
}
