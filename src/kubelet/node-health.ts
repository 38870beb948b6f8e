/**
 * What the real node reports about itself in its conditions (src/agent/node/conditions.ts), measured every
 * `periodMs` (default 10 s) with upstream's default hard eviction thresholds:
 * - MemoryPressure: MemAvailable (/proc/meminfo) below 100Mi;
 * - DiskPressure: the data dir's file system with less than 10% available;
 * - PIDPressure: fewer than 5% of pid_max left (processes in /proc);
 * - Ready: false while the runtime reports RuntimeReady or NetworkReady false, or does not answer, with
 *   upstream's message ("container runtime is down", "container runtime network not ready: …").
 * `current()` is the latest measurement (healthy before the first one).
 */
import { readdir, readFile, statfs } from 'node:fs/promises';
import { HEALTHY, type NodeHealth } from '../agent/node/conditions.js';
import type { RuntimeService } from './cri/service.js';

export const MEMORY_AVAILABLE_THRESHOLD_BYTES = 100 * 1024 * 1024;
export const NODEFS_AVAILABLE_THRESHOLD = 0.1;
export const PID_AVAILABLE_THRESHOLD = 0.05;

export async function measureNodeHealth(runtime: RuntimeService, dataDir: string): Promise<NodeHealth> {
  const meminfo = await readFile('/proc/meminfo', 'utf8').catch(() => '');
  const availKiB = Number(/^MemAvailable:\s+(\d+)/m.exec(meminfo)?.[1] ?? NaN);
  const memoryPressure = Number.isFinite(availKiB) && availKiB * 1024 < MEMORY_AVAILABLE_THRESHOLD_BYTES;
  const fs = await statfs(dataDir).catch(() => undefined);
  const diskPressure = !!fs && fs.blocks > 0 && fs.bavail / fs.blocks < NODEFS_AVAILABLE_THRESHOLD;
  const pidMax = Number((await readFile('/proc/sys/kernel/pid_max', 'utf8').catch(() => '0')).trim());
  const procs = (await readdir('/proc').catch(() => [] as string[])).filter((n) => /^\d+$/.test(n)).length;
  const pidPressure = pidMax > 0 && (pidMax - procs) / pidMax < PID_AVAILABLE_THRESHOLD;
  let notReadyReason = '';
  try {
    const conds = (await runtime.status()).status.conditions;
    const rt = conds.find((c) => c.type === 'RuntimeReady');
    const net = conds.find((c) => c.type === 'NetworkReady');
    if (!rt?.status) notReadyReason = `container runtime status check may not have completed yet: RuntimeReady=false reason:${rt?.reason ?? ''} message:${rt?.message ?? ''}`;
    else if (!net?.status) notReadyReason = `container runtime network not ready: NetworkReady=false reason:${net?.reason ?? ''} message:${net?.message ?? ''}`;
  } catch {
    notReadyReason = 'container runtime is down';
  }
  return { memoryPressure, diskPressure, pidPressure, notReadyReason };
}

export class NodeHealthMonitor {
  private last: NodeHealth = HEALTHY;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly runtime: RuntimeService, private readonly dataDir: string, private readonly periodMs = 10_000) {}

  current(): NodeHealth {
    return this.last;
  }

  async start(): Promise<void> {
    const tick = async () => {
      this.last = await measureNodeHealth(this.runtime, this.dataDir).catch(() => this.last);
    };
    await tick();
    this.timer = setInterval(() => void tick(), this.periodMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
