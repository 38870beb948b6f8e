/**
 * How lists and maps of each type merge: the strategic-merge-patch directives (`patchStrategy`,
 * `patchMergeKey`) and the server-side-apply list semantics (`listType`, `listMapKeys`, `mapType`) of
 * upstream's types. These are facts of the upstream API (Go struct tags and `+listType` markers);
 * the OpenAPI documents publish them as `x-kubernetes-*` extensions, and strategic merge patch, the
 * three-way patch of `kubectl apply` and server-side apply read them through `src/api/patch/merge-keys.ts`.
 * This is the only table of these facts.
 *
 * A list field with no entry is atomic for server-side apply and replaced by strategic merge patch.
 */

export interface PatchMeta {
  /** Strategic merge patch: 'merge', 'retainKeys' or 'merge,retainKeys'. */
  patchStrategy?: string;
  /** Strategic merge patch: the field that identifies list items. */
  patchMergeKey?: string;
  /** Server-side apply: 'atomic' | 'set' | 'map'. */
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: string[];
  mapType?: 'atomic' | 'granular';
  structType?: 'atomic' | 'granular';
  /**
   * Server-side apply: values of list map keys that an item may leave out, as the defaulting of upstream's
   * types fills them in (e.g. a port's protocol). Not published in OpenAPI.
   */
  keyDefaults?: Record<string, string | number>;
}

const core = (t: string) => `io.k8s.api.core.v1.${t}`;
const apps = (t: string) => `io.k8s.api.apps.v1.${t}`;
const meta = (t: string) => `io.k8s.apimachinery.pkg.apis.meta.v1.${t}`;

const byName: PatchMeta = { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] };
const byType: PatchMeta = { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] };
const byIP: PatchMeta = { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'map', listMapKeys: ['ip'] };
const atomic: PatchMeta = { listType: 'atomic' };

/** Lists of Container and EphemeralContainer (the same fields). */
const containerLists: Record<string, PatchMeta> = {
    command: atomic,
    args: atomic,
    ports: { patchStrategy: 'merge', patchMergeKey: 'containerPort', listType: 'map', listMapKeys: ['containerPort', 'protocol'], keyDefaults: { protocol: 'TCP' } },
    envFrom: atomic,
    env: byName,
    resizePolicy: atomic,
    volumeMounts: { patchStrategy: 'merge', patchMergeKey: 'mountPath', listType: 'map', listMapKeys: ['mountPath'] },
    volumeDevices: { patchStrategy: 'merge', patchMergeKey: 'devicePath', listType: 'map', listMapKeys: ['devicePath'] },
};

