/**
 * PodSyncer: one pass of bringing a pod's runtime state to what its spec asks (upstream's SyncPod /
 * computePodActions), and tearing it down (KillPod). Called only by the pod's worker (./pod-workers.ts),
 * so passes over one pod never overlap.
 *
 * Decision table of `sync` (runtime state of the pod × container → action), evaluated top to bottom:
 * | state                                                        | action                                         |
 * |--------------------------------------------------------------|------------------------------------------------|
 * | no ready sandbox, pod never ran or may restart               | set up volumes, run a new sandbox (attempt+1)  |
 * | no ready sandbox, restartPolicy Never and containers ran     | nothing (the pod is finished)                  |
 * | init container i running                                     | wait                                           |
 * | init container i exited 0                                    | go on to i+1                                   |
 * | init container i exited ≠0, restartPolicy Never              | stop (pod Failed)                              |
 * | init container i exited ≠0, otherwise                        | restart it, respecting back-off                |
 * | init container i absent or created                           | start it; wait                                 |
 * | container running, liveness/startup failed                   | stop it with its grace period (then restart)   |
 * | container running                                            | make sure its probes run                       |
 * | container exited, Always / (OnFailure and exit ≠ 0)           | restart after back-off; meanwhile CrashLoopBackOff |
 * | container exited, otherwise                                  | leave it (terminated)                          |
 * | container absent                                             | pull image, create and start it               |
 * Starting a container: image per policy (ErrImagePull/ImagePullBackOff), env (CreateContainerConfigError),
 * CreateContainer/StartContainer (CreateContainerError/RunContainerError) — each failure is that
 * container's waiting reason and a Warning event.
 *
 * `terminate` (deletion, or a finished pod): preStop hooks, StopContainer with what is left of the grace
 * period, then StopPodSandbox/RemovePodSandbox, volumes, logs and the pod cgroup removed.
 */
import { readdir, rm, rmdir } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import * as path from 'node:path';
import type { Container, Pod } from '../../api/types.js';
import type { EventRecorder } from '../../client/record/event-recorder.js';
import type { RuntimeService } from '../cri/service.js';
import { nanosToDate, type ContainerStatus } from '../cri/types.js';
import { ProbeManager } from '../prober/manager.js';
import { computePodStatus, type Waiting } from '../status/pod-status.js';
import { VolumeManager, VolumeSetupError } from '../volumes/manager.js';
import { Backoff, RESTART_BACKOFF_RESET_MS } from './backoff.js';
import { containerConfig } from './container-config.js';
import { containerEnv, CreateContainerConfigError } from './env.js';
import { ImagePullError, ImagePuller } from './image-puller.js';
import { podLogDirName, restartCountOf } from './labels.js';
import type { PodObjects } from './objects.js';
import { readRuntimeState, type RuntimePodState } from './runtime-state.js';
import { sandboxConfig, type SandboxSettings } from './sandbox-config.js';
import type { PodStatus } from '../../api/types.js';

export interface PodSyncDeps {
  runtime: RuntimeService;
  puller: ImagePuller;
  volumes: VolumeManager;
  probes: ProbeManager;
  objects: PodObjects;
  recorder: EventRecorder;
  sandbox: SandboxSettings;
  hostIP: string;
  nodeAllocatable?: Record<string, string>;
  log: (line: string) => void;
}

export interface SyncOutcome {
  status: PodStatus;
  /** Phase Succeeded/Failed: the worker stops syncing the pod. */
  terminal: boolean;
}

function key(pod: Pod, name: string): string {
  return `${pod.metadata!.uid}/${name}`;
}

function shouldRestart(pod: Pod, s: ContainerStatus): boolean {
  const p = pod.spec?.restartPolicy ?? 'Always';
  return p === 'Always' || (p === 'OnFailure' && s.exitCode !== 0);
}

function ms(ns: string | number): number {
  return nanosToDate(ns)?.getTime() ?? 0;
}

export class PodSyncer {
  readonly restartBackoff = new Backoff();
  private readonly firstSeen = new Map<string, string>();

  constructor(private readonly d: PodSyncDeps) {}

