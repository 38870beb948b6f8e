/**
 * The merge metadata of the built-in kinds: upstream's `patchStrategy` / `patchMergeKey` struct tags and the
 * `+listType` / `+listMapKey` markers, in ONE table. Strategic merge patch, the three-way patch of
 * `kubectl apply` and server-side apply all read it.
 *
 * A type is a map from field name to `FieldMeta`. Only fields that matter are listed: a struct field that is
 * absent is still merged key by key (maps always are), and a list that is absent is atomic (replaced whole),
 * which is upstream's default. Kinds not in `KIND_TYPES` (custom resources) get `UNKNOWN_KIND`: their
 * `metadata` follows ObjectMeta, everything else the defaults (lists replaced, as a JSON merge patch does).
 */

export interface FieldMeta {
  /** The type of the value (for a list: of its items), when that type has listed fields of its own. */
  type?: string;
  /**
   * Upstream's patchStrategy. `merge` on a list: items are merged by `mergeKey` (lists of objects) or as a
   * set (lists of scalars). `retainKeys` on an object (or on the items of a list): fields the patch leaves
   * out are cleared (`$retainKeys`), used for unions such as a volume's source or a deployment's strategy.
   */
  strategy?: 'merge' | 'retainKeys' | 'merge,retainKeys';
  /** Upstream's patchMergeKey. */
  mergeKey?: string;
  /** Server-side apply keys of an associative list when they differ from `[mergeKey]` (`+listMapKey`). */
  listMapKeys?: string[];
  /** Defaults of list map keys that an item may leave out (e.g. a port's protocol). */
  keyDefaults?: Record<string, string | number>;
  /** Server-side apply: a list or struct that is owned as one value (`+listType=atomic`, `+structType=atomic`). */
  atomic?: boolean;
}

export type TypeMeta = Record<string, FieldMeta>;

const merge = (mergeKey: string, type?: string, extra: Partial<FieldMeta> = {}): FieldMeta => ({ strategy: 'merge', mergeKey, ...(type ? { type } : {}), ...extra });
const conditions: FieldMeta = merge('type');
const withMeta = (fields: TypeMeta = {}): TypeMeta => ({ metadata: { type: 'ObjectMeta' }, ...fields });