/** `type name → field name → metadata`. */
export const PATCH_META: Record<string, Record<string, PatchMeta>> = {
  [meta('ObjectMeta')]: {
    finalizers: { patchStrategy: 'merge', listType: 'set' },
    ownerReferences: { patchStrategy: 'merge', patchMergeKey: 'uid', listType: 'map', listMapKeys: ['uid'] },
    managedFields: atomic,
  },
  [meta('LabelSelector')]: { matchExpressions: atomic, _: { structType: 'atomic' } },
  [meta('LabelSelectorRequirement')]: { values: atomic },
  [core('PodSpec')]: {
    volumes: { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    initContainers: byName,
    containers: byName,
    ephemeralContainers: byName,
    imagePullSecrets: byName,
    hostAliases: byIP,
    topologySpreadConstraints: { patchStrategy: 'merge', patchMergeKey: 'topologyKey', listType: 'map', listMapKeys: ['topologyKey', 'whenUnsatisfiable'] },
    tolerations: atomic,
    readinessGates: atomic,
    schedulingGates: byName,
    resourceClaims: { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  },
  [core('Container')]: containerLists,
  // An ephemeral container's fields are declared by the embedded EphemeralContainerCommon.
  [core('EphemeralContainerCommon')]: containerLists,
  [core('PodStatus')]: {
    conditions: byType,
    podIPs: byIP,
    hostIPs: byIP,
    initContainerStatuses: atomic,
    containerStatuses: atomic,
    ephemeralContainerStatuses: atomic,
    resourceClaimStatuses: { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  },
  [core('ResourceRequirements')]: { claims: { listType: 'map', listMapKeys: ['name'] } },
  [core('ContainerStatus')]: {
    volumeMounts: { patchStrategy: 'merge', patchMergeKey: 'mountPath', listType: 'map', listMapKeys: ['mountPath'] },
    allocatedResourcesStatus: byName,
  },
  [core('ServiceSpec')]: {
    ports: { patchStrategy: 'merge', patchMergeKey: 'port', listType: 'map', listMapKeys: ['port', 'protocol'], keyDefaults: { protocol: 'TCP' } },
    clusterIPs: atomic,
    externalIPs: atomic,
    loadBalancerSourceRanges: atomic,
    ipFamilies: atomic,
  },
  [core('ServiceStatus')]: { conditions: byType },
  [core('ServiceAccount')]: { secrets: byName, imagePullSecrets: atomic },
  [core('NodeSpec')]: { podCIDRs: { patchStrategy: 'merge', listType: 'set' }, taints: atomic },
  [core('NodeStatus')]: {
    conditions: byType,
    addresses: byType,
    images: atomic,
    volumesInUse: atomic,
    volumesAttached: atomic,
  },
  [core('NamespaceStatus')]: { conditions: byType },
  [core('PersistentVolumeClaimStatus')]: { conditions: byType, accessModes: atomic },
  [core('PersistentVolumeClaimSpec')]: { accessModes: atomic },
  [core('PersistentVolumeSpec')]: { accessModes: atomic, mountOptions: atomic },
  [core('ReplicationControllerStatus')]: { conditions: byType },
  [core('ResourceQuotaSpec')]: { scopes: atomic },
  [core('LimitRangeSpec')]: { limits: atomic },
  [core('EndpointSubset')]: { addresses: atomic, notReadyAddresses: atomic, ports: atomic },
  [core('Endpoints')]: { subsets: atomic },
  [core('NodeSelector')]: { nodeSelectorTerms: atomic, _: { structType: 'atomic' } },
  [core('NodeSelectorTerm')]: { matchExpressions: atomic, matchFields: atomic, _: { structType: 'atomic' } },
  [core('NodeSelectorRequirement')]: { values: atomic },
  [core('TopologySpreadConstraint')]: { matchLabelKeys: atomic },
  [core('PodAffinityTerm')]: { namespaces: atomic, matchLabelKeys: atomic, mismatchLabelKeys: atomic },
  [core('PodAffinity')]: { requiredDuringSchedulingIgnoredDuringExecution: atomic, preferredDuringSchedulingIgnoredDuringExecution: atomic },
  [core('PodAntiAffinity')]: { requiredDuringSchedulingIgnoredDuringExecution: atomic, preferredDuringSchedulingIgnoredDuringExecution: atomic },
  [core('NodeAffinity')]: { preferredDuringSchedulingIgnoredDuringExecution: atomic },
  [core('PodSecurityContext')]: { supplementalGroups: atomic, sysctls: atomic },
  [core('Capabilities')]: { add: atomic, drop: atomic },
  [core('ExecAction')]: { command: atomic },
  [core('HTTPGetAction')]: { httpHeaders: atomic },
  [core('ConfigMapVolumeSource')]: { items: atomic },
  [core('SecretVolumeSource')]: { items: atomic },
  [core('ProjectedVolumeSource')]: { sources: atomic },
  [core('PodDNSConfig')]: { nameservers: atomic, searches: atomic, options: atomic },
  [core('HostAlias')]: { hostnames: atomic },
  [core('ConfigMapProjection')]: { items: atomic },
  [core('SecretProjection')]: { items: atomic },
  [core('DownwardAPIVolumeSource')]: { items: atomic },
  [core('ConfigMapKeySelector')]: { _: { structType: 'atomic' } },
  [core('SecretKeySelector')]: { _: { structType: 'atomic' } },
  [core('ObjectFieldSelector')]: { _: { structType: 'atomic' } },
  [core('ResourceFieldSelector')]: { _: { structType: 'atomic' } },
  [core('LocalObjectReference')]: { _: { structType: 'atomic' } },
  [core('TypedLocalObjectReference')]: { _: { structType: 'atomic' } },
  [core('ObjectReference')]: { _: { structType: 'atomic' } },
  [apps('DeploymentSpec')]: { strategy: { patchStrategy: 'retainKeys' } },
  [apps('DeploymentStatus')]: { conditions: byType },
  [apps('ReplicaSetStatus')]: { conditions: byType },
  [apps('StatefulSetStatus')]: { conditions: byType },
  [apps('DaemonSetStatus')]: { conditions: byType },
  [apps('StatefulSetSpec')]: { volumeClaimTemplates: atomic },
  ['io.k8s.api.batch.v1.JobStatus']: { conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'atomic' } },
  ['io.k8s.api.batch.v1.CronJobStatus']: { active: atomic },
  ['io.k8s.api.batch.v1.PodFailurePolicy']: { rules: atomic },
  ['io.k8s.api.batch.v1.PodFailurePolicyRule']: { onPodConditions: atomic },
  ['io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement']: { values: { listType: 'set' } },
  ['io.k8s.api.batch.v1.SuccessPolicy']: { rules: atomic },
  ['io.k8s.api.policy.v1.PodDisruptionBudgetStatus']: { conditions: byType },
  ['io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec']: { metrics: atomic },
  ['io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus']: { conditions: byType, currentMetrics: atomic },
  ['io.k8s.api.autoscaling.v2.HPAScalingRules']: { policies: atomic },
  ['io.k8s.api.networking.v1.IngressSpec']: { rules: atomic, tls: atomic },
  ['io.k8s.api.networking.v1.HTTPIngressRuleValue']: { paths: atomic },
  ['io.k8s.api.networking.v1.IngressTLS']: { hosts: atomic },
  ['io.k8s.api.networking.v1.IngressLoadBalancerStatus']: { ingress: atomic },
  ['io.k8s.api.discovery.v1.EndpointSlice']: { endpoints: atomic, ports: atomic },
  ['io.k8s.api.discovery.v1.Endpoint']: { addresses: { listType: 'set' } },
  ['io.k8s.api.rbac.v1.Role']: { rules: atomic },
  ['io.k8s.api.rbac.v1.ClusterRole']: { rules: atomic },
  ['io.k8s.api.rbac.v1.RoleBinding']: { subjects: atomic },
  ['io.k8s.api.rbac.v1.ClusterRoleBinding']: { subjects: atomic },
  ['io.k8s.api.rbac.v1.PolicyRule']: { verbs: atomic, apiGroups: atomic, resources: atomic, resourceNames: atomic, nonResourceURLs: atomic },
  ['io.k8s.api.rbac.v1.AggregationRule']: { clusterRoleSelectors: atomic },
  ['io.k8s.api.storage.v1.StorageClass']: { mountOptions: atomic, allowedTopologies: atomic },
};

/** Patch metadata of one field (`type` is a schema type name), or undefined. */
export function patchMeta(type: string, field: string): PatchMeta | undefined {
  return PATCH_META[type]?.[field];
}

/** Metadata that applies to the whole type (`structType`), or undefined. */
export function typePatchMeta(type: string): PatchMeta | undefined {
  return PATCH_META[type]?._;
}