  private event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, container?: string): void {
    const ref = { kind: 'Pod', apiVersion: 'v1', namespace: pod.metadata!.namespace, name: pod.metadata!.name, uid: pod.metadata!.uid,
      ...(container ? { fieldPath: `spec.containers{${container}}` } : {}) };
    this.d.recorder.event(ref, type, reason, message);
  }

  async sync(pod: Pod): Promise<SyncOutcome> {
    const uid = pod.metadata!.uid!;
    if (!this.firstSeen.has(uid)) this.firstSeen.set(uid, pod.status?.startTime ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'));
    const waiting = new Map<string, Waiting>();
    let state = await readRuntimeState(this.d.runtime, uid);
    let sandbox = state.sandboxes.find((s) => s.state === 'SANDBOX_READY');
    const ranBefore = state.containers.size > 0;
    const finished = (pod.spec?.restartPolicy === 'Never' && ranBefore) || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

    if (!sandbox && !finished) {
      try {
        await this.d.volumes.setUp(pod, '', this.d.hostIP);
        const attempt = state.sandboxes.length;
        for (const old of state.sandboxes) await this.d.runtime.stopPodSandbox(old.id);
        const cfg = sandboxConfig(pod, attempt, this.d.sandbox);
        await this.d.runtime.runPodSandbox(cfg);
        state = await readRuntimeState(this.d.runtime, uid);
        sandbox = state.sandboxes.find((s) => s.state === 'SANDBOX_READY');
      } catch (err) {
        const msg = (err as Error).message;
        const reason = err instanceof VolumeSetupError ? 'FailedMount' : 'FailedCreatePodSandBox';
        this.event(pod, 'Warning', reason, err instanceof VolumeSetupError ? `MountVolume.SetUp failed: ${msg}` : `Failed to create pod sandbox: ${msg}`);
        return this.outcome(pod, state, waiting, false);
      }
    }

    if (sandbox) {
      const cfg = sandboxConfig(pod, state.sandboxes.length - 1, this.d.sandbox);
      let volumes: Map<string, string>;
      try {
        volumes = await this.d.volumes.setUp(pod, state.podIP, this.d.hostIP);
      } catch (err) {
        const msg = (err as Error).message;
        this.event(pod, 'Warning', 'FailedMount', `MountVolume.SetUp failed: ${msg}`);
        for (const c of [...(pod.spec?.initContainers ?? []), ...pod.spec!.containers]) waiting.set(c.name, { reason: 'ContainerCreating' });
        return this.outcome(pod, state, waiting, false);
      }
      const current = (s: ContainerStatus | undefined) => (s && state.sandboxOf.get(s.id) === sandbox!.id ? s : undefined);
      let acted = false;
      const start = async (c: Container, kind: 'init' | 'regular'): Promise<void> => {
        acted = true;
        const all = state.containers.get(c.name) ?? [];
        const restartCount = all.length ? restartCountOf(all[0]!) + 1 : 0;
        const w = await this.startContainer(pod, c, kind, restartCount, sandbox!.id, cfg, volumes, state.podIP);
        if (w) waiting.set(c.name, w);
      };

      let initDone = true;
      for (const c of pod.spec?.initContainers ?? []) {
        const s = current(state.containers.get(c.name)?.[0]);
        if (s?.state === 'CONTAINER_EXITED' && s.exitCode === 0) continue;
        initDone = false;
        if (s?.state === 'CONTAINER_RUNNING') break;
        if (s?.state === 'CONTAINER_EXITED') {
          if (pod.spec?.restartPolicy === 'Never') break;
          if (!(await this.restartAfterBackoff(pod, c, s, waiting, () => start(c, 'init')))) break;
          break;
        }
        await start(c, 'init');
        break;
      }

      if (initDone) {
        for (const c of pod.spec!.containers) {
          const s = current(state.containers.get(c.name)?.[0]);
          if (s?.state === 'CONTAINER_RUNNING') {
            const kill = this.d.probes.killReason(s.id);
            if (kill) {
              this.event(pod, 'Normal', 'Killing', `Container ${c.name} failed ${kill.includes('startup') ? 'startup' : 'liveness'} probe, will be restarted`, c.name);
              this.d.probes.removeContainer(s.id);
              acted = true;
              await this.stopContainer(pod, c, s.id, pod.spec?.terminationGracePeriodSeconds ?? 30);
            } else {
              this.d.probes.ensure(pod, c, s.id, state.podIP, ms(s.startedAt));
            }
            continue;
          }
          if (s?.state === 'CONTAINER_EXITED') {
            this.d.probes.removeContainer(s.id);
            if (shouldRestart(pod, s)) await this.restartAfterBackoff(pod, c, s, waiting, () => start(c, 'regular'));
            continue;
          }
          if (s?.state === 'CONTAINER_CREATED') {
            acted = true;
            try {
              await this.d.runtime.startContainer(s.id);
            } catch (err) {
              waiting.set(c.name, { reason: 'RunContainerError', message: (err as Error).message });
            }
            continue;
          }
          await start(c, 'regular');
        }
      }
      if (acted) state = await readRuntimeState(this.d.runtime, uid);
    }
    const out = this.outcome(pod, state, waiting, !!sandbox);
    if (out.terminal) await this.stopFinished(state);
    return out;
  }

  /** Restarts a container whose back-off has run out; otherwise marks it CrashLoopBackOff. */
  private async restartAfterBackoff(pod: Pod, c: Container, s: ContainerStatus, waiting: Map<string, Waiting>, start: () => Promise<void>): Promise<boolean> {
    const k = key(pod, c.name);
    const finished = ms(s.finishedAt);
    if (finished - ms(s.startedAt) >= RESTART_BACKOFF_RESET_MS) this.restartBackoff.reset(k);
    if (this.restartBackoff.inBackoff(k, finished)) {
      const delay = this.restartBackoff.delay(k);
      waiting.set(c.name, { reason: 'CrashLoopBackOff', message: `back-off ${formatDelay(delay)} restarting failed container=${c.name} pod=${pod.metadata!.name}_${pod.metadata!.namespace}(${pod.metadata!.uid})` });
      return false;
    }
    this.restartBackoff.next(k);
    await start();
    return true;
  }

  private async startContainer(pod: Pod, c: Container, kind: 'init' | 'regular', restartCount: number, sandboxId: string,
    sbConfig: ReturnType<typeof sandboxConfig>, volumes: Map<string, string>, podIP: string): Promise<Waiting | undefined> {
    const name = c.name;
    try {
      const pulled = await this.d.puller.ensure(pod, c);
      if (pulled.pulled) this.event(pod, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in ${pulled.ms}ms`, name);
      else this.event(pod, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`, name);
    } catch (err) {
      if (err instanceof ImagePullError) {
        if (err.reason === 'ErrImagePull') this.event(pod, 'Warning', 'Failed', `Failed to pull image "${c.image}": ${err.message}`, name);
        if (err.reason === 'ImagePullBackOff') this.event(pod, 'Normal', 'BackOff', `Back-off pulling image "${c.image}"`, name);
        else this.event(pod, 'Warning', 'Failed', `Error: ${err.reason}`, name);
        return { reason: err.reason, message: err.message };
      }
      throw err;
    }
    let id: string;
    try {
      const env = await containerEnv({ pod, container: c, podIP, hostIP: this.d.hostIP, objects: this.d.objects, nodeAllocatable: this.d.nodeAllocatable });
      const cfg = await containerConfig({ pod, container: c, kind, restartCount, env, volumes, podDir: this.d.volumes.podDir(pod.metadata!.uid!) });
      id = await this.d.runtime.createContainer(sandboxId, cfg, sbConfig);
    } catch (err) {
      const msg = (err as Error).message;
      const reason = err instanceof CreateContainerConfigError || err instanceof VolumeSetupError ? 'CreateContainerConfigError' : 'CreateContainerError';
      this.event(pod, 'Warning', 'Failed', `Error: ${msg}`, name);
      return { reason, message: msg };
    }
    this.event(pod, 'Normal', 'Created', `Created container ${name}`, name);
    try {
      await this.d.runtime.startContainer(id);
    } catch (err) {
      const msg = (err as Error).message;
      this.event(pod, 'Warning', 'Failed', `Error: ${msg}`, name);
      return { reason: 'RunContainerError', message: msg };
    }
    this.event(pod, 'Normal', 'Started', `Started container ${name}`, name);
    return undefined;
  }

  private outcome(pod: Pod, state: RuntimePodState, waiting: Map<string, Waiting>, sandboxReady: boolean): SyncOutcome {
    const uid = pod.metadata!.uid!;
    const specs = new Map([...(pod.spec?.initContainers ?? []), ...pod.spec!.containers].map((c) => [c.name, c]));
    const status = computePodStatus({
      pod, hostIP: this.d.hostIP, podIP: sandboxReady ? state.podIP : '', sandboxReady,
      containers: state.containers, waiting,
      ready: (s, name) => {
        const spec = specs.get(name);
        if (!spec?.readinessProbe) return this.d.probes.result(s.id, 'startup') !== 'failure' || !spec?.startupProbe;
        return this.d.probes.result(s.id, 'readiness') === 'success';
      },
      started: (s, name) => !specs.get(name)?.startupProbe || this.d.probes.result(s.id, 'startup') === 'success',
      now: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      startTime: this.firstSeen.get(uid)!,
    });
    return { status, terminal: status.phase === 'Succeeded' || status.phase === 'Failed' };
  }

  private async stopFinished(state: RuntimePodState): Promise<void> {
    for (const list of state.containers.values()) for (const s of list) this.d.probes.removeContainer(s.id);
    for (const sb of state.sandboxes) if (sb.state === 'SANDBOX_READY') await this.d.runtime.stopPodSandbox(sb.id);
  }

  private async runPreStop(pod: Pod, c: Container, containerId: string, podIP: string, budgetMs: number): Promise<void> {
    const h = c.lifecycle?.preStop;
    if (!h) return;
    const seconds = Math.max(1, Math.ceil(budgetMs / 1000));
    try {
      if (h.exec) {
        await this.d.runtime.execSync(containerId, h.exec.command ?? [], seconds);
      } else if (h.httpGet) {
        const port = typeof h.httpGet.port === 'number' ? h.httpGet.port : (c.ports ?? []).find((p) => p.name === h.httpGet!.port)?.containerPort ?? Number(h.httpGet.port);
        await new Promise<void>((resolve) => {
          const r = httpRequest({ host: h.httpGet!.host || podIP, port, path: h.httpGet!.path ?? '/', timeout: budgetMs }, (res) => { res.resume(); res.on('end', resolve); });
          r.on('error', () => resolve());
          r.on('timeout', () => { r.destroy(); resolve(); });
          r.end();
        });
      } else if (h.sleep) {
        await new Promise((r) => setTimeout(r, Math.min(budgetMs, h.sleep!.seconds * 1000)));
      }
    } catch (err) {
      this.event(pod, 'Warning', 'FailedPreStopHook', `PreStopHook failed: ${(err as Error).message}`, c.name);
    }
  }

  private async stopContainer(pod: Pod, c: Container | undefined, id: string, graceSeconds: number, podIP = ''): Promise<void> {
    const deadline = Date.now() + graceSeconds * 1000;
    if (c) await this.runPreStop(pod, c, id, podIP, graceSeconds * 1000);
    const left = Math.max(2, Math.ceil((deadline - Date.now()) / 1000));
    await this.d.runtime.stopContainer(id, graceSeconds === 0 ? 0 : left);
  }

  /** Stops every container and the sandbox of the pod at once, keeping them (an evicted pod). */
  async stopAll(uid: string): Promise<void> {
    const state = await readRuntimeState(this.d.runtime, uid);
    for (const list of state.containers.values()) {
      for (const s of list) {
        this.d.probes.removeContainer(s.id);
        if (s.state === 'CONTAINER_RUNNING') await this.d.runtime.stopContainer(s.id, 0);
      }
    }
    for (const sb of state.sandboxes) await this.d.runtime.stopPodSandbox(sb.id);
  }

  /** Stops and removes everything the runtime holds for the pod and its files on the node. */
  async terminate(uid: string, pod: Pod | undefined, graceSeconds: number): Promise<void> {
    const state = await readRuntimeState(this.d.runtime, uid);
    const specs = new Map((pod ? [...(pod.spec?.initContainers ?? []), ...pod.spec!.containers] : []).map((c) => [c.name, c]));
    const running: Promise<void>[] = [];
    for (const [name, list] of state.containers) {
      for (const s of list) {
        this.d.probes.removeContainer(s.id);
        if (s.state === 'CONTAINER_RUNNING') {
          running.push(this.stopContainer(pod ?? ({ metadata: { uid } } as Pod), specs.get(name), s.id, graceSeconds, state.podIP)
            .catch((err) => this.d.log(`pod ${uid}: stop container ${name}: ${(err as Error).message}`)));
        }
      }
    }
    await Promise.all(running);
    if (pod) for (const name of state.containers.keys()) if (specs.has(name)) this.event(pod, 'Normal', 'Killing', `Stopping container ${name}`, name);
    for (const sb of state.sandboxes) {
      await this.d.runtime.stopPodSandbox(sb.id);
      await this.d.runtime.removePodSandbox(sb.id);
    }
    await this.d.volumes.tearDown(uid);
    if (pod) await rm(path.join(this.d.sandbox.logsDir, podLogDirName(pod)), { recursive: true, force: true });
    else {
      for (const d of await readdir(this.d.sandbox.logsDir).catch(() => [] as string[])) {
        if (d.endsWith(`_${uid}`)) await rm(path.join(this.d.sandbox.logsDir, d), { recursive: true, force: true });
      }
    }
    await removePodCgroup(`${this.d.sandbox.cgroupRoot}/pod${uid}`);
    this.restartBackoff.resetPrefix(`${uid}/`);
    this.firstSeen.delete(uid);
  }
}

function formatDelay(msv: number): string {
  const s = Math.round(msv / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}` : `${s}s`;
}

const CGROUP_ROOT = '/sys/fs/cgroup';

/** rmdir the pod's cgroup in every hierarchy (runc removed the containers' own ones). */
export async function removePodCgroup(relative: string): Promise<void> {
  for (const ctl of await readdir(CGROUP_ROOT).catch(() => [] as string[])) {
    const dir = path.join(CGROUP_ROOT, ctl, relative);
    for (const sub of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (sub.isDirectory()) await rmdir(path.join(dir, sub.name)).catch(() => {});
    }
    await rmdir(dir).catch(() => {});
  }
}

