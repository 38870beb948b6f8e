/** Columns of the core/v1 kinds other than pods, as upstream's printers define them. */
import type {
  ConfigMap, Endpoints, Event, KubeObject, LimitRange, Namespace, Node, PersistentVolume, PersistentVolumeClaim,
  ReplicationController, ResourceQuota, Secret, Service, ServiceAccount,
} from '../../../api/types.js';
import { age, AGE_COLUMN, col, NAME_COLUMN, type Printer, registerPrinter } from '../table.js';
import { eventToCore } from '../../registry/conversions/events.js';
import { containerCells, labelsCell } from './format.js';

const name = (o: KubeObject) => o.metadata?.name ?? '';
const created = (o: KubeObject, now: Date) => age(o.metadata?.creationTimestamp, now);

registerPrinter('', 'Namespace', {
  columns: [NAME_COLUMN, col('Status', 'The status of the namespace'), AGE_COLUMN],
  cells: (o, now) => [name(o), (o as Namespace).status?.phase ?? '', created(o, now)],
});

registerPrinter('', 'ConfigMap', {
  columns: [NAME_COLUMN, col('Data', 'Data contains the configuration data.', { type: 'integer' }), AGE_COLUMN],
  cells: (o, now) => {
    const c = o as ConfigMap;
    return [name(o), Object.keys(c.data ?? {}).length + Object.keys(c.binaryData ?? {}).length, created(o, now)];
  },
});

registerPrinter('', 'Secret', {
  columns: [NAME_COLUMN, col('Type', 'The type of the secret'), col('Data', 'The number of entries in the secret', { type: 'integer' }), AGE_COLUMN],
  cells: (o, now) => [name(o), (o as Secret).type ?? '', Object.keys((o as Secret).data ?? {}).length, created(o, now)],
});

