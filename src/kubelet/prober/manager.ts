/**
 * ProbeManager: one worker per (container ID, probe kind) of running containers, as upstream's prober
 * manager. A worker waits `initialDelaySeconds` after the container started, then probes every
 * `periodSeconds`; its result flips after `successThreshold` consecutive successes or `failureThreshold`
 * consecutive failures. Liveness and readiness wait for startup to succeed when a startup probe exists.
 *
 * Results (what the pod sync reads):
 * - liveness: 'success' until it fails; 'failure' → the sync kills the container ("failed liveness probe");
 * - readiness: 'failure' until it succeeds (no probe: ready when running);
 * - startup: 'failure' until it succeeds; failing it (threshold) is a liveness failure.
 * `onChange(uid)` is called whenever a result changes, to sync the pod at once.
 */
import type { Container, Pod } from '../../api/types.js';
import type { RuntimeService } from '../cri/service.js';
import { runProbe, type Probe } from './probe.js';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';
export type Result = 'success' | 'failure' | 'unknown';

interface Worker {
  kind: ProbeKind;
  probe: Probe;
  result: Result;
  successes: number;
  failures: number;
  timer?: NodeJS.Timeout;
  stopped: boolean;
  lastOutput: string;
}

export interface ProbeEvent {
  pod: Pod;
  container: string;
  kind: ProbeKind;
  output: string;
}

export class ProbeManager {
  private readonly workers = new Map<string, Worker>();

  constructor(
    private readonly runtime: RuntimeService,
    private readonly onChange: (uid: string) => void,
    private readonly onFailure: (e: ProbeEvent) => void = () => {},
  ) {}

  private key(containerId: string, kind: ProbeKind): string {
    return `${containerId}/${kind}`;
  }

  /** Starts the workers of a running container (idempotent). `startedAtMs`: when it started. */
  ensure(pod: Pod, c: Container, containerId: string, podIP: string, startedAtMs: number): void {
    const uid = pod.metadata!.uid!;
    const kinds: [ProbeKind, Probe | undefined][] = [['startup', c.startupProbe], ['liveness', c.livenessProbe], ['readiness', c.readinessProbe]];
    for (const [kind, probe] of kinds) {
      if (!probe) continue;
      const k = this.key(containerId, kind);
      if (this.workers.has(k)) continue;
      const w: Worker = { kind, probe, result: kind === 'liveness' ? 'success' : 'failure', successes: 0, failures: 0, stopped: false, lastOutput: '' };
      this.workers.set(k, w);
      const periodMs = (probe.periodSeconds ?? 10) * 1000;
      const tick = async (): Promise<void> => {
        if (w.stopped) return;
        const startup = this.workers.get(this.key(containerId, 'startup'));
        if (kind !== 'startup' && startup && startup.result !== 'success') {
          w.timer = setTimeout(tick, periodMs);
          return;
        }
        const r = await runProbe(probe, c, containerId, podIP, this.runtime);
        if (w.stopped) return;
        const before = w.result;
        if (r.ok) {
          w.failures = 0;
          w.successes++;
          if (w.successes >= (kind === 'readiness' ? probe.successThreshold ?? 1 : 1)) w.result = 'success';
        } else {
          w.successes = 0;
          w.failures++;
          w.lastOutput = r.output;
          this.onFailure({ pod, container: c.name, kind, output: r.output });
          if (w.failures >= (probe.failureThreshold ?? 3)) w.result = 'failure';
        }
        // A startup probe that ran out of attempts is handled as a liveness failure.
        if (kind === 'startup' && !r.ok && w.failures >= (probe.failureThreshold ?? 3)) w.result = 'failure';
        if (w.result !== before || (kind !== 'readiness' && w.result === 'failure' && !r.ok && w.failures >= (probe.failureThreshold ?? 3))) this.onChange(uid);
        if ((kind === 'liveness' || kind === 'startup') && w.result === 'failure' && w.failures >= (probe.failureThreshold ?? 3)) return; // the container is being killed
        if (kind === 'startup' && w.result === 'success') return; // startup probes stop once they succeed
        w.timer = setTimeout(tick, periodMs);
      };
      const delay = Math.max(0, startedAtMs + (probe.initialDelaySeconds ?? 0) * 1000 - Date.now());
      w.timer = setTimeout(tick, delay);
    }
  }

  result(containerId: string, kind: ProbeKind): Result | undefined {
    return this.workers.get(this.key(containerId, kind))?.result;
  }

  /** Whether liveness (or startup, out of attempts) asks for the container to be killed, with the message. */
  killReason(containerId: string): string | undefined {
    const live = this.workers.get(this.key(containerId, 'liveness'));
    if (live && live.result === 'failure') return `Container failed liveness probe, will be restarted`;
    const st = this.workers.get(this.key(containerId, 'startup'));
    if (st && st.result === 'failure' && st.failures >= (st.probe.failureThreshold ?? 3)) return `Container failed startup probe, will be restarted`;
    return undefined;
  }

  /** Stops the workers of containers not in `keep` (all of them when `keep` is empty). */
  removeExcept(containerIds: Iterable<string>, keep: Set<string>): void {
    for (const id of containerIds) {
      if (keep.has(id)) continue;
      for (const kind of ['liveness', 'readiness', 'startup'] as ProbeKind[]) this.remove(id, kind);
    }
  }

  remove(containerId: string, kind: ProbeKind): void {
    const k = this.key(containerId, kind);
    const w = this.workers.get(k);
    if (!w) return;
    w.stopped = true;
    clearTimeout(w.timer);
    this.workers.delete(k);
  }

  removeContainer(containerId: string): void {
    for (const kind of ['liveness', 'readiness', 'startup'] as ProbeKind[]) this.remove(containerId, kind);
  }

  stop(): void {
    for (const w of this.workers.values()) {
      w.stopped = true;
      clearTimeout(w.timer);
    }
    this.workers.clear();
  }
}
