/**
 * The resource catalog: one entry per served resource, as data. Discovery, routing, storage keys,
 * `kubectl api-resources` and server-side printing are all generated from it.
 *
 * Several group-versions may serve one stored resource (autoscaling/v1 and v2 HPAs, core and
 * events.k8s.io Events): they share `storage`, and the entry whose `storageVersion` is true defines the
 * stored form; the others convert through `convert` (see conversion.ts).
 */

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export interface ResourceEntry {
  group: string;
  version: string;
  /** Plural, lowercase: the URL segment. */
  resource: string;
  kind: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: Verb[];
  /** Subresource name → kind of its body (with group/version when not the parent's). */
  subresources: Record<string, SubresourceEntry>;
  /** The storage prefix name: `/registry/<storage>/`. */
  storage: string;
  /** Whether this group-version is the one whose form is stored. */
  storageVersion: boolean;
}

export interface SubresourceEntry {
  kind: string;
  group?: string;
  version?: string;
  verbs: Verb[];
}

const ALL: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const GPU: Verb[] = ['get', 'patch', 'update'];

interface Def {
  r: string;
  kind: string;
  short?: string[];
  cat?: string[];
  cluster?: boolean;
  verbs?: Verb[];
  sub?: Record<string, SubresourceEntry>;
  storage?: string;
  notStored?: boolean;
}

const status = (kind: string): Record<string, SubresourceEntry> => ({ status: { kind, verbs: GPU } });
const scale = { kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: GPU } satisfies SubresourceEntry;

