/**
 * FakeRuntime: an in-memory RuntimeService + ImageService for unit tests of kubelet logic. It keeps the
 * contract in ./service.ts (it passes the same suite as the real client, ./testing/suite.ts) and adds
 * levers a test needs:
 * - `calls`: every method called, in order, with its first argument -- compare it with the expected list;
 * - `exitContainer(id, exitCode, reason)`: the container's process ends (e.g. crash, `OOMKilled`);
 * - `failNext(method, err)`: the next call of that method fails with `err`;
 * - `execHandler`: what ExecSync answers; `addImage(ref)`: an image present without a pull;
 * - `now`: an injectable clock (nanoseconds as a bigint).
 * Pulls succeed for any valid reference unless `pullable` says otherwise.
 */
import { createHash } from 'node:crypto';
import { normalizeImageReference, imageRepository } from '../images/reference.js';
import { CriError, type CriErrorCode, type ImageService, type RuntimeService } from './service.js';
import type {
  AttachRequest,
  AuthConfig,
  Container,
  ContainerConfig,
  ContainerFilter,
  ContainerStats,
  ContainerStatus,
  ContainerStatusResponse,
  ExecRequest,
  ExecSyncResponse,
  Image,
  ImageFsInfoResponse,
  ImageSpec,
  LinuxContainerResources,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxStatusResponse,
  StatusResponse,
  StringMap,
  VersionResponse,
} from './types.js';

interface FakeSandbox {
  id: string;
  config: PodSandboxConfig;
  state: PodSandbox['state'];
  createdAt: bigint;
  ip: string;
}

interface FakeContainer {
  id: string;
  sandboxId: string;
  config: ContainerConfig;
  imageRef: string;
  state: ContainerStatus['state'];
  createdAt: bigint;
  startedAt: bigint;
  finishedAt: bigint;
  exitCode: number;
  reason: string;
  message: string;
  resources: LinuxContainerResources | null;
}

export interface FakeCall {
  method: string;
  arg: unknown;
}

function matchesLabels(labels: StringMap | undefined, selector: StringMap | undefined): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
}

export class FakeRuntime implements RuntimeService, ImageService {
  readonly calls: FakeCall[] = [];
  now: () => bigint = () => BigInt(Date.now()) * 1_000_000n;
  execHandler: (containerId: string, cmd: string[]) => ExecSyncResponse = () => ({
    stdout: Buffer.alloc(0),
    stderr: Buffer.alloc(0),
    exitCode: 0,
  });
  /** Which references a pull may fetch (default: all). */
  pullable: (normalizedRef: string) => boolean = () => true;
  /** Base of the fake pod IPs: `<podNet>.<n>`. */
  podNet = '10.88.0';

  private readonly sandboxes = new Map<string, FakeSandbox>();
  private readonly containers = new Map<string, FakeContainer>();
  private readonly images = new Map<string, Image>();
  private readonly failures = new Map<string, Error>();
  private seq = 0;
  private readonly usedIPs = new Set<number>();

  failNext(method: string, err: Error = new CriError(method, 'Unknown', 'injected failure')): void {
    this.failures.set(method, err);
  }

  addImage(ref: string, size = 1_000_000): Image {
    const name = normalizeImageReference(ref);
    const id = `sha256:${createHash('sha256').update(name).digest('hex')}`;
    const existing = this.images.get(id);
    if (existing) return existing;
    const img: Image = {
      id,
      repoTags: [name],
      repoDigests: [`${imageRepository(name)}@${id}`],
      size: String(size),
      uid: null,
      username: '',
      spec: { image: id, annotations: {} },
      pinned: false,
    };
    this.images.set(id, img);
    return img;
  }

  /** The container's process ends by itself. */
  exitContainer(id: string, exitCode: number, reason = exitCode === 0 ? 'Completed' : 'Error'): void {
    const c = this.containers.get(id);
    if (!c || c.state !== 'CONTAINER_RUNNING') throw new Error(`fake: container ${id} is not running`);
    Object.assign(c, { state: 'CONTAINER_EXITED', finishedAt: this.now(), exitCode, reason });
  }

  private record(method: string, arg: unknown): void {
    this.calls.push({ method, arg });
    const err = this.failures.get(method);
    if (err) {
      this.failures.delete(method);
      throw err;
    }
  }

