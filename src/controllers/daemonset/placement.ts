/**
 * Where a DaemonSet's pods belong (upstream `daemon_controller.go` `NodeShouldRunDaemonPod`): every
 * node that matches the template's nodeSelector and required node affinity (label terms), and whose
 * NoSchedule/NoExecute taints the pod tolerates — with the tolerations upstream adds to every daemon pod.
 */
import type { Node, Pod, PodSpec } from '../../api/types.js';
import { tolerates } from '../nodelifecycle/taint-eviction.js';

type Toleration = NonNullable<PodSpec['tolerations']>[number];
type Requirement = { key: string; operator: string; values?: string[] };

/** Tolerations every daemon pod gets (upstream `AddOrUpdateDaemonPodTolerations`). */
export const DAEMON_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

export function withDaemonTolerations(spec: PodSpec): Toleration[] {
  const out = [...(spec.tolerations ?? [])];
  for (const t of DAEMON_TOLERATIONS) if (!out.some((x) => x.key === t.key && x.effect === t.effect)) out.push(t);
  return out;
}

function matchesRequirement(labels: Record<string, string>, r: Requirement): boolean {
  const v = labels[r.key];
  switch (r.operator) {
    case 'In': return v !== undefined && (r.values ?? []).includes(v);
    case 'NotIn': return v === undefined || !(r.values ?? []).includes(v);
    case 'Exists': return v !== undefined;
    case 'DoesNotExist': return v === undefined;
    case 'Gt': return v !== undefined && Number(v) > Number(r.values?.[0]);
    case 'Lt': return v !== undefined && Number(v) < Number(r.values?.[0]);
    default: return false;
  }
}

export function nodeShouldRunDaemonPod(node: Node, spec: PodSpec): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms?.length) {
    const fits = terms.some((t) => (t.matchExpressions ?? []).every((r) => matchesRequirement(labels, r as Requirement))
      && (t.matchFields ?? []).every((r) => matchesRequirement({ 'metadata.name': node.metadata?.name ?? '' }, r as Requirement)));
    if (!fits) return false;
  }
  const tolerations = withDaemonTolerations(spec);
  return (node.spec?.taints ?? []).every((taint) => taint.effect === 'PreferNoSchedule' || tolerations.some((t) => tolerates(t, taint)));
}

/** Pins a daemon pod to its node the way upstream does: a required node affinity on metadata.name. */
export function pinToNode(pod: Pod, nodeName: string): void {
  const spec = pod.spec!;
  spec.affinity = {
    ...spec.affinity,
    nodeAffinity: {
      ...spec.affinity?.nodeAffinity,
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] },
    },
  };
  spec.tolerations = withDaemonTolerations(spec);
}
