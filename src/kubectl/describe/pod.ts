/** `kubectl describe pod` and the container/volume sections shared with pod templates. */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { age, annotationsMultiline, describeEvents, labelsMultiline, rfc1123z, type DescribeWriter, type EventLike } from './writer.js';

type Obj = Record<string, any>;

function portText(p: Obj, host = false): string {
  return `${host ? p.hostPort ?? 0 : p.containerPort}/${p.protocol ?? 'TCP'}`;
}

function fieldPathValue(pod: Obj | undefined, path: string): string {
  if (!pod) return '';
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (m) return pod.metadata?.[m[1]]?.[m[2]] ?? '';
  const v = path.split('.').reduce((o: any, k) => (o == null ? undefined : o[k]), pod);
  return v == null ? '' : String(v);
}

function envLines(w: DescribeWriter, c: Obj, pod: Obj | undefined, lvl: number): void {
  const env: Obj[] = c.env ?? [];
  const from: Obj[] = c.envFrom ?? [];
  if (from.length) {
    w.write(lvl, 'Environment Variables from:\n');
    for (const f of from) {
      const [kind, ref] = f.configMapRef ? ['ConfigMap', f.configMapRef] : ['Secret', f.secretRef];
      w.write(lvl + 1, `${ref?.name ?? ''}\t${kind}\tOptional: ${ref?.optional === true}\n`);
    }
  }
  if (env.length === 0) { w.write(lvl, 'Environment:\t<none>\n'); return; }
  w.write(lvl, 'Environment:\n');
  for (const e of env) {
    if (e.valueFrom === undefined) {
      const lines = String(e.value ?? '').split('\n');
      w.write(lvl + 1, `${e.name}:\t${lines[0]}\n`);
      for (const l of lines.slice(1)) w.write(lvl + 1, `\t${l}\n`);
      continue;
    }
    const vf = e.valueFrom;
    if (vf.fieldRef) w.write(lvl + 1, `${e.name}:\t${fieldPathValue(pod, vf.fieldRef.fieldPath)} (${vf.fieldRef.apiVersion ?? ''}:${vf.fieldRef.fieldPath})\n`);
    else if (vf.resourceFieldRef) w.write(lvl + 1, `${e.name}:\t${vf.resourceFieldRef.containerName ?? c.name} (${vf.resourceFieldRef.resource})\n`);
    else if (vf.secretKeyRef) w.write(lvl + 1, `${e.name}:\t<set to the key '${vf.secretKeyRef.key}' in secret '${vf.secretKeyRef.name}'>\tOptional: ${vf.secretKeyRef.optional === true}\n`);
    else if (vf.configMapKeyRef) w.write(lvl + 1, `${e.name}:\t<set to the key '${vf.configMapKeyRef.key}' of config map '${vf.configMapKeyRef.name}'>\tOptional: ${vf.configMapKeyRef.optional === true}\n`);
  }
}

