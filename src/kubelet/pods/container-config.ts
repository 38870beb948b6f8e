/**
 * The CRI ContainerConfig of one container of a pod (upstream's generateContainerConfig): image,
 * command/args with `$(VAR)` expansion, workingDir, env (./env.ts), mounts of the pod's volumes (plus
 * /etc/hosts-free defaults: containerd writes hostname and resolv.conf itself), the termination-message
 * file, labels and annotations (restart count), the log path `<name>/<restartCount>.log`, stdin/tty, and
 * linux resources ({@link linuxResources}).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Container, Pod } from '../../api/types.js';
import { milliValue, parseQuantity } from '../../api/resource/quantity.js';
import type { ContainerConfig, KeyValue, LinuxContainerResources, Mount } from '../cri/types.js';
import { expandVars } from './env.js';
import { CONTAINER_KIND_ANNOTATION, RESTART_COUNT_ANNOTATION, TERMINATION_GRACE_ANNOTATION, containerLabels } from './labels.js';
import { VolumeSetupError } from '../volumes/payloads.js';

export const CPU_PERIOD = 100_000;
const MIN_SHARES = 2;
const MIN_QUOTA = 1000;

/** cpu shares from the request (2 when none), quota/period from the limit, memory (and memory+swap) limit in bytes. */
export function linuxResources(c: Container): LinuxContainerResources {
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  const cpuReq = req.cpu ?? lim.cpu;
  const out: LinuxContainerResources = { cpuShares: Math.max(MIN_SHARES, Math.floor((milliValue(cpuReq as string | undefined) * 1024) / 1000)) };
  if (lim.cpu !== undefined) {
    out.cpuPeriod = CPU_PERIOD;
    out.cpuQuota = Math.max(MIN_QUOTA, Math.floor((milliValue(lim.cpu as string) * CPU_PERIOD) / 1000));
  }
  if (lim.memory !== undefined) {
    out.memoryLimitInBytes = Math.ceil(parseQuantity(lim.memory as string));
    // No swap beyond the limit (upstream's NoSwap): an over-limit container is OOM-killed, not swapped out.
    out.memorySwapLimitInBytes = out.memoryLimitInBytes;
  }
  return out;
}

export interface ContainerConfigInput {
  pod: Pod;
  container: Container;
  kind: 'init' | 'regular';
  restartCount: number;
  env: KeyValue[];
  /** Volume name → host path. */
  volumes: Map<string, string>;
  /** The pod's folder on the node (for the termination-message file). */
  podDir: string;
}

export async function containerConfig(i: ContainerConfigInput): Promise<ContainerConfig> {
  const { pod, container: c } = i;
  const envMap = new Map(i.env.map((e) => [e.key, e.value]));
  const lookup = (n: string) => envMap.get(n);
  const mounts: Mount[] = [];
  for (const vm of c.volumeMounts ?? []) {
    const host = i.volumes.get(vm.name);
    if (host === undefined) throw new VolumeSetupError(`container "${c.name}" mounts volume "${vm.name}", which the pod does not define`);
    const sub = vm.subPath ?? (vm.subPathExpr ? expandVars(vm.subPathExpr, lookup) : '');
    if (sub && (path.isAbsolute(sub) || sub.split('/').includes('..'))) throw new VolumeSetupError(`invalid subPath "${sub}"`);
    mounts.push({
      containerPath: vm.mountPath,
      hostPath: sub ? path.join(host, sub) : host,
      readonly: vm.readOnly ?? false,
      propagation: vm.mountPropagation === 'Bidirectional' ? 'PROPAGATION_BIDIRECTIONAL' : vm.mountPropagation === 'HostToContainer' ? 'PROPAGATION_HOST_TO_CONTAINER' : 'PROPAGATION_PRIVATE',
    });
  }
  // The termination message file, as upstream: a fresh file per container attempt.
  const termPath = c.terminationMessagePath ?? '/dev/termination-log';
  const termDir = path.join(i.podDir, 'containers', c.name);
  await mkdir(termDir, { recursive: true });
  const termFile = path.join(termDir, `${i.restartCount}-termination-log`);
  await writeFile(termFile, '');
  if (!mounts.some((m) => m.containerPath === termPath)) mounts.push({ containerPath: termPath, hostPath: termFile });

  const sc = c.securityContext ?? {};
  const psc = pod.spec?.securityContext ?? {};
  const runAsUser = sc.runAsUser ?? psc.runAsUser;
  const runAsGroup = sc.runAsGroup ?? psc.runAsGroup;
  return {
    metadata: { name: c.name, attempt: i.restartCount },
    image: { image: c.image! },
    command: (c.command ?? []).map((s) => expandVars(s, lookup)),
    args: (c.args ?? []).map((s) => expandVars(s, lookup)),
    workingDir: c.workingDir ?? '',
    envs: i.env,
    mounts,
    labels: containerLabels(pod, c.name),
    annotations: {
      [RESTART_COUNT_ANNOTATION]: String(i.restartCount),
      [TERMINATION_GRACE_ANNOTATION]: String(pod.spec?.terminationGracePeriodSeconds ?? 30),
      [CONTAINER_KIND_ANNOTATION]: i.kind,
      'io.kubernetes.container.terminationMessagePath': termFile,
    },
    logPath: `${c.name}/${i.restartCount}.log`,
    stdin: c.stdin ?? false,
    stdinOnce: c.stdinOnce ?? false,
    tty: c.tty ?? false,
    linux: {
      resources: linuxResources(c),
      securityContext: {
        privileged: sc.privileged ?? false,
        ...(runAsUser !== undefined ? { runAsUser: { value: runAsUser } } : {}),
        ...(runAsGroup !== undefined ? { runAsGroup: { value: runAsGroup } } : {}),
        readonlyRootfs: sc.readOnlyRootFilesystem ?? false,
        ...(psc.supplementalGroups ? { supplementalGroups: psc.supplementalGroups } : {}),
        ...(sc.capabilities ? { capabilities: { addCapabilities: sc.capabilities.add ?? [], dropCapabilities: sc.capabilities.drop ?? [] } } : {}),
        namespaceOptions: { network: pod.spec?.hostNetwork ? 'NODE' : 'POD', pid: pod.spec?.hostPID ? 'NODE' : pod.spec?.shareProcessNamespace ? 'POD' : 'CONTAINER', ipc: pod.spec?.hostIPC ? 'NODE' : 'POD' },
        noNewPrivs: sc.allowPrivilegeEscalation === false,
      },
    },
  };
}
