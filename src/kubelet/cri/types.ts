/**
 * TypeScript shapes of the CRI `runtime.v1` messages in ./api-proto.ts, field for field, in camelCase.
 *
 * Conventions of the wire mapping (see ./client.ts): enums are their names (`'CONTAINER_RUNNING'`);
 * int64 values arrive as decimal strings (nanosecond timestamps do not fit a JS number) and may be sent
 * as numbers or strings; `bytes` are Buffers; maps are plain objects. In requests every field is optional
 * (proto3 defaults apply); in responses every scalar field is present.
 */

/** An int64/uint64 value: a decimal string when received, a number or string when sent. */
export type Int64 = string | number;
export type StringMap = Record<string, string>;

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export type MountPropagation = 'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL';
export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';
export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

export interface VersionResponse {
  version: string;
  runtimeName: string;
  runtimeVersion: string;
  runtimeApiVersion: string;
}

export interface DNSConfig {
  servers?: string[];
  searches?: string[];
  options?: string[];
}

export interface PortMapping {
  protocol?: Protocol;
  containerPort?: number;
  hostPort?: number;
  hostIp?: string;
}

export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly?: boolean;
  selinuxRelabel?: boolean;
  propagation?: MountPropagation;
}

export interface NamespaceOption {
  network?: NamespaceMode;
  pid?: NamespaceMode;
  ipc?: NamespaceMode;
  targetId?: string;
}

export interface Int64Value {
  value: Int64;
}

export interface SecurityProfile {
  profileType?: 'RuntimeDefault' | 'Unconfined' | 'Localhost';
  localhostRef?: string;
}

export interface LinuxSandboxSecurityContext {
  namespaceOptions?: NamespaceOption;
  runAsUser?: Int64Value;
  runAsGroup?: Int64Value;
  readonlyRootfs?: boolean;
  supplementalGroups?: Int64[];
  privileged?: boolean;
  seccomp?: SecurityProfile;
}

export interface LinuxContainerResources {
  cpuPeriod?: Int64;
  cpuQuota?: Int64;
  cpuShares?: Int64;
  memoryLimitInBytes?: Int64;
  oomScoreAdj?: Int64;
  cpusetCpus?: string;
  cpusetMems?: string;
  unified?: StringMap;
  memorySwapLimitInBytes?: Int64;
}

export interface LinuxPodSandboxConfig {
  cgroupParent?: string;
  securityContext?: LinuxSandboxSecurityContext;
  sysctls?: StringMap;
  overhead?: LinuxContainerResources;
  resources?: LinuxContainerResources;
}

export interface PodSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt?: number;
}

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  logDirectory?: string;
  dnsConfig?: DNSConfig;
  portMappings?: PortMapping[];
  labels?: StringMap;
  annotations?: StringMap;
  linux?: LinuxPodSandboxConfig;
}

export interface PodSandboxNetworkStatus {
  ip: string;
  additionalIps: { ip: string }[];
}

export interface PodSandboxStatus {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: Int64;
  network: PodSandboxNetworkStatus | null;
  linux: { namespaces: { options: NamespaceOption | null } | null } | null;
  labels: StringMap;
  annotations: StringMap;
  runtimeHandler: string;
}

export interface PodSandboxStatusResponse {
  status: PodSandboxStatus;
  info: StringMap;
}

export interface PodSandboxFilter {
  id?: string;
  state?: { state: PodSandboxState };
  labelSelector?: StringMap;
}

export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: Int64;
  labels: StringMap;
  annotations: StringMap;
  runtimeHandler: string;
}

export interface ImageSpec {
  image: string;
  annotations?: StringMap;
}

export interface KeyValue {
  key: string;
  value: string;
}

export interface LinuxContainerSecurityContext {
  capabilities?: { addCapabilities?: string[]; dropCapabilities?: string[] };
  privileged?: boolean;
  namespaceOptions?: NamespaceOption;
  runAsUser?: Int64Value;
  runAsUsername?: string;
  runAsGroup?: Int64Value;
  readonlyRootfs?: boolean;
  supplementalGroups?: Int64[];
  noNewPrivs?: boolean;
  maskedPaths?: string[];
  readonlyPaths?: string[];
  seccomp?: SecurityProfile;
}

