/**
 * CriClient: the CRI `runtime.v1` RuntimeService and ImageService over gRPC on a unix socket (containerd,
 * CRI-O). Every call has a deadline; failures become {@link CriError}s naming the method and gRPC status.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { CRI_PROTO } from './api-proto.js';
import { CriError, isCriNotFound, type CriErrorCode, type ImageService, type RuntimeService } from './service.js';
import type {
  AttachRequest,
  AuthConfig,
  Container,
  ContainerConfig,
  ContainerFilter,
  ContainerStats,
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
  VersionResponse,
} from './types.js';

/** The CRI API version this client speaks (sent in Version). */
export const CRI_API_VERSION = 'v1';

type UnaryFn = (
  req: object,
  meta: grpc.Metadata,
  opts: grpc.CallOptions,
  cb: (err: grpc.ServiceError | null, res: unknown) => void,
) => void;
type ServiceClient = grpc.Client & Record<string, UnaryFn>;
type ServiceCtor = new (address: string, creds: grpc.ChannelCredentials, opts?: grpc.ChannelOptions) => ServiceClient;

let services: { runtime: ServiceCtor; image: ServiceCtor } | undefined;

function loadServices(): { runtime: ServiceCtor; image: ServiceCtor } {
  if (!services) {
    const root = protobuf.parse(CRI_PROTO, { keepCase: false }).root;
    const def = protoLoader.fromJSON(root.toJSON(), {
      keepCase: false,
      longs: String,
      enums: String,
      bytes: Buffer,
      defaults: true,
      arrays: true,
      objects: true,
      oneofs: true,
    });
    const pkg = grpc.loadPackageDefinition(def) as unknown as {
      runtime: { v1: { RuntimeService: ServiceCtor; ImageService: ServiceCtor } };
    };
    services = { runtime: pkg.runtime.v1.RuntimeService, image: pkg.runtime.v1.ImageService };
  }
  return services;
}

const CODE_NAMES: Record<number, CriErrorCode> = {
  1: 'Cancelled',
  2: 'Unknown',
  3: 'InvalidArgument',
  4: 'DeadlineExceeded',
  5: 'NotFound',
  6: 'AlreadyExists',
  7: 'PermissionDenied',
  8: 'ResourceExhausted',
  9: 'FailedPrecondition',
  10: 'Aborted',
  11: 'OutOfRange',
  12: 'Unimplemented',
  13: 'Internal',
  14: 'Unavailable',
  15: 'DataLoss',
  16: 'Unauthenticated',
};

export interface CriClientOptions {
  /** Deadline of ordinary calls (default 2 min, as the kubelet's runtime-request-timeout). */
  timeoutMs?: number;
  /** Deadline of PullImage (default 15 min). */
  pullTimeoutMs?: number;
}

/** `unix:///path` or a bare socket path → the address grpc-js wants. */
export function criAddress(endpoint: string): string {
  if (endpoint.startsWith('unix://')) return `unix:${endpoint.slice('unix://'.length)}`;
  if (endpoint.startsWith('/')) return `unix:${endpoint}`;
  return endpoint;
}

/**
 * Stop and remove are idempotent in our contract (../service.ts); runtimes differ on unknown IDs
 * (containerd answers NotFound), so NotFound counts as done.
 */
async function goneIsDone(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (!isCriNotFound(err)) throw err;
  }
}

/** 16 MiB, as the kubelet allows (ExecSync output, large ListContainers replies). */
const MAX_MESSAGE = 16 * 1024 * 1024;

export class CriClient implements RuntimeService, ImageService {
  private readonly runtime: ServiceClient;
  private readonly image: ServiceClient;
  private readonly timeoutMs: number;
  private readonly pullTimeoutMs: number;

  constructor(
    readonly endpoint: string,
    opts: CriClientOptions = {},
  ) {
    const { runtime, image } = loadServices();
    const address = criAddress(endpoint);
    const channel = {
      'grpc.max_receive_message_length': MAX_MESSAGE,
      'grpc.max_send_message_length': MAX_MESSAGE,
    };
    this.runtime = new runtime(address, grpc.credentials.createInsecure(), channel);
    // Share one channel between both services.
    this.image = new image(address, grpc.credentials.createInsecure(), {
      ...channel,
      channelOverride: this.runtime.getChannel(),
    } as grpc.ChannelOptions);
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.pullTimeoutMs = opts.pullTimeoutMs ?? 15 * 60_000;
  }

  close(): void {
    this.runtime.close();
    this.image.close();
  }

