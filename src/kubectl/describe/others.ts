/** `kubectl describe` for services, deployments, nodes, and a generic layout for other kinds. */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { describePodTemplate } from './pod.js';
import { age, annotationsMultiline, describeEvents, labelsMultiline, rfc1123z, type DescribeWriter, type EventLike } from './writer.js';

type Obj = Record<string, any>;

function selectorText(sel: Record<string, string> | undefined): string {
  const keys = Object.keys(sel ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${sel![k]}`).join(',') : '<none>';
}

/** metav1.FormatLabelSelector. */
export function formatLabelSelector(sel: Obj | undefined): string {
  if (!sel) return '<none>';
  const parts = Object.keys(sel.matchLabels ?? {}).sort().map((k) => `${k}=${sel.matchLabels[k]}`);
  for (const e of sel.matchExpressions ?? []) {
    const vals = [...(e.values ?? [])].sort().join(',');
    switch (e.operator) {
      case 'In': parts.push(`${e.key} in (${vals})`); break;
      case 'NotIn': parts.push(`${e.key} notin (${vals})`); break;
      case 'Exists': parts.push(e.key); break;
      case 'DoesNotExist': parts.push(`!${e.key}`); break;
    }
  }
  return parts.length ? parts.join(',') : '<none>';
}

export function describeService(svc: Obj, endpoints: Obj | undefined, events: EventLike[] | undefined, w: DescribeWriter, now: Date): void {
  const m = svc.metadata ?? {};
  const spec = svc.spec ?? {};
  w.write(0, `Name:\t${m.name}\n`);
  w.write(0, `Namespace:\t${m.namespace}\n`);
  labelsMultiline(w, 'Labels', m.labels);
  annotationsMultiline(w, 'Annotations', m.annotations);
  w.write(0, `Selector:\t${selectorText(spec.selector)}\n`);
  w.write(0, `Type:\t${spec.type ?? ''}\n`);
  if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  if (spec.ipFamilies?.length) w.write(0, `IP Families:\t${spec.ipFamilies.join(',')}\n`);
  else w.write(0, 'IP Families:\t<none>\n');
  w.write(0, `IP:\t${spec.clusterIP ?? ''}\n`);
  if (spec.clusterIPs?.length) w.write(0, `IPs:\t${spec.clusterIPs.join(',')}\n`);
  else w.write(0, 'IPs:\t<none>\n');
  if (spec.externalIPs?.length) w.write(0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
  if (spec.loadBalancerIP) w.write(0, `IP:\t${spec.loadBalancerIP}\n`);
  if (spec.externalName) w.write(0, `External Name:\t${spec.externalName}\n`);
  const ingress: Obj[] = svc.status?.loadBalancer?.ingress ?? [];
  if (ingress.length) w.write(0, `LoadBalancer Ingress:\t${ingress.map((i) => i.ip || i.hostname).join(', ')}\n`);
  for (const p of spec.ports ?? []) {
    const name = p.name || '<unset>';
    w.write(0, `Port:\t${name}  ${p.port}/${p.protocol ?? 'TCP'}\n`);
    const tp = p.targetPort ?? p.port;
    w.write(0, `TargetPort:\t${tp}/${p.protocol ?? 'TCP'}\n`);
    if (p.nodePort) w.write(0, `NodePort:\t${name}  ${p.nodePort}/${p.protocol ?? 'TCP'}\n`);
    w.write(0, `Endpoints:\t${endpointsText(endpoints, p)}\n`);
  }
  w.write(0, `Session Affinity:\t${spec.sessionAffinity ?? 'None'}\n`);
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) w.write(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  if (spec.internalTrafficPolicy) w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  describeEvents(w, events, now);
}

function endpointsText(ep: Obj | undefined, port: Obj): string {
  const list: string[] = [];
  for (const subset of ep?.subsets ?? []) {
    for (const p of subset.ports ?? []) {
      if ((p.name ?? '') !== (port.name ?? '') && (subset.ports ?? []).length > 1) continue;
      for (const a of subset.addresses ?? []) list.push(`${a.ip}:${p.port}`);
    }
  }
  if (list.length === 0) return '<none>';
  return list.length > 3 ? `${list.slice(0, 3).join(',')} + ${list.length - 3} more...` : list.join(',');
}

export function describeDeployment(d: Obj, rsList: Obj[] | undefined, events: EventLike[] | undefined, w: DescribeWriter, now: Date): void {
  const m = d.metadata ?? {};
  const spec = d.spec ?? {};
  const st = d.status ?? {};
  w.write(0, `Name:\t${m.name}\n`);
  w.write(0, `Namespace:\t${m.namespace}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(m.creationTimestamp)}\n`);
  labelsMultiline(w, 'Labels', m.labels);
  annotationsMultiline(w, 'Annotations', m.annotations);
  w.write(0, `Selector:\t${formatLabelSelector(spec.selector)}\n`);
  w.write(0, `Replicas:\t${spec.replicas ?? 1} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`);
  w.write(0, `StrategyType:\t${spec.strategy?.type ?? ''}\n`);
  w.write(0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`);
  const ru = spec.strategy?.rollingUpdate;
  if (ru) w.write(0, `RollingUpdateStrategy:\t${ru.maxUnavailable ?? ''} max unavailable, ${ru.maxSurge ?? ''} max surge\n`);
  describePodTemplate(w, spec.template);
  const conds: Obj[] = st.conditions ?? [];
  if (conds.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of conds) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  if (rsList) describeReplicaSets(w, d, rsList);
  describeEvents(w, events, now);
}

