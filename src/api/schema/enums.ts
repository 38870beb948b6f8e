/**
 * The closed sets of values upstream publishes (`+enum` string types) for fields of the served types.
 * The OpenAPI documents list them as `enum`, which `kubectl explain` prints; validation may use them.
 */
const core = (t: string) => `io.k8s.api.core.v1.${t}`;

const PROTOCOL = ['SCTP', 'TCP', 'UDP'];
const TAINT_EFFECT = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];
const PROFILE_TYPE = ['Localhost', 'RuntimeDefault', 'Unconfined'];
const PULL_POLICY = ['Always', 'IfNotPresent', 'Never'];
const UPDATE_STRATEGY = ['OnDelete', 'RollingUpdate'];
const HONOR = ['Honor', 'Ignore'];

/** `type name → field name → allowed values`. */
export const ENUMS: Record<string, Record<string, readonly string[]>> = {
  [core('Container')]: { imagePullPolicy: PULL_POLICY, terminationMessagePolicy: ['FallbackToLogsOnError', 'File'] },
  [core('EphemeralContainerCommon')]: { imagePullPolicy: PULL_POLICY, terminationMessagePolicy: ['FallbackToLogsOnError', 'File'] },
  [core('ImageVolumeSource')]: { pullPolicy: PULL_POLICY },
  [core('PodSpec')]: {
    restartPolicy: ['Always', 'Never', 'OnFailure'],
    dnsPolicy: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
    preemptionPolicy: ['Never', 'PreemptLowerPriority'],
  },
  [core('PodStatus')]: { phase: ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'], qosClass: ['BestEffort', 'Burstable', 'Guaranteed'] },
  [core('ContainerPort')]: { protocol: PROTOCOL },
  [core('ServicePort')]: { protocol: PROTOCOL },
  [core('EndpointPort')]: { protocol: PROTOCOL },
  [core('ServiceSpec')]: {
    type: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'],
    sessionAffinity: ['ClientIP', 'None'],
    externalTrafficPolicy: ['Cluster', 'Local'],
    internalTrafficPolicy: ['Cluster', 'Local'],
    ipFamilyPolicy: ['PreferDualStack', 'RequireDualStack', 'SingleStack'],
  },
  [core('Toleration')]: { operator: ['Equal', 'Exists'], effect: TAINT_EFFECT },
  [core('Taint')]: { effect: TAINT_EFFECT },
  [core('HTTPGetAction')]: { scheme: ['HTTP', 'HTTPS'] },
  [core('NamespaceStatus')]: { phase: ['Active', 'Terminating'] },
  [core('HostPathVolumeSource')]: { type: ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'] },
  [core('PersistentVolumeSpec')]: { persistentVolumeReclaimPolicy: ['Delete', 'Recycle', 'Retain'], volumeMode: ['Block', 'Filesystem'] },
  [core('PersistentVolumeClaimSpec')]: { volumeMode: ['Block', 'Filesystem'] },
  [core('PersistentVolumeClaimStatus')]: { phase: ['Bound', 'Lost', 'Pending'] },
  [core('PersistentVolumeStatus')]: { phase: ['Available', 'Bound', 'Failed', 'Pending', 'Released'] },
  [core('NodeStatus')]: { phase: ['Pending', 'Running', 'Terminated'] },
  [core('SeccompProfile')]: { type: PROFILE_TYPE },
  [core('AppArmorProfile')]: { type: PROFILE_TYPE },
  [core('VolumeMount')]: { mountPropagation: ['Bidirectional', 'HostToContainer', 'None'] },
  [core('TopologySpreadConstraint')]: { whenUnsatisfiable: ['DoNotSchedule', 'ScheduleAnyway'], nodeAffinityPolicy: HONOR, nodeTaintsPolicy: HONOR },
  [core('PodSecurityContext')]: { fsGroupChangePolicy: ['Always', 'OnRootMismatch'] },
  [core('NodeSelectorRequirement')]: { operator: ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'] },
  ['io.k8s.api.apps.v1.DeploymentStrategy']: { type: ['Recreate', 'RollingUpdate'] },
  ['io.k8s.api.apps.v1.StatefulSetSpec']: { podManagementPolicy: ['OrderedReady', 'Parallel'] },
  ['io.k8s.api.apps.v1.StatefulSetUpdateStrategy']: { type: UPDATE_STRATEGY },
  ['io.k8s.api.apps.v1.DaemonSetUpdateStrategy']: { type: UPDATE_STRATEGY },
  ['io.k8s.api.batch.v1.CronJobSpec']: { concurrencyPolicy: ['Allow', 'Forbid', 'Replace'] },
  ['io.k8s.api.batch.v1.JobSpec']: { completionMode: ['Indexed', 'NonIndexed'], podReplacementPolicy: ['Failed', 'TerminatingOrFailed'] },
  ['io.k8s.api.networking.v1.HTTPIngressPath']: { pathType: ['Exact', 'ImplementationSpecific', 'Prefix'] },
  ['io.k8s.api.policy.v1.PodDisruptionBudgetSpec']: { unhealthyPodEvictionPolicy: ['AlwaysAllow', 'IfHealthyBudget'] },
};

/** Allowed values of a field, or undefined when the field is open. */
export function enumValues(type: string, field: string): readonly string[] | undefined {
  return ENUMS[type]?.[field];
}