/** Group-version → its resources, in the order discovery lists them (upstream's order). */
const GROUPS: { group: string; version: string; defs: Def[] }[] = [
  {
    group: '', version: 'v1', defs: [
      { r: 'bindings', kind: 'Binding', verbs: ['create'], storage: 'pods', notStored: true },
      { r: 'configmaps', kind: 'ConfigMap', short: ['cm'] },
      { r: 'endpoints', kind: 'Endpoints', short: ['ep'] },
      { r: 'events', kind: 'Event', short: ['ev'] },
      { r: 'limitranges', kind: 'LimitRange', short: ['limits'] },
      { r: 'namespaces', kind: 'Namespace', short: ['ns'], cluster: true, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
        sub: { ...status('Namespace'), finalize: { kind: 'Namespace', verbs: ['update'] } } },
      { r: 'nodes', kind: 'Node', short: ['no'], cluster: true, sub: { ...status('Node'), proxy: { kind: 'NodeProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] } } },
      { r: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', short: ['pvc'], sub: status('PersistentVolumeClaim') },
      { r: 'persistentvolumes', kind: 'PersistentVolume', short: ['pv'], cluster: true, sub: status('PersistentVolume') },
      { r: 'pods', kind: 'Pod', short: ['po'], cat: ['all'], sub: {
        attach: { kind: 'PodAttachOptions', verbs: ['create', 'get'] },
        binding: { kind: 'Binding', verbs: ['create'] },
        ephemeralcontainers: { kind: 'Pod', verbs: GPU },
        eviction: { kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
        exec: { kind: 'PodExecOptions', verbs: ['create', 'get'] },
        log: { kind: 'Pod', verbs: ['get'] },
        portforward: { kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
        proxy: { kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
        resize: { kind: 'Pod', verbs: GPU },
        status: { kind: 'Pod', verbs: GPU },
      } },
      { r: 'podtemplates', kind: 'PodTemplate' },
      { r: 'replicationcontrollers', kind: 'ReplicationController', short: ['rc'], cat: ['all'], sub: { scale, ...status('ReplicationController') } },
      { r: 'resourcequotas', kind: 'ResourceQuota', short: ['quota'], sub: status('ResourceQuota') },
      { r: 'secrets', kind: 'Secret' },
      { r: 'serviceaccounts', kind: 'ServiceAccount', short: ['sa'], sub: { token: { kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] } } },
      { r: 'services', kind: 'Service', short: ['svc'], cat: ['all'], sub: { proxy: { kind: 'ServiceProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] }, ...status('Service') } },
    ],
  },
  {
    group: 'apps', version: 'v1', defs: [
      { r: 'controllerrevisions', kind: 'ControllerRevision' },
      { r: 'daemonsets', kind: 'DaemonSet', short: ['ds'], cat: ['all'], sub: status('DaemonSet') },
      { r: 'deployments', kind: 'Deployment', short: ['deploy'], cat: ['all'], sub: { scale, ...status('Deployment') } },
      { r: 'replicasets', kind: 'ReplicaSet', short: ['rs'], cat: ['all'], sub: { scale, ...status('ReplicaSet') } },
      { r: 'statefulsets', kind: 'StatefulSet', short: ['sts'], cat: ['all'], sub: { scale, ...status('StatefulSet') } },
    ],
  },
  {
    group: 'autoscaling', version: 'v2', defs: [
      { r: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', short: ['hpa'], cat: ['all'], sub: status('HorizontalPodAutoscaler') },
    ],
  },
  {
    group: 'autoscaling', version: 'v1', defs: [
      { r: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', short: ['hpa'], cat: ['all'], sub: status('HorizontalPodAutoscaler') },
    ],
  },
  {
    group: 'batch', version: 'v1', defs: [
      { r: 'cronjobs', kind: 'CronJob', short: ['cj'], cat: ['all'], sub: status('CronJob') },
      { r: 'jobs', kind: 'Job', cat: ['all'], sub: status('Job') },
    ],
  },
  {
    group: 'coordination.k8s.io', version: 'v1', defs: [{ r: 'leases', kind: 'Lease' }],
  },
  {
    group: 'discovery.k8s.io', version: 'v1', defs: [{ r: 'endpointslices', kind: 'EndpointSlice' }],
  },
  {
    group: 'events.k8s.io', version: 'v1', defs: [{ r: 'events', kind: 'Event', short: ['ev'] }],
  },
  {
    group: 'networking.k8s.io', version: 'v1', defs: [
      { r: 'ingressclasses', kind: 'IngressClass', cluster: true },
      { r: 'ingresses', kind: 'Ingress', short: ['ing'], sub: status('Ingress') },
      { r: 'networkpolicies', kind: 'NetworkPolicy', short: ['netpol'] },
    ],
  },
  {
    group: 'policy', version: 'v1', defs: [
      { r: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', short: ['pdb'], sub: status('PodDisruptionBudget') },
    ],
  },
  {
    group: 'rbac.authorization.k8s.io', version: 'v1', defs: [
      { r: 'clusterrolebindings', kind: 'ClusterRoleBinding', cluster: true },
      { r: 'clusterroles', kind: 'ClusterRole', cluster: true },
      { r: 'rolebindings', kind: 'RoleBinding' },
      { r: 'roles', kind: 'Role' },
    ],
  },
  {
    group: 'scheduling.k8s.io', version: 'v1', defs: [{ r: 'priorityclasses', kind: 'PriorityClass', short: ['pc'], cluster: true }],
  },
  {
    group: 'storage.k8s.io', version: 'v1', defs: [
      { r: 'csidrivers', kind: 'CSIDriver', cluster: true },
      { r: 'csinodes', kind: 'CSINode', cluster: true },
      { r: 'storageclasses', kind: 'StorageClass', short: ['sc'], cluster: true },
      { r: 'volumeattachments', kind: 'VolumeAttachment', cluster: true, sub: status('VolumeAttachment') },
    ],
  },
];

/** Group → preferred version first. */
export const GROUP_VERSIONS: { group: string; versions: string[] }[] = [];

function build(): ResourceEntry[] {
  const out: ResourceEntry[] = [];
  const seenStorage = new Set<string>();
  for (const gv of GROUPS) {
    const g = GROUP_VERSIONS.find((x) => x.group === gv.group);
    if (g) g.versions.push(gv.version);
    else GROUP_VERSIONS.push({ group: gv.group, versions: [gv.version] });
    for (const d of gv.defs) {
      const storage = d.storage ?? d.r;
      const storageVersion = !d.notStored && !seenStorage.has(storage);
      if (!d.notStored) seenStorage.add(storage);
      out.push({
        group: gv.group, version: gv.version, resource: d.r, kind: d.kind, singular: d.kind.toLowerCase(),
        namespaced: !d.cluster, shortNames: d.short ?? [], categories: d.cat ?? [], verbs: d.verbs ?? ALL,
        subresources: d.sub ?? {}, storage, storageVersion,
      });
    }
  }
  return out;
}

export const CATALOG: readonly ResourceEntry[] = build();

const byPath = new Map<string, ResourceEntry>(CATALOG.map((e) => [`${e.group}/${e.version}/${e.resource}`, e]));

/** The entry serving `resource` in `group`/`version`, if any. */
export function lookup(group: string, version: string, resource: string): ResourceEntry | undefined {
  return byPath.get(`${group}/${version}/${resource}`);
}

/** The entry that defines the stored form of `storage`. */
export function storageEntry(storage: string): ResourceEntry | undefined {
  return CATALOG.find((e) => e.storage === storage && e.storageVersion);
}

/** `apiVersion` string of an entry: "v1" or "apps/v1". */
export function apiVersionOf(e: { group: string; version: string }): string {
  return e.group ? `${e.group}/${e.version}` : e.version;
}

/** Whether the group-version exists at all. */
export function hasGroupVersion(group: string, version: string): boolean {
  return GROUP_VERSIONS.some((g) => g.group === group && g.versions.includes(version));
}