/** Every type by name (named as upstream's Go types). */
export const TYPES: Record<string, TypeMeta> = {
  ObjectMeta: {
    ownerReferences: merge('uid'),
    finalizers: { strategy: 'merge' },
  },
  LabelSelector: { matchLabels: {}, matchExpressions: { atomic: true } },

  // core/v1
  PodTemplateSpec: withMeta({ spec: { type: 'PodSpec' } }),
  PodSpec: {
    volumes: { strategy: 'merge,retainKeys', mergeKey: 'name', type: 'Volume' },
    initContainers: merge('name', 'Container'),
    containers: merge('name', 'Container'),
    ephemeralContainers: merge('name', 'Container'),
    imagePullSecrets: merge('name'),
    hostAliases: merge('ip'),
    topologySpreadConstraints: merge('topologyKey', undefined, { listMapKeys: ['topologyKey', 'whenUnsatisfiable'] }),
    schedulingGates: merge('name'),
    resourceClaims: { strategy: 'merge,retainKeys', mergeKey: 'name' },
    tolerations: { atomic: true },
    affinity: { type: 'Affinity' },
  },
  Affinity: {
    nodeAffinity: { type: 'NodeAffinity' },
  },
  NodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: { atomic: true },
  },
  Container: {
    ports: merge('containerPort', undefined, { listMapKeys: ['containerPort', 'protocol'], keyDefaults: { protocol: 'TCP' } }),
    env: merge('name', 'EnvVar'),
    volumeMounts: merge('mountPath'),
    volumeDevices: merge('devicePath'),
    resources: { type: 'ResourceRequirements' },
  },
  EnvVar: { valueFrom: { type: 'EnvVarSource' } },
  EnvVarSource: {
    configMapKeyRef: { atomic: true },
    secretKeyRef: { atomic: true },
    fieldRef: { atomic: true },
    resourceFieldRef: { atomic: true },
  },
  ResourceRequirements: { claims: { mergeKey: 'name', listMapKeys: ['name'] } },
  Volume: {},
  PodStatus: {
    conditions,
    podIPs: merge('ip'),
    hostIPs: merge('ip'),
    resourceClaimStatuses: { strategy: 'merge,retainKeys', mergeKey: 'name' },
  },
  Pod: withMeta({ spec: { type: 'PodSpec' }, status: { type: 'PodStatus' } }),
  PodTemplate: withMeta({ template: { type: 'PodTemplateSpec' } }),
  Service: withMeta({
    spec: { type: 'ServiceSpec' },
    status: { type: 'ConditionsStatus' },
  }),
  ServiceSpec: {
    ports: merge('port', undefined, { listMapKeys: ['port', 'protocol'], keyDefaults: { protocol: 'TCP' } }),
    selector: {},
  },
  ConditionsStatus: { conditions },
  Node: withMeta({ spec: { type: 'NodeSpec' }, status: { type: 'NodeStatus' } }),
  NodeSpec: { podCIDRs: { strategy: 'merge' } },
  NodeStatus: { conditions, addresses: merge('type') },
  Namespace: withMeta({ status: { type: 'ConditionsStatus' } }),
  ServiceAccount: withMeta({ secrets: merge('name') }),
  PersistentVolumeClaim: withMeta({ status: { type: 'ConditionsStatus' } }),
  ReplicationController: withMeta({ spec: { type: 'ReplicationControllerSpec' }, status: { type: 'ConditionsStatus' } }),
  ReplicationControllerSpec: { template: { type: 'PodTemplateSpec' } },

  // apps/v1
  Deployment: withMeta({ spec: { type: 'DeploymentSpec' }, status: { type: 'ConditionsStatus' } }),
  DeploymentSpec: {
    template: { type: 'PodTemplateSpec' },
    selector: { type: 'LabelSelector', atomic: true },
    strategy: { strategy: 'retainKeys' },
  },
  ReplicaSet: withMeta({ spec: { type: 'WorkloadSpec' }, status: { type: 'ConditionsStatus' } }),
  DaemonSet: withMeta({ spec: { type: 'WorkloadSpec' }, status: { type: 'ConditionsStatus' } }),
  StatefulSet: withMeta({ spec: { type: 'StatefulSetSpec' }, status: { type: 'ConditionsStatus' } }),
  WorkloadSpec: {
    template: { type: 'PodTemplateSpec' },
    selector: { type: 'LabelSelector', atomic: true },
  },
  StatefulSetSpec: {
    template: { type: 'PodTemplateSpec' },
    selector: { type: 'LabelSelector', atomic: true },
    volumeClaimTemplates: { atomic: true },
  },

  // batch/v1
  Job: withMeta({ spec: { type: 'JobSpec' }, status: { type: 'ConditionsStatus' } }),
  JobSpec: {
    template: { type: 'PodTemplateSpec' },
    selector: { type: 'LabelSelector', atomic: true },
  },
  CronJob: withMeta({ spec: { type: 'CronJobSpec' } }),
  CronJobSpec: { jobTemplate: { type: 'JobTemplateSpec' } },
  JobTemplateSpec: withMeta({ spec: { type: 'JobSpec' } }),

  // autoscaling, policy
  HorizontalPodAutoscaler: withMeta({ status: { type: 'ConditionsStatus' } }),
  PodDisruptionBudget: withMeta({
    spec: { type: 'PodDisruptionBudgetSpec' },
    status: { type: 'ConditionsStatus' },
  }),
  PodDisruptionBudgetSpec: { selector: { type: 'LabelSelector', atomic: true } },

  // kinds with nothing special beyond metadata
  Object: withMeta(),
};

