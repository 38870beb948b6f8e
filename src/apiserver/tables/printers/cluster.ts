/**
 * Columns of the kinds outside core, apps and batch: networking, discovery, coordination, autoscaling,
 * policy, storage, RBAC and scheduling, as upstream's printers define them.
 */
import type {
  EndpointSlice, HorizontalPodAutoscaler, Ingress, IngressClass, KubeObject, Lease, PodDisruptionBudget, PriorityClass, StorageClass,
} from '../../../api/types.js';
import { age, AGE_COLUMN, col, NAME_COLUMN, registerPrinter } from '../table.js';
import { selectorCell } from './format.js';

const name = (o: KubeObject) => o.metadata?.name ?? '';
const created = (o: KubeObject, now: Date) => age(o.metadata?.creationTimestamp, now);

registerPrinter('networking.k8s.io', 'Ingress', {
  columns: [NAME_COLUMN, col('Class'), col('Hosts'), col('Address'), col('Ports'), AGE_COLUMN],
  cells: (o, now) => {
    const ing = o as Ingress;
    const hosts = (ing.spec?.rules ?? []).map((r) => r.host).filter(Boolean);
    const addrs = (ing.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname).filter(Boolean);
    const ports = ing.spec?.tls?.length ? '80, 443' : '80';
    return [name(o), ing.spec?.ingressClassName ?? '<none>', hosts.length ? hosts.join(',') : '*', addrs.join(','), ports, created(o, now)];
  },
});

registerPrinter('networking.k8s.io', 'IngressClass', {
  columns: [NAME_COLUMN, col('Controller'), col('Parameters'), AGE_COLUMN],
  cells: (o, now) => {
    const ic = o as IngressClass;
    const p = ic.spec?.parameters;
    const params = p ? `${p.kind}.${p.apiGroup ?? ''}/${p.name}` : '<none>';
    return [name(o), ic.spec?.controller ?? '', params, created(o, now)];
  },
});

registerPrinter('networking.k8s.io', 'NetworkPolicy', {
  columns: [NAME_COLUMN, col('Pod-Selector'), AGE_COLUMN],
  cells: (o, now) => {
    const s = selectorCell((o as { spec?: { podSelector?: never } }).spec?.podSelector);
    return [name(o), s === '<none>' ? '<none>' : s, created(o, now)];
  },
});

registerPrinter('discovery.k8s.io', 'EndpointSlice', {
  columns: [NAME_COLUMN, col('AddressType'), col('Ports'), col('Endpoints'), AGE_COLUMN],
  cells: (o, now) => {
    const s = o as EndpointSlice;
    const ports = (s.ports ?? []).map((p) => String(p.port ?? '')).filter(Boolean);
    const addrs = (s.endpoints ?? []).flatMap((e) => e.addresses);
    const shown = addrs.slice(0, 3).join(',');
    return [name(o), s.addressType, ports.length ? ports.join(',') : '<unset>', addrs.length ? (addrs.length > 3 ? `${shown} + ${addrs.length - 3} more...` : shown) : '<unset>', created(o, now)];
  },
});

registerPrinter('coordination.k8s.io', 'Lease', {
  columns: [NAME_COLUMN, col('Holder'), AGE_COLUMN],
  cells: (o, now) => [name(o), (o as Lease).spec?.holderIdentity ?? '', created(o, now)],
});

function hpaTargets(h: HorizontalPodAutoscaler): string {
  // autoscaling/v1 objects carry only the CPU target.
  const v1 = h.spec as { targetCPUUtilizationPercentage?: number } | undefined;
  if (v1?.targetCPUUtilizationPercentage !== undefined) {
    const cur = (h.status as { currentCPUUtilizationPercentage?: number } | undefined)?.currentCPUUtilizationPercentage;
    return `cpu: ${cur !== undefined ? `${cur}%` : '<unknown>'}/${v1.targetCPUUtilizationPercentage}%`;
  }
  const metrics = h.spec?.metrics ?? [];
  if (!metrics.length) return '<none>';
  const current = h.status?.currentMetrics ?? [];
  const parts = metrics.map((m, i) => {
    if (m.type === 'Resource' && m.resource) {
      const cur = current[i]?.resource?.current;
      const t = m.resource.target;
      if (t.averageUtilization !== undefined) return `${m.resource.name}: ${cur?.averageUtilization !== undefined ? `${cur.averageUtilization}%` : '<unknown>'}/${t.averageUtilization}%`;
      return `${m.resource.name}: ${cur?.averageValue ?? '<unknown>'}/${t.averageValue ?? t.value ?? ''}`;
    }
    return `<unknown>/${m.type}`;
  });
  return parts.length > 2 ? `${parts.slice(0, 2).join(', ')} + ${parts.length - 2} more...` : parts.join(', ');
}

registerPrinter('autoscaling', 'HorizontalPodAutoscaler', {
  columns: [NAME_COLUMN, col('Reference'), col('Targets'), col('MinPods', '', { type: 'integer' }), col('MaxPods', '', { type: 'integer' }), col('Replicas', '', { type: 'integer' }), AGE_COLUMN],
  cells: (o, now) => {
    const h = o as HorizontalPodAutoscaler;
    const ref = h.spec?.scaleTargetRef;
    return [name(o), ref ? `${ref.kind}/${ref.name}` : '', hpaTargets(h), h.spec?.minReplicas ?? 1, h.spec?.maxReplicas ?? 0, h.status?.currentReplicas ?? 0, created(o, now)];
  },
});