registerPrinter('', 'ServiceAccount', {
  columns: [NAME_COLUMN, col('Secrets', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.', { type: 'integer' }), AGE_COLUMN],
  cells: (o, now) => [name(o), ((o as ServiceAccount).secrets ?? []).length, created(o, now)],
});

/** EXTERNAL-IP of a Service, as upstream's getServiceExternalIP. */
function serviceExternalIP(svc: Service): string {
  const spec = svc.spec ?? {};
  const external = spec.externalIPs ?? [];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean);
      const all = [...lb, ...external];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function servicePorts(svc: Service): string {
  const ports = svc.spec?.ports ?? [];
  if (!ports.length) return '<none>';
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

registerPrinter('', 'Service', {
  columns: [
    NAME_COLUMN,
    col('Type', 'type determines how the Service is exposed.'),
    col('Cluster-IP', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    col('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    col('Port(s)', 'The list of ports that are exposed by this service.'),
    AGE_COLUMN,
    col('Selector', 'Route service traffic to pods with label keys and values matching this selector.', { priority: 1 }),
  ],
  cells: (o, now) => {
    const s = o as Service;
    return [name(o), s.spec?.type ?? 'ClusterIP', s.spec?.clusterIP || '<none>', serviceExternalIP(s), servicePorts(s), created(o, now), labelsCell(s.spec?.selector)];
  },
});

function nodeRoles(n: Node): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(n.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

function nodeStatus(n: Node): string {
  const status: string[] = [];
  const ready = (n.status?.conditions ?? []).find((c) => c.type === 'Ready');
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (!status.length) status.push('Unknown');
  if (n.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

function nodeAddress(n: Node, type: string): string {
  return (n.status?.addresses ?? []).find((a) => a.type === type)?.address ?? '<none>';
}

registerPrinter('', 'Node', {
  columns: [
    NAME_COLUMN,
    col('Status', 'The status of the node'),
    col('Roles', 'The roles of the node'),
    AGE_COLUMN,
    col('Version', 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'List of addresses reachable to the node. Queried from cloud provider, if available.', { priority: 1 }),
    col('External-IP', 'List of addresses reachable to the node. Queried from cloud provider, if available.', { priority: 1 }),
    col('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', { priority: 1 }),
    col('Kernel-Version', 'Kernel Version reported by the node from \'uname -r\' (e.g. 3.16.0-0.bpo.4-amd64).', { priority: 1 }),
    col('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', { priority: 1 }),
  ],
  cells: (o, now) => {
    const n = o as Node;
    const info = n.status?.nodeInfo;
    return [name(o), nodeStatus(n), nodeRoles(n), created(o, now), info?.kubeletVersion ?? '', nodeAddress(n, 'InternalIP'),
      nodeAddress(n, 'ExternalIP'), info?.osImage || '<unknown>', info?.kernelVersion || '<unknown>', info?.containerRuntimeVersion || '<unknown>'];
  },
});

/** `formatEndpoints`: up to three `ip:port` pairs, then ` + N more...`. */
function endpointsCell(ep: Endpoints): string {
  const all: string[] = [];
  let count = 0;
  for (const s of ep.subsets ?? []) {
    const addrs = s.addresses ?? [];
    const ports = s.ports ?? [];
    for (const p of ports.length ? ports : [undefined]) {
      for (const a of addrs) {
        count++;
        if (all.length < 3) all.push(p ? `${a.ip}:${p.port}` : a.ip);
      }
    }
  }
  if (!count) return '<none>';
  return count > all.length ? `${all.join(',')} + ${count - all.length} more...` : all.join(',');
}

registerPrinter('', 'Endpoints', {
  columns: [NAME_COLUMN, col('Endpoints', 'Endpoints is the list of endpoints in the service.'), AGE_COLUMN],
  cells: (o, now) => [name(o), endpointsCell(o as Endpoints), created(o, now)],
});

function eventSource(e: Event): string {
  const component = e.source?.component || e.reportingComponent || '';
  const host = e.source?.host || e.reportingInstance || '';
  if (!component && !host) return '';
  return host ? `${component}, ${host}` : component;
}

const EVENT_PRINTER: Printer = {
  columns: [
    col('Last Seen', 'The time of the latest occurrence of the event.'),
    col('Type', 'Type of this event (Normal, Warning), new types could be added in the future.'),
    col('Reason', 'Reason of the event.'),
    col('Object', 'The object that this event is about.'),
    col('Subobject', 'The subobject (field path) that this event is about.', { priority: 1 }),
    col('Source', 'The component reporting this event.', { priority: 1 }),
    col('Message', 'A human-readable description of the status of this operation.'),
    col('First Seen', 'The time at which the event was first recorded.', { priority: 1 }),
    col('Count', 'The number of times this event has occurred.', { priority: 1, type: 'integer' }),
    { ...NAME_COLUMN, priority: 1 },
  ],
  cells: (o, now) => {
    const e = o as Event;
    let first = age(e.firstTimestamp, now);
    if (!e.firstTimestamp) first = age(e.eventTime, now);
    let last = e.lastTimestamp ? age(e.lastTimestamp, now) : first;
    let count = e.count ?? 0;
    if (e.series) {
      last = age(e.series.lastObservedTime, now);
      count = e.series.count ?? 0;
    } else if (count === 0) count = 1;
    const io = e.involvedObject ?? {};
    const target = io.name ? `${(io.kind ?? '').toLowerCase()}/${io.name}` : (io.kind ?? '').toLowerCase();
    return [last, e.type ?? '', e.reason ?? '', target, io.fieldPath ?? '', eventSource(e), (e.message ?? '').trim(), first, count, name(o)];
  },
};
registerPrinter('', 'Event', EVENT_PRINTER);

/** events.k8s.io/v1 Events print as core Events do (upstream prints both from the internal type). */
registerPrinter('events.k8s.io', 'Event', {
  columns: EVENT_PRINTER.columns,
  cells: (o, now) => EVENT_PRINTER.cells(eventToCore(o), now),
});

registerPrinter('', 'ReplicationController', {
  columns: [
    NAME_COLUMN,
    col('Desired', 'Replicas is the number of desired replicas.', { type: 'integer' }),
    col('Current', 'Replicas is the most recently observed number of replicas.', { type: 'integer' }),
    col('Ready', 'The number of ready replicas for this replication controller.', { type: 'integer' }),
    AGE_COLUMN,
    col('Containers', 'Names of each container in the template.', { priority: 1 }),
    col('Images', 'Images referenced by each container in the template.', { priority: 1 }),
    col('Selector', 'Selector is a label query over pods that should match the Replicas count.', { priority: 1 }),
  ],
  cells: (o, now) => {
    const rc = o as ReplicationController;
    const [c, i] = containerCells(rc.spec?.template?.spec);
    return [name(o), rc.spec?.replicas ?? 1, rc.status?.replicas ?? 0, rc.status?.readyReplicas ?? 0, created(o, now), c, i, labelsCell(rc.spec?.selector)];
  },
});

const accessModeShort: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };
const modes = (m: string[] | undefined) => (m ?? []).map((x) => accessModeShort[x] ?? x).join(',');

registerPrinter('', 'PersistentVolume', {
  columns: [
    NAME_COLUMN, col('Capacity'), col('Access Modes'), col('Reclaim Policy'), col('Status'), col('Claim'), col('StorageClass'),
    col('VolumeAttributesClass'), col('Reason'), AGE_COLUMN, col('VolumeMode', '', { priority: 1 }),
  ],
  cells: (o, now) => {
    const pv = o as PersistentVolume;
    const ref = pv.spec?.claimRef;
    return [name(o), pv.spec?.capacity?.storage ?? '', modes(pv.spec?.accessModes), pv.spec?.persistentVolumeReclaimPolicy ?? '',
      pv.status?.phase ?? '', ref ? `${ref.namespace}/${ref.name}` : '', pv.spec?.storageClassName ?? '',
      pv.spec?.volumeAttributesClassName || '<unset>', pv.status?.reason ?? '', created(o, now), pv.spec?.volumeMode ?? 'Filesystem'];
  },
});

registerPrinter('', 'PersistentVolumeClaim', {
  columns: [
    NAME_COLUMN, col('Status'), col('Volume'), col('Capacity'), col('Access Modes'), col('StorageClass'), col('VolumeAttributesClass'),
    AGE_COLUMN, col('VolumeMode', '', { priority: 1 }),
  ],
  cells: (o, now) => {
    const pvc = o as PersistentVolumeClaim;
    const bound = Boolean(pvc.spec?.volumeName);
    return [name(o), pvc.status?.phase ?? '', pvc.spec?.volumeName ?? '', bound ? pvc.status?.capacity?.storage ?? '' : '',
      bound ? modes(pvc.status?.accessModes) : '', pvc.spec?.storageClassName ?? '', pvc.spec?.volumeAttributesClassName || '<unset>',
      created(o, now), pvc.spec?.volumeMode ?? 'Filesystem'];
  },
});

registerPrinter('', 'LimitRange', {
  columns: [NAME_COLUMN, col('Created At', '', { type: 'date' })],
  cells: (o) => [name(o), (o as LimitRange).metadata?.creationTimestamp ?? ''],
});

registerPrinter('', 'ResourceQuota', {
  columns: [NAME_COLUMN, AGE_COLUMN, col('Request'), col('Limit')],
  cells: (o, now) => {
    const q = o as ResourceQuota;
    const hard = q.status?.hard ?? q.spec?.hard ?? {};
    const used = q.status?.used ?? {};
    const req: string[] = [];
    const lim: string[] = [];
    for (const k of Object.keys(hard).sort()) {
      const cell = `${k}: ${used[k] ?? '0'}/${hard[k]}`;
      if (k.startsWith('limits.')) lim.push(cell);
      else req.push(cell);
    }
    return [name(o), created(o, now), req.join(', '), lim.join(', ')];
  },
});

registerPrinter('', 'PodTemplate', {
  columns: [NAME_COLUMN, col('Containers'), col('Images'), col('Pod Labels')],
  cells: (o) => {
    const t = (o as { template?: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: { name: string; image?: string }[] } } }).template;
    const [c, i] = containerCells(t?.spec);
    return [name(o), c, i, labelsCell(t?.metadata?.labels)];
  },
});