/** Root type per kind, keyed `group/Kind` (core group: `/Kind`); the version does not change merge metadata. */
export const KIND_TYPES: Record<string, string> = {
  '/Pod': 'Pod',
  '/PodTemplate': 'PodTemplate',
  '/Service': 'Service',
  '/Node': 'Node',
  '/Namespace': 'Namespace',
  '/ServiceAccount': 'ServiceAccount',
  '/PersistentVolumeClaim': 'PersistentVolumeClaim',
  '/ReplicationController': 'ReplicationController',
  '/Endpoints': 'Object',
  '/ConfigMap': 'Object',
  '/Secret': 'Object',
  '/Event': 'Object',
  '/PersistentVolume': 'Object',
  '/LimitRange': 'Object',
  '/ResourceQuota': 'Object',
  'apps/Deployment': 'Deployment',
  'apps/ReplicaSet': 'ReplicaSet',
  'apps/DaemonSet': 'DaemonSet',
  'apps/StatefulSet': 'StatefulSet',
  'apps/ControllerRevision': 'Object',
  'batch/Job': 'Job',
  'batch/CronJob': 'CronJob',
  'autoscaling/HorizontalPodAutoscaler': 'HorizontalPodAutoscaler',
  'policy/PodDisruptionBudget': 'PodDisruptionBudget',
  'networking.k8s.io/Ingress': 'Object',
  'networking.k8s.io/IngressClass': 'Object',
  'discovery.k8s.io/EndpointSlice': 'Object',
  'coordination.k8s.io/Lease': 'Object',
  'events.k8s.io/Event': 'Object',
  'storage.k8s.io/StorageClass': 'Object',
  'scheduling.k8s.io/PriorityClass': 'Object',
  'rbac.authorization.k8s.io/Role': 'Object',
  'rbac.authorization.k8s.io/ClusterRole': 'Object',
  'rbac.authorization.k8s.io/RoleBinding': 'Object',
  'rbac.authorization.k8s.io/ClusterRoleBinding': 'Object',
};

/** What a kind not in the table (a custom resource) gets. */
export const UNKNOWN_KIND = 'Object';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** A position in the type table: the fields of the value at hand (empty when nothing is known). */
export class Schema {
  private constructor(readonly name: string, readonly fields: TypeMeta) {}

  private static readonly cache = new Map<string, Schema>();

  static named(name: string | undefined): Schema {
    const key = name ?? '';
    let s = Schema.cache.get(key);
    if (!s) {
      s = new Schema(key, (key && Object.hasOwn(TYPES, key) ? TYPES[key] : undefined) ?? {});
      Schema.cache.set(key, s);
    }
    return s;
  }

  /** The schema of a kind's objects. */
  static forKind(gvk: GroupVersionKind): Schema {
    return Schema.named(Schema.isKnownKind(gvk) ? KIND_TYPES[`${gvk.group}/${gvk.kind}`] : UNKNOWN_KIND);
  }

  /** True when the kind is a built-in one of the table (strategic merge patch is defined for it upstream). */
  static isKnownKind(gvk: GroupVersionKind): boolean {
    return Object.hasOwn(KIND_TYPES, `${gvk.group}/${gvk.kind}`);
  }

  /** The metadata of field `name`: defaults (`{}`) when not listed. */
  field(name: string): FieldMeta {
    return Object.hasOwn(this.fields, name) ? this.fields[name]! : NO_META;
  }

  /** The schema of field `name`'s value (of its items, for a list). */
  child(name: string): Schema {
    return Schema.named(this.field(name).type);
  }
}

/** The metadata of a field the table does not list: upstream's defaults. */
const NO_META: FieldMeta = Object.freeze({});

const STRATEGIES = {
  none: Object.freeze({ merge: false, retainKeys: false }),
  merge: Object.freeze({ merge: true, retainKeys: false }),
  retainKeys: Object.freeze({ merge: false, retainKeys: true }),
  'merge,retainKeys': Object.freeze({ merge: true, retainKeys: true }),
};

/** The strategies of a field split into its list strategy and whether retainKeys applies. */
export function strategyOf(meta: FieldMeta): { readonly merge: boolean; readonly retainKeys: boolean } {
  return STRATEGIES[meta.strategy ?? 'none'];
}