export interface ContainerMetadata {
  name: string;
  attempt?: number;
}

export interface Device {
  containerPath: string;
  hostPath: string;
  permissions: string;
}

export interface ContainerConfig {
  metadata: ContainerMetadata;
  image: ImageSpec;
  command?: string[];
  args?: string[];
  workingDir?: string;
  envs?: KeyValue[];
  mounts?: Mount[];
  devices?: Device[];
  labels?: StringMap;
  annotations?: StringMap;
  /** Relative to the sandbox's logDirectory. */
  logPath?: string;
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
  linux?: { resources?: LinuxContainerResources; securityContext?: LinuxContainerSecurityContext };
}

export interface ContainerFilter {
  id?: string;
  state?: { state: ContainerState };
  podSandboxId?: string;
  labelSelector?: StringMap;
}

export interface Container {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata;
  image: ImageSpec;
  imageRef: string;
  state: ContainerState;
  createdAt: Int64;
  labels: StringMap;
  annotations: StringMap;
}

export interface ContainerStatus {
  id: string;
  metadata: ContainerMetadata;
  state: ContainerState;
  createdAt: Int64;
  startedAt: Int64;
  finishedAt: Int64;
  exitCode: number;
  image: ImageSpec;
  imageRef: string;
  /** e.g. `OOMKilled`, `Completed`, `Error`. */
  reason: string;
  message: string;
  labels: StringMap;
  annotations: StringMap;
  mounts: Mount[];
  logPath: string;
  resources: { linux: LinuxContainerResources | null } | null;
}

export interface ContainerStatusResponse {
  status: ContainerStatus;
  info: StringMap;
}

export interface ExecSyncResponse {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
}

export interface ExecRequest {
  containerId: string;
  cmd: string[];
  tty?: boolean;
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
}

export interface AttachRequest {
  containerId: string;
  stdin?: boolean;
  tty?: boolean;
  stdout?: boolean;
  stderr?: boolean;
}

export interface UInt64Value {
  value: Int64;
}

export interface FilesystemUsage {
  timestamp: Int64;
  fsId: { mountpoint: string } | null;
  usedBytes: UInt64Value | null;
  inodesUsed: UInt64Value | null;
}

export interface ContainerStats {
  attributes: { id: string; metadata: ContainerMetadata; labels: StringMap; annotations: StringMap } | null;
  cpu: { timestamp: Int64; usageCoreNanoSeconds: UInt64Value | null; usageNanoCores: UInt64Value | null } | null;
  memory: {
    timestamp: Int64;
    workingSetBytes: UInt64Value | null;
    availableBytes: UInt64Value | null;
    usageBytes: UInt64Value | null;
    rssBytes: UInt64Value | null;
    pageFaults: UInt64Value | null;
    majorPageFaults: UInt64Value | null;
  } | null;
  writableLayer: FilesystemUsage | null;
}

export interface RuntimeCondition {
  /** `RuntimeReady` or `NetworkReady` are required for a node to be Ready. */
  type: string;
  status: boolean;
  reason: string;
  message: string;
}

export interface StatusResponse {
  status: { conditions: RuntimeCondition[] };
  info: StringMap;
}

export interface Image {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: Int64;
  uid: Int64Value | null;
  username: string;
  spec: ImageSpec | null;
  pinned: boolean;
}

export interface AuthConfig {
  username?: string;
  password?: string;
  /** base64 of `username:password`. */
  auth?: string;
  serverAddress?: string;
  identityToken?: string;
  registryToken?: string;
}

export interface ImageFsInfoResponse {
  imageFilesystems: FilesystemUsage[];
  containerFilesystems: FilesystemUsage[];
}

/** A CRI nanosecond timestamp as a Date (millisecond precision); null for 0 (not set). */
export function nanosToDate(ns: Int64): Date | null {
  const n = BigInt(ns);
  return n === 0n ? null : new Date(Number(n / 1_000_000n));
}
