/**
 * Pods: upstream's defaults (restartPolicy, dnsPolicy, grace period, scheduler, pull policy, termination
 * message, service account, service links, priority), status Pending with its QoS class on create, the
 * pod field selectors, and graceful deletion of pods bound to a node.
 */
import type { Container, KubeObject, Pod, PodSpec } from '../../../api/types.js';
import { type FieldError, fieldErrors } from '../../../api/validation/field-error.js';
import { isDNS1123Label } from '../../../api/validation/names.js';
import { registerStrategy } from '../strategy.js';

const DEFAULT_GRACE = 30;

/** The image's tag (or digest): `:latest` and no tag mean Always, anything else IfNotPresent. */
export function defaultPullPolicy(image: string | undefined): string {
  if (!image) return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const tag = colon > lastSlash ? image.slice(colon + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(c: Container): void {
  c.imagePullPolicy ??= defaultPullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
    if (!probe) continue;
    probe.timeoutSeconds ??= 1;
    probe.periodSeconds ??= 10;
    probe.successThreshold ??= 1;
    probe.failureThreshold ??= 3;
    if (probe.httpGet) probe.httpGet.scheme ??= 'HTTP';
  }
  // Requests default to limits when only limits are given.
  const lim = c.resources.limits;
  if (lim) c.resources.requests = { ...lim, ...c.resources.requests };
}

/** Pod spec defaults, shared by every pod template (deployments, jobs, ...). */
export function defaultPodSpec(spec: PodSpec | undefined): void {
  if (!spec) return;
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.terminationGracePeriodSeconds ??= DEFAULT_GRACE;
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const v of spec.volumes ?? []) {
    if (v.configMap) v.configMap.defaultMode ??= 0o644;
    if (v.secret) v.secret.defaultMode ??= 0o644;
    if (v.hostPath) v.hostPath.type ??= '';
    if (v.emptyDir === null) v.emptyDir = {};
  }
}

/** The QoS class of a pod, as upstream's GetPodQOS. */
export function qosClass(spec: PodSpec | undefined): string {
  const containers = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      if (req[r] !== undefined || lim[r] !== undefined) any = true;
      if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function validateContainers(list: Container[] | undefined, path: string, required: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (required && (!list || list.length === 0)) errs.push(fieldErrors.required(path));
  const seen = new Set<string>();
  (list ?? []).forEach((c, i) => {
    const p = `${path}[${i}]`;
    if (!c.name) errs.push(fieldErrors.required(`${p}.name`));
    else {
      for (const m of isDNS1123Label(c.name)) errs.push(fieldErrors.invalid(`${p}.name`, c.name, m));
      if (seen.has(c.name)) errs.push(fieldErrors.duplicate(`${p}.name`, c.name));
      seen.add(c.name);
    }
    if (!c.image || !c.image.trim()) errs.push(fieldErrors.required(`${p}.image`));
    (c.ports ?? []).forEach((port, j) => {
      if (!Number.isInteger(port.containerPort) || port.containerPort < 1 || port.containerPort > 65535) {
        errs.push(fieldErrors.invalid(`${p}.ports[${j}].containerPort`, port.containerPort, 'must be between 1 and 65535, inclusive'));
      }
    });
  });
  return errs;
}

/** Pod spec validation (the parts k8ts checks), with paths under `path`. */
export function validatePodSpec(spec: PodSpec | undefined, path: string): FieldError[] {
  if (!spec) return [fieldErrors.required(path)];
  const errs = [
    ...validateContainers(spec.containers, `${path}.containers`, true),
    ...validateContainers(spec.initContainers, `${path}.initContainers`, false),
  ];
  const rp = spec.restartPolicy;
  if (rp && !['Always', 'OnFailure', 'Never'].includes(rp)) errs.push(fieldErrors.notSupported(`${path}.restartPolicy`, rp, ['Always', 'OnFailure', 'Never']));
  const dns = spec.dnsPolicy;
  if (dns && !['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'].includes(dns)) {
    errs.push(fieldErrors.notSupported(`${path}.dnsPolicy`, dns, ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']));
  }
  return errs;
}

/** Fields of a pod spec that may change after creation, as upstream allows. */
function validatePodUpdate(pod: Pod, old: Pod): FieldError[] {
  const strip = (p: Pod) => {
    const s = structuredClone(p.spec ?? {}) as PodSpec;
    s.containers = (s.containers ?? []).map((c) => ({ ...c, image: '' }));
    s.initContainers = (s.initContainers ?? []).map((c) => ({ ...c, image: '' }));
    delete s.activeDeadlineSeconds;
    delete s.tolerations;
    delete s.terminationGracePeriodSeconds;
    delete s.schedulingGates;
    return JSON.stringify(s);
  };
  if (strip(pod) !== strip(old)) {
    return [fieldErrors.forbidden('spec', 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)')];
  }
  return [];
}

registerStrategy('pods', {
  hasStatus: true,
  defaults(o) {
    const pod = o as Pod;
    defaultPodSpec(pod.spec);
    if (pod.spec) {
      pod.spec.serviceAccountName ??= pod.spec.serviceAccount ?? 'default';
      pod.spec.serviceAccount = pod.spec.serviceAccountName;
      pod.spec.priority ??= 0;
    }
  },
  prepareForCreate(o) {
    const pod = o as Pod;
    pod.status = { phase: 'Pending', qosClass: qosClass(pod.spec) };
  },
  prepareForUpdate(o, old) {
    (o as Pod).status = (old as Pod).status;
  },
  validate: (o) => validatePodSpec((o as Pod).spec, 'spec'),
  validateUpdate: (o, old) => [...validatePodSpec((o as Pod).spec, 'spec'), ...validatePodUpdate(o as Pod, old as Pod)],
  getAttrs(o: KubeObject) {
    const pod = o as Pod;
    return {
      'spec.nodeName': pod.spec?.nodeName ?? '',
      'spec.restartPolicy': pod.spec?.restartPolicy ?? '',
      'spec.schedulerName': pod.spec?.schedulerName ?? '',
      'spec.serviceAccountName': pod.spec?.serviceAccountName ?? '',
      'spec.hostNetwork': String(pod.spec?.hostNetwork ?? false),
      'status.phase': pod.status?.phase ?? '',
      'status.podIP': pod.status?.podIP ?? '',
      'status.nominatedNodeName': pod.status?.nominatedNodeName ?? '',
    };
  },
  deletion(o, requested) {
    const pod = o as Pod;
    const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    if (!pod.spec?.nodeName || terminal) return { mode: 'immediate' };
    const grace = requested ?? pod.spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE;
    return grace <= 0 ? { mode: 'immediate' } : { mode: 'graceful', graceSeconds: grace };
  },
});