  private fail(method: string, code: CriErrorCode, details: string): never {
    throw new CriError(method, code, details);
  }

  private nextId(): string {
    return createHash('sha256').update(`fake-${++this.seq}-${Math.random()}`).digest('hex');
  }

  private findImage(ref: string): Image | undefined {
    if (this.images.has(ref)) return this.images.get(ref);
    let name: string;
    try {
      name = normalizeImageReference(ref);
    } catch {
      return undefined;
    }
    return [...this.images.values()].find((i) => i.repoTags.includes(name) || i.repoDigests.includes(name));
  }

  private sandbox(method: string, id: string): FakeSandbox {
    return this.sandboxes.get(id) ?? this.fail(method, 'NotFound', `an error occurred when try to find sandbox "${id}": not found`);
  }

  private container(method: string, id: string): FakeContainer {
    return this.containers.get(id) ?? this.fail(method, 'NotFound', `an error occurred when try to find container "${id}": not found`);
  }

  async version(): Promise<VersionResponse> {
    this.record('Version', undefined);
    return { version: '0.1.0', runtimeName: 'fake', runtimeVersion: '0.0.1', runtimeApiVersion: 'v1' };
  }

  async status(): Promise<StatusResponse> {
    this.record('Status', undefined);
    return {
      status: {
        conditions: [
          { type: 'RuntimeReady', status: true, reason: '', message: '' },
          { type: 'NetworkReady', status: true, reason: '', message: '' },
        ],
      },
      info: {},
    };
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    this.record('RunPodSandbox', config);
    let n = 2;
    while (this.usedIPs.has(n)) n++;
    if (n > 254) this.fail('RunPodSandbox', 'Unknown', 'failed to allocate for range 0: no IP addresses available');
    this.usedIPs.add(n);
    const id = this.nextId();
    this.sandboxes.set(id, { id, config: structuredClone(config), state: 'SANDBOX_READY', createdAt: this.now(), ip: `${this.podNet}.${n}` });
    return id;
  }

  private releaseIP(sb: FakeSandbox): void {
    if (sb.ip) this.usedIPs.delete(Number(sb.ip.split('.').at(-1)));
    sb.ip = '';
  }

  async stopPodSandbox(podSandboxId: string): Promise<void> {
    this.record('StopPodSandbox', podSandboxId);
    const sb = this.sandboxes.get(podSandboxId);
    if (!sb) return;
    for (const c of this.containers.values()) {
      if (c.sandboxId === podSandboxId && c.state === 'CONTAINER_RUNNING') {
        Object.assign(c, { state: 'CONTAINER_EXITED', finishedAt: this.now(), exitCode: 137, reason: 'Error' });
      }
    }
    sb.state = 'SANDBOX_NOTREADY';
    this.releaseIP(sb);
  }

  async removePodSandbox(podSandboxId: string): Promise<void> {
    this.record('RemovePodSandbox', podSandboxId);
    const sb = this.sandboxes.get(podSandboxId);
    if (!sb) return;
    for (const c of [...this.containers.values()]) if (c.sandboxId === podSandboxId) this.containers.delete(c.id);
    this.releaseIP(sb);
    this.sandboxes.delete(podSandboxId);
  }