registerPrinter('policy', 'PodDisruptionBudget', {
  columns: [NAME_COLUMN, col('Min Available'), col('Max Unavailable'), col('Allowed Disruptions', '', { type: 'integer' }), AGE_COLUMN],
  cells: (o, now) => {
    const p = o as PodDisruptionBudget;
    return [name(o), p.spec?.minAvailable !== undefined ? String(p.spec.minAvailable) : 'N/A', p.spec?.maxUnavailable !== undefined ? String(p.spec.maxUnavailable) : 'N/A',
      p.status?.disruptionsAllowed ?? 0, created(o, now)];
  },
});

registerPrinter('storage.k8s.io', 'StorageClass', {
  columns: [NAME_COLUMN, col('Provisioner'), col('ReclaimPolicy'), col('VolumeBindingMode'), col('AllowVolumeExpansion', '', { type: 'boolean' }), AGE_COLUMN],
  cells: (o, now) => {
    const sc = o as StorageClass;
    const def = o.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true';
    return [def ? `${name(o)} (default)` : name(o), sc.provisioner, sc.reclaimPolicy ?? 'Delete', sc.volumeBindingMode ?? 'Immediate', Boolean(sc.allowVolumeExpansion), created(o, now)];
  },
});

registerPrinter('scheduling.k8s.io', 'PriorityClass', {
  columns: [NAME_COLUMN, col('Value', '', { type: 'integer' }), col('Global-Default', '', { type: 'boolean' }), AGE_COLUMN, col('PreemptionPolicy')],
  cells: (o, now) => {
    const pc = o as PriorityClass;
    return [name(o), pc.value, Boolean(pc.globalDefault), created(o, now), pc.preemptionPolicy ?? 'PreemptLowerPriority'];
  },
});

const createdAt = { columns: [NAME_COLUMN, col('Created At', '', { type: 'date' as const })], cells: (o: KubeObject) => [name(o), o.metadata?.creationTimestamp ?? ''] };
registerPrinter('rbac.authorization.k8s.io', 'Role', createdAt);
registerPrinter('rbac.authorization.k8s.io', 'ClusterRole', createdAt);

interface Binding { roleRef?: { kind?: string; name?: string }; subjects?: { kind: string; name: string; namespace?: string }[] }
const bindingPrinter = {
  columns: [NAME_COLUMN, col('Role'), AGE_COLUMN, col('Users', '', { priority: 1 }), col('Groups', '', { priority: 1 }), col('ServiceAccounts', '', { priority: 1 })],
  cells: (o: KubeObject, now: Date) => {
    const b = o as Binding;
    const of = (k: string) => (b.subjects ?? []).filter((s) => s.kind === k).map((s) => (k === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name)).join(', ');
    return [name(o), `${b.roleRef?.kind}/${b.roleRef?.name}`, created(o, now), of('User'), of('Group'), of('ServiceAccount')];
  },
};
registerPrinter('rbac.authorization.k8s.io', 'RoleBinding', bindingPrinter);
registerPrinter('rbac.authorization.k8s.io', 'ClusterRoleBinding', bindingPrinter);

interface CSIDriver { spec?: { attachRequired?: boolean; podInfoOnMount?: boolean; storageCapacity?: boolean; tokenRequests?: unknown[]; requiresRepublish?: boolean; volumeLifecycleModes?: string[] } }
registerPrinter('storage.k8s.io', 'CSIDriver', {
  columns: [NAME_COLUMN, col('AttachRequired', '', { type: 'boolean' }), col('PodInfoOnMount', '', { type: 'boolean' }), col('StorageCapacity', '', { type: 'boolean' }),
    col('TokenRequests'), col('RequiresRepublish', '', { type: 'boolean' }), col('Modes'), AGE_COLUMN],
  cells: (o, now) => {
    const s = (o as CSIDriver).spec ?? {};
    return [name(o), s.attachRequired ?? true, Boolean(s.podInfoOnMount), Boolean(s.storageCapacity), s.tokenRequests?.length ? String(s.tokenRequests.length) : '<unset>',
      Boolean(s.requiresRepublish), (s.volumeLifecycleModes ?? ['Persistent']).join(','), created(o, now)];
  },
});

registerPrinter('storage.k8s.io', 'CSINode', {
  columns: [NAME_COLUMN, col('Drivers', '', { type: 'integer' }), AGE_COLUMN],
  cells: (o, now) => [name(o), ((o as { spec?: { drivers?: unknown[] } }).spec?.drivers ?? []).length, created(o, now)],
});

interface VolumeAttachment { spec?: { attacher?: string; nodeName?: string; source?: { persistentVolumeName?: string } }; status?: { attached?: boolean } }
registerPrinter('storage.k8s.io', 'VolumeAttachment', {
  columns: [NAME_COLUMN, col('Attacher'), col('PV'), col('Node'), col('Attached', '', { type: 'boolean' }), AGE_COLUMN],
  cells: (o, now) => {
    const v = o as VolumeAttachment;
    return [name(o), v.spec?.attacher ?? '', v.spec?.source?.persistentVolumeName ?? '', v.spec?.nodeName ?? '', Boolean(v.status?.attached), created(o, now)];
  },
});