function describeReplicaSets(w: DescribeWriter, d: Obj, rsList: Obj[]): void {
  const m = d.metadata ?? {};
  const spec = d.spec ?? {};
  const owned = rsList.filter((rs) => (rs.metadata?.ownerReferences ?? []).some((o: Obj) => o.controller && o.uid === m.uid));
  const hash = (rs: Obj) => rs.metadata?.labels?.['pod-template-hash'];
  const templateHash = owned.find((rs) => JSON.stringify(stripHash(rs.spec?.template)) === JSON.stringify(stripHash(spec.template)));
  const text = (rs: Obj) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`;
  const old = owned.filter((rs) => rs !== templateHash && ((rs.spec?.replicas ?? 0) > 0 || (rs.status?.replicas ?? 0) > 0));
  w.write(0, `OldReplicaSets:\t${old.length ? old.map(text).join(', ') : '<none>'}\n`);
  w.write(0, `NewReplicaSet:\t${templateHash ? text(templateHash) : '<none>'}\n`);
  void hash;
}

export function describeNamespace(ns: Obj, quotas: Obj[], limits: Obj[], w: DescribeWriter): void {
  const m = ns.metadata ?? {};
  w.write(0, `Name:\t${m.name}\n`);
  labelsMultiline(w, 'Labels', m.labels);
  annotationsMultiline(w, 'Annotations', m.annotations);
  w.write(0, `Status:\t${ns.status?.phase ?? ''}\n`);
  if (quotas.length === 0) w.write(0, '\nNo resource quota.\n');
  else for (const q of quotas) {
    w.write(0, `\nResource Quotas\n`);
    w.write(1, `Name:\t${q.metadata.name}\n`);
    w.write(1, 'Resource\tUsed\tHard\n');
    w.write(1, '--------\t---\t---\n');
    const hard = q.status?.hard ?? q.spec?.hard ?? {};
    for (const k of Object.keys(hard).sort()) w.write(1, `${k}\t${q.status?.used?.[k] ?? '0'}\t${hard[k]}\n`);
  }
  if (limits.length === 0) w.write(0, '\nNo LimitRange resource.\n');
  else for (const l of limits) {
    w.write(0, '\nResource Limits\n');
    w.write(1, 'Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
    w.write(1, '----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
    for (const item of l.spec?.limits ?? []) {
      const keys = new Set([...Object.keys(item.min ?? {}), ...Object.keys(item.max ?? {}), ...Object.keys(item.default ?? {}), ...Object.keys(item.defaultRequest ?? {})]);
      for (const k of [...keys].sort()) w.write(1, `${item.type}\t${k}\t${item.min?.[k] ?? '-'}\t${item.max?.[k] ?? '-'}\t${item.defaultRequest?.[k] ?? '-'}\t${item.default?.[k] ?? '-'}\t${item.maxLimitRequestRatio?.[k] ?? '-'}\n`);
    }
  }
}

function stripHash(t: Obj | undefined): Obj | undefined {
  if (!t) return t;
  const labels = { ...(t.metadata?.labels ?? {}) };
  delete labels['pod-template-hash'];
  return { ...t, metadata: { ...t.metadata, labels } };
}

export function describeNode(node: Obj, pods: Obj[], lease: Obj | undefined, leaseError: string | undefined, events: EventLike[] | undefined, w: DescribeWriter, now: Date): void {
  const m = node.metadata ?? {};
  const spec = node.spec ?? {};
  const st = node.status ?? {};
  w.write(0, `Name:\t${m.name}\n`);
  const roles = Object.keys(m.labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice('node-role.kubernetes.io/'.length)).filter(Boolean).sort();
  w.write(0, `Roles:\t${roles.length ? roles.join(',') : '<none>'}\n`);
  labelsMultiline(w, 'Labels', m.labels);
  annotationsMultiline(w, 'Annotations', m.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(m.creationTimestamp)}\n`);
  const taints: Obj[] = spec.taints ?? [];
  if (taints.length === 0) w.write(0, 'Taints:\t<none>\n');
  else taints.forEach((t, i) => w.write(0, `${i === 0 ? 'Taints:' : ''}\t${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}\n`));
  w.write(0, `Unschedulable:\t${spec.unschedulable === true}\n`);
  if (lease) {
    w.write(0, 'Lease:\n');
    w.write(1, `HolderIdentity:\t${lease.spec?.holderIdentity ?? '<unset>'}\n`);
    w.write(1, `AcquireTime:\t${lease.spec?.acquireTime ? rfc1123z(lease.spec.acquireTime) : '<unset>'}\n`);
    w.write(1, `RenewTime:\t${lease.spec?.renewTime ? rfc1123z(lease.spec.renewTime) : '<unset>'}\n`);
  } else {
    w.write(0, `Lease:\tFailed to get lease: ${leaseError ?? ''}\n`);
  }
  const conds: Obj[] = st.conditions ?? [];
  if (conds.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of conds) w.write(1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
  }
  w.write(0, 'Addresses:\n');
  for (const a of st.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`);
  const resList = (title: string, r: Obj | undefined) => {
    const keys = Object.keys(r ?? {}).sort();
    if (!keys.length) return;
    w.write(0, `${title}:\n`);
    for (const k of keys) w.write(1, `${k}:\t${r![k]}\n`);
  };
  resList('Capacity', st.capacity);
  resList('Allocatable', st.allocatable);
  const ni = st.nodeInfo ?? {};
  w.write(0, 'System Info:\n');
  for (const [label, key] of [['Machine ID', 'machineID'], ['System UUID', 'systemUUID'], ['Boot ID', 'bootID'], ['Kernel Version', 'kernelVersion'], ['OS Image', 'osImage'],
    ['Operating System', 'operatingSystem'], ['Architecture', 'architecture'], ['Container Runtime Version', 'containerRuntimeVersion'], ['Kubelet Version', 'kubeletVersion'], ['Kube-Proxy Version', 'kubeProxyVersion']]) {
    w.write(1, `${label}:\t${ni[key] ?? ''}\n`);
  }
  if (spec.podCIDR) w.write(0, `PodCIDR:\t${spec.podCIDR}\n`);
  if (spec.podCIDRs?.length) w.write(0, `PodCIDRs:\t${spec.podCIDRs.join(',')}\n`);
  if (spec.providerID) w.write(0, `ProviderID:\t${spec.providerID}\n`);
  const running = pods.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  w.write(0, `Non-terminated Pods:\t(${running.length} in total)\n`);
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const alloc = st.allocatable ?? {};
  const totals = { cpuReq: 0, cpuLim: 0, memReq: 0, memLim: 0 };
  for (const p of running) {
    const r = podTotals(p);
    totals.cpuReq += r.cpuReq; totals.cpuLim += r.cpuLim; totals.memReq += r.memReq; totals.memLim += r.memLim;
    w.write(1, `${p.metadata.namespace}\t${p.metadata.name}\t\t${cpuText(r.cpuReq)} (${pct(r.cpuReq, parseCPU(alloc.cpu))})\t${cpuText(r.cpuLim)} (${pct(r.cpuLim, parseCPU(alloc.cpu))})\t${memText(r.memReq)} (${pct(r.memReq, parseMem(alloc.memory))})\t${memText(r.memLim)} (${pct(r.memLim, parseMem(alloc.memory))})\t${age(p.metadata.creationTimestamp, now)}\n`);
  }
  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  w.write(1, `cpu\t${cpuText(totals.cpuReq)} (${pct(totals.cpuReq, parseCPU(alloc.cpu))})\t${cpuText(totals.cpuLim)} (${pct(totals.cpuLim, parseCPU(alloc.cpu))})\n`);
  w.write(1, `memory\t${memText(totals.memReq)} (${pct(totals.memReq, parseMem(alloc.memory))})\t${memText(totals.memLim)} (${pct(totals.memLim, parseMem(alloc.memory))})\n`);
  w.write(1, `ephemeral-storage\t0 (0%)\t0 (0%)\n`);
  describeEvents(w, events, now);
}

function podTotals(p: Obj) {
  const t = { cpuReq: 0, cpuLim: 0, memReq: 0, memLim: 0 };
  for (const c of p.spec?.containers ?? []) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    t.cpuReq += parseCPU(req.cpu ?? lim.cpu);
    t.cpuLim += parseCPU(lim.cpu);
    t.memReq += parseMem(req.memory ?? lim.memory);
    t.memLim += parseMem(lim.memory);
  }
  return t;
}

/** Millicores. */
function parseCPU(q: string | number | undefined): number {
  if (q === undefined) return 0;
  const s = String(q);
  if (s.endsWith('m')) return Number(s.slice(0, -1));
  return Number(s) * 1000;
}

const MEM_UNITS: Record<string, number> = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

function parseMem(q: string | number | undefined): number {
  if (q === undefined) return 0;
  const m = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(String(q));
  if (!m) return 0;
  return Number(m[1]) * (MEM_UNITS[m[2]] ?? 1);
}

function cpuText(milli: number): string {
  return milli === 0 ? '0' : milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

function memText(bytes: number): string {
  if (bytes === 0) return '0';
  for (const u of ['Ti', 'Gi', 'Mi', 'Ki']) if (bytes % MEM_UNITS[u] === 0) return `${bytes / MEM_UNITS[u]}${u}`;
  return String(bytes);
}

function pct(v: number, total: number): string {
  return total > 0 ? `${Math.floor((v / total) * 100)}%` : '0%';
}

/** Kinds without a describer: name, namespace, labels, annotations, then the rest of the object as YAML-ish fields. */
export function describeGeneric(obj: Obj, events: EventLike[] | undefined, w: DescribeWriter, now: Date): void {
  const m = obj.metadata ?? {};
  w.write(0, `Name:\t${m.name}\n`);
  if (m.namespace) w.write(0, `Namespace:\t${m.namespace}\n`);
  labelsMultiline(w, 'Labels', m.labels);
  annotationsMultiline(w, 'Annotations', m.annotations);
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'metadata' || k === 'apiVersion' || k === 'kind') continue;
    writeField(w, k, v, 0);
  }
  describeEvents(w, events, now);
}

function writeField(w: DescribeWriter, key: string, v: unknown, lvl: number): void {
  const title = key.charAt(0).toUpperCase() + key.slice(1);
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const entries = Object.entries(v);
    if (entries.length === 0) return;
    w.write(lvl, `${title}:\n`);
    for (const [k, x] of entries) writeField(w, k, x, lvl + 1);
    return;
  }
  if (Array.isArray(v)) {
    w.write(lvl, `${title}:\n`);
    for (const x of v) {
      if (x !== null && typeof x === 'object') { for (const [k, y] of Object.entries(x)) writeField(w, k, y, lvl + 1); }
      else w.write(lvl + 1, `${String(x)}\n`);
    }
    return;
  }
  w.write(lvl, `${title}:\t${String(v)}\n`);
}