  async podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatusResponse> {
    this.record('PodSandboxStatus', podSandboxId);
    const sb = this.sandbox('PodSandboxStatus', podSandboxId);
    return {
      status: {
        id: sb.id,
        metadata: { attempt: 0, ...sb.config.metadata },
        state: sb.state,
        createdAt: String(sb.createdAt),
        network: { ip: sb.ip, additionalIps: [] },
        linux: { namespaces: { options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD', targetId: '' } } },
        labels: { ...sb.config.labels },
        annotations: { ...sb.config.annotations },
        runtimeHandler: '',
      },
      info: {},
    };
  }

  async listPodSandbox(filter: PodSandboxFilter = {}): Promise<PodSandbox[]> {
    this.record('ListPodSandbox', filter);
    return [...this.sandboxes.values()]
      .filter((sb) => (!filter.id || sb.id === filter.id) && (!filter.state || sb.state === filter.state.state))
      .filter((sb) => matchesLabels(sb.config.labels, filter.labelSelector))
      .map((sb) => ({
        id: sb.id,
        metadata: { attempt: 0, ...sb.config.metadata },
        state: sb.state,
        createdAt: String(sb.createdAt),
        labels: { ...sb.config.labels },
        annotations: { ...sb.config.annotations },
        runtimeHandler: '',
      }));
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    this.record('CreateContainer', { podSandboxId, config, sandboxConfig });
    const sb = this.sandbox('CreateContainer', podSandboxId);
    if (sb.state !== 'SANDBOX_READY') this.fail('CreateContainer', 'Unknown', `sandbox ${podSandboxId} is not ready`);
    const img = this.findImage(config.image.image);
    if (!img) this.fail('CreateContainer', 'NotFound', `failed to get image "${config.image.image}": not found`);
    const name = config.metadata.name;
    const attempt = config.metadata.attempt ?? 0;
    for (const c of this.containers.values()) {
      if (c.sandboxId === podSandboxId && c.config.metadata.name === name && (c.config.metadata.attempt ?? 0) === attempt) {
        this.fail('CreateContainer', 'AlreadyExists', `container name "${name}_${attempt}" is reserved for ${c.id}`);
      }
    }
    const id = this.nextId();
    this.containers.set(id, {
      id,
      sandboxId: podSandboxId,
      config: structuredClone(config),
      imageRef: img.id,
      state: 'CONTAINER_CREATED',
      createdAt: this.now(),
      startedAt: 0n,
      finishedAt: 0n,
      exitCode: 0,
      reason: '',
      message: '',
      resources: config.linux?.resources ?? null,
    });
    return id;
  }

  async startContainer(containerId: string): Promise<void> {
    this.record('StartContainer', containerId);
    const c = this.container('StartContainer', containerId);
    if (c.state !== 'CONTAINER_CREATED') this.fail('StartContainer', 'Unknown', `container ${containerId} is in ${c.state} state`);
    Object.assign(c, { state: 'CONTAINER_RUNNING', startedAt: this.now() });
  }

  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    this.record('StopContainer', { containerId, timeoutSeconds });
    const c = this.containers.get(containerId);
    if (!c || c.state !== 'CONTAINER_RUNNING') return;
    // The fake's processes honour SIGTERM unless the grace period is 0.
    Object.assign(c, { state: 'CONTAINER_EXITED', finishedAt: this.now(), exitCode: timeoutSeconds > 0 ? 0 : 137 });
    c.reason = c.exitCode === 0 ? 'Completed' : 'Error';
  }

  async removeContainer(containerId: string): Promise<void> {
    this.record('RemoveContainer', containerId);
    this.containers.delete(containerId);
  }

  async listContainers(filter: ContainerFilter = {}): Promise<Container[]> {
    this.record('ListContainers', filter);
    return [...this.containers.values()]
      .filter((c) => (!filter.id || c.id === filter.id) && (!filter.podSandboxId || c.sandboxId === filter.podSandboxId))
      .filter((c) => (!filter.state || c.state === filter.state.state) && matchesLabels(c.config.labels, filter.labelSelector))
      .map((c) => ({
        id: c.id,
        podSandboxId: c.sandboxId,
        metadata: { attempt: 0, ...c.config.metadata },
        image: { image: c.imageRef, annotations: {} },
        imageRef: c.imageRef,
        state: c.state,
        createdAt: String(c.createdAt),
        labels: { ...c.config.labels },
        annotations: { ...c.config.annotations },
      }));
  }

  async containerStatus(containerId: string): Promise<ContainerStatusResponse> {
    this.record('ContainerStatus', containerId);
    const c = this.container('ContainerStatus', containerId);
    const sb = this.sandboxes.get(c.sandboxId);
    return {
      status: {
        id: c.id,
        metadata: { attempt: 0, ...c.config.metadata },
        state: c.state,
        createdAt: String(c.createdAt),
        startedAt: String(c.startedAt),
        finishedAt: String(c.finishedAt),
        exitCode: c.exitCode,
        image: { image: c.config.image.image, annotations: {} },
        imageRef: c.imageRef,
        reason: c.reason,
        message: c.message,
        labels: { ...c.config.labels },
        annotations: { ...c.config.annotations },
        mounts: c.config.mounts ?? [],
        logPath: sb?.config.logDirectory && c.config.logPath ? `${sb.config.logDirectory}/${c.config.logPath}` : '',
        resources: { linux: c.resources },
      },
      info: {},
    };
  }

  async updateContainerResources(containerId: string, linux: LinuxContainerResources): Promise<void> {
    this.record('UpdateContainerResources', { containerId, linux });
    this.container('UpdateContainerResources', containerId).resources = { ...linux };
  }

  async reopenContainerLog(containerId: string): Promise<void> {
    this.record('ReopenContainerLog', containerId);
    const c = this.container('ReopenContainerLog', containerId);
    if (c.state !== 'CONTAINER_RUNNING') this.fail('ReopenContainerLog', 'Unknown', 'container is not running');
  }

  async execSync(containerId: string, cmd: string[], timeoutSeconds = 0): Promise<ExecSyncResponse> {
    this.record('ExecSync', { containerId, cmd, timeoutSeconds });
    const c = this.container('ExecSync', containerId);
    if (c.state !== 'CONTAINER_RUNNING') this.fail('ExecSync', 'Unknown', `container is in ${c.state} state`);
    return this.execHandler(containerId, cmd);
  }

  private streamUrl(method: string, token: string): string {
    return `http://127.0.0.1:0/${method.toLowerCase()}/${token}`;
  }

  async exec(req: ExecRequest): Promise<string> {
    this.record('Exec', req);
    this.container('Exec', req.containerId);
    return this.streamUrl('exec', req.containerId);
  }

  async attach(req: AttachRequest): Promise<string> {
    this.record('Attach', req);
    this.container('Attach', req.containerId);
    return this.streamUrl('attach', req.containerId);
  }

  async portForward(podSandboxId: string, ports: number[]): Promise<string> {
    this.record('PortForward', { podSandboxId, ports });
    this.sandbox('PortForward', podSandboxId);
    return this.streamUrl('portforward', podSandboxId);
  }

  async containerStats(containerId: string): Promise<ContainerStats> {
    this.record('ContainerStats', containerId);
    const c = this.container('ContainerStats', containerId);
    const ts = String(this.now());
    return {
      attributes: { id: c.id, metadata: { attempt: 0, ...c.config.metadata }, labels: { ...c.config.labels }, annotations: {} },
      cpu: { timestamp: ts, usageCoreNanoSeconds: { value: '0' }, usageNanoCores: { value: '0' } },
      memory: {
        timestamp: ts,
        workingSetBytes: { value: '0' },
        availableBytes: null,
        usageBytes: { value: '0' },
        rssBytes: { value: '0' },
        pageFaults: { value: '0' },
        majorPageFaults: { value: '0' },
      },
      writableLayer: null,
    };
  }

  async listImages(filter?: ImageSpec): Promise<Image[]> {
    this.record('ListImages', filter);
    if (filter?.image) {
      const img = this.findImage(filter.image);
      return img ? [img] : [];
    }
    return [...this.images.values()];
  }

  async imageStatus(image: ImageSpec): Promise<Image | null> {
    this.record('ImageStatus', image);
    return this.findImage(image.image) ?? null;
  }

  async pullImage(image: ImageSpec, auth?: AuthConfig): Promise<string> {
    this.record('PullImage', { image, auth });
    let name: string;
    try {
      name = normalizeImageReference(image.image);
    } catch (err) {
      this.fail('PullImage', 'Unknown', (err as Error).message);
    }
    if (!this.pullable(name)) {
      this.fail('PullImage', 'NotFound', `failed to pull and unpack image "${name}": not found`);
    }
    return this.addImage(name).id;
  }

  async removeImage(image: ImageSpec): Promise<void> {
    this.record('RemoveImage', image);
    const img = this.findImage(image.image);
    if (img) this.images.delete(img.id);
  }

  async imageFsInfo(): Promise<ImageFsInfoResponse> {
    this.record('ImageFsInfo', undefined);
    const used = [...this.images.values()].reduce((n, i) => n + Number(i.size), 0);
    const usage = { timestamp: String(this.now()), fsId: { mountpoint: '/fake/images' }, usedBytes: { value: String(used) }, inodesUsed: { value: String(this.images.size) } };
    return { imageFilesystems: [usage], containerFilesystems: [] };
  }
}