function stateLines(w: DescribeWriter, title: string, st: Obj | undefined, lvl: number): void {
  if (!st) return;
  if (st.running) {
    w.write(lvl, `${title}:\tRunning\n`);
    w.write(lvl + 1, `Started:\t${rfc1123z(st.running.startedAt)}\n`);
  } else if (st.waiting) {
    w.write(lvl, `${title}:\tWaiting\n`);
    if (st.waiting.reason) w.write(lvl + 1, `Reason:\t${st.waiting.reason}\n`);
  } else if (st.terminated) {
    const t = st.terminated;
    w.write(lvl, `${title}:\tTerminated\n`);
    if (t.reason) w.write(lvl + 1, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(lvl + 1, `Message:\t${t.message}\n`);
    w.write(lvl + 1, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if (t.signal) w.write(lvl + 1, `Signal:\t${t.signal}\n`);
    w.write(lvl + 1, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(lvl + 1, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else {
    w.write(lvl, `${title}:\tWaiting\n`);
  }
}

function probeText(p: Obj): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const h = p.httpGet;
    return `http-get ${(h.scheme ?? 'HTTP').toLowerCase()}://${h.host ?? ''}:${h.port}${h.path ?? ''} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${p.tcpSocket.port} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

function resourceList(w: DescribeWriter, title: string, r: Obj | undefined, lvl: number): void {
  const keys = Object.keys(r ?? {}).sort();
  if (keys.length === 0) return;
  w.write(lvl, `${title}:\n`);
  for (const k of keys) w.write(lvl + 1, `${k}:\t${r![k]}\n`);
}

/** The Containers / Init Containers section (`space` is " " inside a pod template). */
export function describeContainers(w: DescribeWriter, title: string, containers: Obj[], statuses: Obj[] | undefined, pod: Obj | undefined, space: string): void {
  const byName = new Map((statuses ?? []).map((s) => [s.name, s]));
  w.write(0, `${space}${title}:\n`);
  for (const c of containers) {
    w.write(1, `${space ? ' ' : ''}${c.name}:\n`);
    const st = byName.get(c.name);
    if (st) w.write(2, `Container ID:\t${st.containerID ?? ''}\n`);
    w.write(2, `Image:\t${c.image ?? ''}\n`);
    if (st) w.write(2, `Image ID:\t${st.imageID ?? ''}\n`);
    const ports: Obj[] = c.ports ?? [];
    if (ports.length === 0) { w.write(2, 'Port:\t<none>\n'); w.write(2, 'Host Port:\t<none>\n'); }
    else if (ports.length === 1) { w.write(2, `Port:\t${portText(ports[0])}\n`); w.write(2, `Host Port:\t${portText(ports[0], true)}\n`); }
    else { w.write(2, `Ports:\t${ports.map((p) => portText(p)).join(', ')}\n`); w.write(2, `Host Ports:\t${ports.map((p) => portText(p, true)).join(', ')}\n`); }
    if (c.command?.length) { w.write(2, 'Command:\n'); for (const x of c.command) for (const l of String(x).split('\n')) w.write(3, `${l}\n`); }
    if (c.args?.length) { w.write(2, 'Args:\n'); for (const x of c.args) for (const l of String(x).split('\n')) w.write(3, `${l}\n`); }
    if (st) {
      stateLines(w, 'State', st.state, 2);
      if (st.lastState && Object.keys(st.lastState).length) stateLines(w, 'Last State', st.lastState, 2);
      w.write(2, `Ready:\t${st.ready ? 'True' : 'False'}\n`);
      w.write(2, `Restart Count:\t${st.restartCount ?? 0}\n`);
    }
    resourceList(w, 'Limits', c.resources?.limits, 2);
    resourceList(w, 'Requests', c.resources?.requests, 2);
    if (c.livenessProbe) w.write(2, `Liveness:\t${probeText(c.livenessProbe)}\n`);
    if (c.readinessProbe) w.write(2, `Readiness:\t${probeText(c.readinessProbe)}\n`);
    if (c.startupProbe) w.write(2, `Startup:\t${probeText(c.startupProbe)}\n`);
    envLines(w, c, pod, 2);
    const mounts: Obj[] = c.volumeMounts ?? [];
    if (mounts.length === 0) w.write(2, 'Mounts:\t<none>\n');
    else {
      w.write(2, 'Mounts:\n');
      for (const m of [...mounts].sort((a, b) => (a.mountPath < b.mountPath ? -1 : 1))) {
        const flags = [m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [`path="${m.subPath}"`] : [])];
        w.write(3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
      }
    }
  }
}

/** The Volumes section. */
export function describeVolumes(w: DescribeWriter, volumes: Obj[] | undefined, space: string): void {
  if (!volumes?.length) { w.write(0, `${space}Volumes:\t<none>\n`); return; }
  w.write(0, `${space}Volumes:\n`);
  for (const v of volumes) {
    w.write(1, `${space ? ' ' : ''}${v.name}:\n`);
    if (v.emptyDir) w.write(2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ''}\n    SizeLimit:\t${v.emptyDir.sizeLimit ?? '<unset>'}\n`);
    else if (v.configMap) w.write(2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name ?? ''}\n    Optional:\t${v.configMap.optional === true}\n`);
    else if (v.secret) w.write(2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName ?? ''}\n    Optional:\t${v.secret.optional === true}\n`);
    else if (v.hostPath) w.write(2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path}\n    HostPathType:\t${v.hostPath.type || '<none>'}\n`);
    else if (v.persistentVolumeClaim) w.write(2, `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${v.persistentVolumeClaim.claimName}\n    ReadOnly:\t${v.persistentVolumeClaim.readOnly === true}\n`);
    else if (v.projected) {
      w.write(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
      for (const s of v.projected.sources ?? []) {
        if (s.serviceAccountToken) w.write(2, `TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds ?? 3607}\n`);
        else if (s.configMap) w.write(2, `ConfigMapName:\t${s.configMap.name}\n    Optional:\t${s.configMap.optional === true}\n`);
        else if (s.secret) w.write(2, `SecretName:\t${s.secret.name}\n    Optional:\t${s.secret.optional === true}\n`);
        else if (s.downwardAPI) w.write(2, 'DownwardAPI:\ttrue\n');
      }
    } else w.write(1, '<unknown>\n');
  }
}

/** `key=value:Effect op=Exists for Ns`, one per line. */
export function tolerationsMultiline(w: DescribeWriter, title: string, tolerations: Obj[] | undefined, space = ''): void {
  if (!tolerations?.length) { w.write(0, `${space}${title}:\t<none>\n`); return; }
  tolerations.forEach((t, i) => {
    let s = t.key ?? '';
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) s += s ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
    w.write(0, `${i === 0 ? `${space}${title}:` : space}\t${s}\n`);
  });
}

/** BestEffort, Guaranteed or Burstable, from the containers' requests and limits. */
export function qosClass(pod: Obj): string {
  const containers: Obj[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined) guaranteed = false;
      else if (req[r] !== undefined && req[r] !== lim[r]) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export function describePod(pod: Obj, events: EventLike[] | undefined, w: DescribeWriter, now: Date): void {
  const m = pod.metadata ?? {};
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  w.write(0, `Name:\t${m.name}\n`);
  w.write(0, `Namespace:\t${m.namespace}\n`);
  if (spec.priority !== undefined) w.write(0, `Priority:\t${spec.priority}\n`);
  if (spec.priorityClassName) w.write(0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  if (spec.runtimeClassName) w.write(0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
  if (spec.serviceAccountName) w.write(0, `Service Account:\t${spec.serviceAccountName}\n`);
  w.write(0, spec.nodeName ? `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n` : 'Node:\t<none>\n');
  if (status.startTime) w.write(0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
  labelsMultiline(w, 'Labels', m.labels);
  annotationsMultiline(w, 'Annotations', m.annotations);
  if (m.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
    w.write(0, `Status:\tTerminating (lasts ${age(m.deletionTimestamp, now)})\n`);
    w.write(0, `Termination Grace Period:\t${m.deletionGracePeriodSeconds ?? 0}s\n`);
  } else {
    w.write(0, `Status:\t${status.phase ?? ''}\n`);
  }
  if (status.reason) w.write(0, `Reason:\t${status.reason}\n`);
  if (status.message) w.write(0, `Message:\t${status.message}\n`);
  w.write(0, `IP:\t${status.podIP ?? ''}\n`);
  const ips: Obj[] = status.podIPs ?? [];
  if (ips.length === 0) w.write(0, 'IPs:\t<none>\n');
  else { w.write(0, 'IPs:\n'); for (const ip of ips) w.write(1, `IP:\t${ip.ip}\n`); }
  const owner = (m.ownerReferences ?? []).find((o: Obj) => o.controller);
  if (owner) w.write(0, `Controlled By:\t${owner.kind}/${owner.name}\n`);
  if (status.nominatedNodeName) w.write(0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
  if (spec.initContainers?.length) describeContainers(w, 'Init Containers', spec.initContainers, status.initContainerStatuses, pod, '');
  describeContainers(w, 'Containers', spec.containers ?? [], status.containerStatuses, pod, '');
  if (spec.readinessGates?.length) {
    w.write(0, 'Readiness Gates:\n  Type\tStatus\n');
    for (const g of spec.readinessGates) {
      const c = (status.conditions ?? []).find((x: Obj) => x.type === g.conditionType);
      w.write(1, `${g.conditionType} \t${c ? c.status : '<none>'} \n`);
    }
  }
  if (status.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of status.conditions) w.write(1, `${c.type} \t${c.status} \n`);
  }
  describeVolumes(w, spec.volumes, '');
  w.write(0, `QoS Class:\t${status.qosClass || qosClass(pod)}\n`);
  labelsMultiline(w, 'Node-Selectors', spec.nodeSelector);
  tolerationsMultiline(w, 'Tolerations', spec.tolerations);
  describeEvents(w, events, now);
}

/** A pod template (Deployment, ReplicaSet, Job, ...): labels, annotations, containers, volumes. */
export function describePodTemplate(w: DescribeWriter, template: Obj | undefined): void {
  w.write(0, 'Pod Template:\n');
  if (!template) { w.write(1, '<unset>'); return; }
  labelsMultiline(w, 'Labels', template.metadata?.labels, 1);
  if (Object.keys(template.metadata?.annotations ?? {}).length) annotationsMultiline(w, 'Annotations', template.metadata.annotations, 1);
  const spec = template.spec ?? {};
  if (spec.serviceAccountName) w.write(1, `Service Account:\t${spec.serviceAccountName}\n`);
  if (spec.initContainers?.length) describeContainers(w, 'Init Containers', spec.initContainers, undefined, undefined, '  ');
  describeContainers(w, 'Containers', spec.containers ?? [], undefined, undefined, '  ');
  describeVolumes(w, spec.volumes, '  ');
  if (spec.priorityClassName) w.write(1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  const sel = spec.nodeSelector ?? {};
  const selKeys = Object.keys(sel).sort();
  w.write(1, `Node-Selectors:\t${selKeys.length ? selKeys.map((k) => `${k}=${sel[k]}`).join(',') : '<none>'}\n`);
  tolerationsMultiline(w, 'Tolerations', spec.tolerations, '  ');
}