  private call<T>(client: ServiceClient, method: string, req: object, timeoutMs = this.timeoutMs): Promise<T> {
    return new Promise((resolve, reject) => {
      const fn = client[method];
      if (typeof fn !== 'function') throw new Error(`CRI: unknown method ${method}`);
      fn.call(client, req, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
        if (err) reject(new CriError(method, CODE_NAMES[err.code] ?? 'Unknown', err.details || err.message));
        else resolve(res as T);
      });
    });
  }

  private rt<T>(method: string, req: object = {}): Promise<T> {
    return this.call<T>(this.runtime, method, req);
  }

  version(): Promise<VersionResponse> {
    return this.rt('Version', { version: CRI_API_VERSION });
  }

  status(verbose = false): Promise<StatusResponse> {
    return this.rt('Status', { verbose });
  }

  async runPodSandbox(config: PodSandboxConfig, runtimeHandler = ''): Promise<string> {
    return (await this.rt<{ podSandboxId: string }>('RunPodSandbox', { config, runtimeHandler })).podSandboxId;
  }

  async stopPodSandbox(podSandboxId: string): Promise<void> {
    await goneIsDone(this.rt('StopPodSandbox', { podSandboxId }));
  }

  async removePodSandbox(podSandboxId: string): Promise<void> {
    await goneIsDone(this.rt('RemovePodSandbox', { podSandboxId }));
  }

  podSandboxStatus(podSandboxId: string, verbose = false): Promise<PodSandboxStatusResponse> {
    return this.rt('PodSandboxStatus', { podSandboxId, verbose });
  }

  async listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    return (await this.rt<{ items: PodSandbox[] }>('ListPodSandbox', { filter })).items;
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    const res = await this.rt<{ containerId: string }>('CreateContainer', { podSandboxId, config, sandboxConfig });
    return res.containerId;
  }

  async startContainer(containerId: string): Promise<void> {
    await this.rt('StartContainer', { containerId });
  }

  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    // The runtime waits up to the grace period: give the call that long on top of the usual deadline.
    const timeout = Math.max(0, Math.ceil(timeoutSeconds));
    await goneIsDone(this.call(this.runtime, 'StopContainer', { containerId, timeout }, this.timeoutMs + timeout * 1000));
  }

  async removeContainer(containerId: string): Promise<void> {
    await goneIsDone(this.rt('RemoveContainer', { containerId }));
  }

  async listContainers(filter?: ContainerFilter): Promise<Container[]> {
    return (await this.rt<{ containers: Container[] }>('ListContainers', { filter })).containers;
  }

  containerStatus(containerId: string, verbose = false): Promise<ContainerStatusResponse> {
    return this.rt('ContainerStatus', { containerId, verbose });
  }

  async updateContainerResources(containerId: string, linux: LinuxContainerResources): Promise<void> {
    await this.rt('UpdateContainerResources', { containerId, linux });
  }

  async reopenContainerLog(containerId: string): Promise<void> {
    await this.rt('ReopenContainerLog', { containerId });
  }

  execSync(containerId: string, cmd: string[], timeoutSeconds = 0): Promise<ExecSyncResponse> {
    const timeout = Math.max(0, Math.ceil(timeoutSeconds));
    // No limit asked: the call still needs a deadline; an hour stands for "forever".
    const deadline = timeout > 0 ? this.timeoutMs + timeout * 1000 : 3_600_000;
    return this.call(this.runtime, 'ExecSync', { containerId, cmd, timeout }, deadline);
  }

  async exec(req: ExecRequest): Promise<string> {
    return (await this.rt<{ url: string }>('Exec', req)).url;
  }

  async attach(req: AttachRequest): Promise<string> {
    return (await this.rt<{ url: string }>('Attach', req)).url;
  }

  async portForward(podSandboxId: string, ports: number[]): Promise<string> {
    return (await this.rt<{ url: string }>('PortForward', { podSandboxId, port: ports })).url;
  }

  async containerStats(containerId: string): Promise<ContainerStats> {
    return (await this.rt<{ stats: ContainerStats }>('ContainerStats', { containerId })).stats;
  }

  async listImages(filter?: ImageSpec): Promise<Image[]> {
    const req = filter ? { filter: { image: filter } } : {};
    return (await this.call<{ images: Image[] }>(this.image, 'ListImages', req)).images;
  }

  async imageStatus(image: ImageSpec, verbose = false): Promise<Image | null> {
    return (await this.call<{ image: Image | null }>(this.image, 'ImageStatus', { image, verbose })).image;
  }

  async pullImage(image: ImageSpec, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig): Promise<string> {
    const res = await this.call<{ imageRef: string }>(this.image, 'PullImage', { image, auth, sandboxConfig }, this.pullTimeoutMs);
    return res.imageRef;
  }

  async removeImage(image: ImageSpec): Promise<void> {
    await this.call(this.image, 'RemoveImage', { image });
  }

  imageFsInfo(): Promise<ImageFsInfoResponse> {
    return this.call(this.image, 'ImageFsInfo', {});
  }
}
