/**
 * What the kubelet needs from a container runtime: the CRI's two services, as promise-returning interfaces.
 * `CriClient` (./client.ts) implements them over gRPC; `FakeRuntime` (./fake.ts) in memory, for unit tests
 * of kubelet logic. Both pass the shared suite in ./testing/suite.ts.
 *
 * Contract (the CRI's, kept by both implementations):
 * - Unknown IDs fail with a {@link CriError} whose `code` is `NotFound` -- except `stopPodSandbox`,
 *   `removePodSandbox`, `stopContainer` and `removeContainer`, which are idempotent and succeed when the
 *   object is already stopped or gone.
 * - `runPodSandbox` returns only once the sandbox is ready (network set up, pod IP assigned).
 * - `removePodSandbox` forcibly removes the sandbox's containers too.
 * - `createContainer` fails with `NotFound` when the image is not present: pulling is the caller's job.
 * - `imageStatus` of an absent image resolves to `null`, not an error; `removeImage` is idempotent.
 */
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

export interface RuntimeService {
  version(): Promise<VersionResponse>;
  /** The runtime's conditions (RuntimeReady, NetworkReady). */
  status(verbose?: boolean): Promise<StatusResponse>;

  /** Creates and starts a pod sandbox; resolves to its ID. */
  runPodSandbox(config: PodSandboxConfig, runtimeHandler?: string): Promise<string>;
  /** Stops the sandbox's processes and frees its network (pod IP). Idempotent. */
  stopPodSandbox(podSandboxId: string): Promise<void>;
  /** Removes the sandbox and its containers. Idempotent. */
  removePodSandbox(podSandboxId: string): Promise<void>;
  podSandboxStatus(podSandboxId: string, verbose?: boolean): Promise<PodSandboxStatusResponse>;
  listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]>;

  /** Creates a container in a sandbox; resolves to its ID. */
  createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string>;
  startContainer(containerId: string): Promise<void>;
  /** Stops the container: its stop signal, then SIGKILL after `timeoutSeconds`. Idempotent. */
  stopContainer(containerId: string, timeoutSeconds: number): Promise<void>;
  /** Removes the container, killing it first if it runs. Idempotent. */
  removeContainer(containerId: string): Promise<void>;
  listContainers(filter?: ContainerFilter): Promise<Container[]>;
  containerStatus(containerId: string, verbose?: boolean): Promise<ContainerStatusResponse>;
  updateContainerResources(containerId: string, linux: LinuxContainerResources): Promise<void>;
  /** Asks the runtime to reopen the container's log file (after rotation). */
  reopenContainerLog(containerId: string): Promise<void>;

  /** Runs a command in the container and collects its output; `timeoutSeconds` 0 means no limit. */
  execSync(containerId: string, cmd: string[], timeoutSeconds?: number): Promise<ExecSyncResponse>;
  /** Prepares a streaming exec; resolves to the streaming server's URL. */
  exec(req: ExecRequest): Promise<string>;
  /** Prepares a streaming attach; resolves to the streaming server's URL. */
  attach(req: AttachRequest): Promise<string>;
  /** Prepares a port-forward stream into the sandbox's network; resolves to the streaming server's URL. */
  portForward(podSandboxId: string, ports: number[]): Promise<string>;
  containerStats(containerId: string): Promise<ContainerStats>;
}

export interface ImageService {
  listImages(filter?: ImageSpec): Promise<Image[]>;
  /** The image, or null when it is not present. */
  imageStatus(image: ImageSpec, verbose?: boolean): Promise<Image | null>;
  /** Pulls the image (with credentials when given); resolves to the image reference (its ID). */
  pullImage(image: ImageSpec, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig): Promise<string>;
  /** Removes the image. Idempotent. */
  removeImage(image: ImageSpec): Promise<void>;
  imageFsInfo(): Promise<ImageFsInfoResponse>;
}

/** gRPC status names, as the CRI reports failures. */
export type CriErrorCode =
  | 'Cancelled'
  | 'Unknown'
  | 'InvalidArgument'
  | 'DeadlineExceeded'
  | 'NotFound'
  | 'AlreadyExists'
  | 'PermissionDenied'
  | 'ResourceExhausted'
  | 'FailedPrecondition'
  | 'Aborted'
  | 'OutOfRange'
  | 'Unimplemented'
  | 'Internal'
  | 'Unavailable'
  | 'DataLoss'
  | 'Unauthenticated';

/** A failed CRI call: which method, the gRPC status and the runtime's message. */
export class CriError extends Error {
  constructor(
    readonly method: string,
    readonly code: CriErrorCode,
    readonly details: string,
  ) {
    super(`CRI ${method}: ${code}: ${details}`);
    this.name = 'CriError';
  }
}

export function isCriNotFound(err: unknown): boolean {
  return err instanceof CriError && err.code === 'NotFound';
}

export function isCriUnavailable(err: unknown): boolean {
  return err instanceof CriError && err.code === 'Unavailable';
}

