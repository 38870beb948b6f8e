/**
 * A container's environment, as upstream's kubelet makes it (makeEnvironmentVariables), in this order:
 * 1. the Service variables of the pod's namespace (`<SVC>_SERVICE_HOST`, `_SERVICE_PORT[_<PORT>]`
 *    and the docker-link `_PORT_<n>_<PROTO>[_ADDR|_PORT|_PROTO]`), when `enableServiceLinks` (default true),
 *    plus the `kubernetes` service of the default namespace always;
 * 2. `envFrom` (ConfigMaps and Secrets, with their prefixes; keys that are not valid names are skipped);
 * 3. `env`: literal values with `$(VAR)` expanded from the variables defined before, and `valueFrom`
 *    configMapKeyRef / secretKeyRef (honouring `optional`), fieldRef, resourceFieldRef.
 * Later definitions win. A missing required ConfigMap/Secret (or key) is a {@link CreateContainerConfigError}.
 */
import type { Container, Pod, Service } from '../../api/types.js';
import { parseQuantity } from '../../api/resource/quantity.js';
import type { KeyValue } from '../cri/types.js';
import type { PodObjects } from './objects.js';

/** The container cannot be configured yet: its status says `CreateContainerConfigError` with this message. */
export class CreateContainerConfigError extends Error {}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** `$(VAR)` expansion with `$$` escaping, as upstream's expansion package (unknown references stay). */
export function expandVars(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === '$' && i + 1 < input.length) {
      const n = input[i + 1];
      if (n === '$') {
        out += '$';
        i++;
        continue;
      }
      if (n === '(') {
        const end = input.indexOf(')', i + 2);
        if (end > 0) {
          const name = input.slice(i + 2, end);
          const v = lookup(name);
          out += v ?? `$(${name})`;
          i = end;
          continue;
        }
      }
    }
    out += c;
  }
  return out;
}

/** The Service environment variables for the given services (upstream's envvars.FromServices). */
export function serviceEnv(services: Service[]): KeyValue[] {
  const out: KeyValue[] = [];
  for (const svc of services) {
    const ip = svc.spec?.clusterIP;
    if (!ip || ip === 'None') continue;
    const name = svc.metadata!.name!.toUpperCase().replace(/-/g, '_');
    const ports = svc.spec?.ports ?? [];
    if (ports.length === 0) continue;
    out.push({ key: `${name}_SERVICE_HOST`, value: ip });
    out.push({ key: `${name}_SERVICE_PORT`, value: String(ports[0]!.port) });
    for (const p of ports) {
      if (p.name) out.push({ key: `${name}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`, value: String(p.port) });
    }
    const first = ports[0]!;
    const proto = (first.protocol ?? 'TCP').toLowerCase();
    out.push({ key: `${name}_PORT`, value: `${proto}://${ip}:${first.port}` });
    for (const p of ports) {
      const pr = p.protocol ?? 'TCP';
      const prefix = `${name}_PORT_${p.port}_${pr}`;
      out.push({ key: prefix, value: `${pr.toLowerCase()}://${ip}:${p.port}` });
      out.push({ key: `${prefix}_PROTO`, value: pr.toLowerCase() });
      out.push({ key: `${prefix}_PORT`, value: String(p.port) });
      out.push({ key: `${prefix}_ADDR`, value: ip });
    }
  }
  return out;
}

/** The value of a fieldRef path for the pod (metadata.name, status.podIP, metadata.labels['x'], …). */
export function podFieldValue(pod: Pod, path: string, podIP: string, hostIP: string): string {
  const m = pod.metadata ?? {};
  const sub = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (sub) return (sub[1] === 'labels' ? m.labels : m.annotations)?.[sub[2]!] ?? '';
  switch (path) {
    case 'metadata.name': return m.name ?? '';
    case 'metadata.namespace': return m.namespace ?? '';
    case 'metadata.uid': return m.uid ?? '';
    case 'metadata.labels': return formatMap(m.labels);
    case 'metadata.annotations': return formatMap(m.annotations);
    case 'spec.nodeName': return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP': case 'status.hostIPs': return hostIP;
    case 'status.podIP': case 'status.podIPs': return podIP;
    default: throw new CreateContainerConfigError(`unsupported fieldRef path "${path}"`);
  }
}

/** `key="value"` lines, sorted, as the downward API writes label and annotation maps. */
export function formatMap(map: Record<string, string> | undefined): string {
  return Object.keys(map ?? {}).sort().map((k) => `${k}=${JSON.stringify(map![k])}`).join('\n');
}

/** A resourceFieldRef value: the container's limit (or request), divided by the divisor and rounded up. */
export function resourceFieldValue(container: Container, resource: string, divisor: string | undefined, nodeAllocatable: Record<string, string> = {}): string {
  const [kind, name] = resource.split('.') as ['limits' | 'requests', string];
  const r = container.resources ?? {};
  let q = (kind === 'limits' ? r.limits : r.requests)?.[name];
  if (q === undefined && kind === 'limits') q = nodeAllocatable[name];
  if (q === undefined) q = kind === 'requests' && name === 'cpu' ? '0' : kind === 'limits' && name === 'cpu' ? '0' : '0';
  const value = parseQuantity(String(q));
  const d = parseQuantity(divisor ?? (name === 'cpu' ? '1' : '1')) || 1;
  const v = Math.ceil(value / d - 1e-9);
  return String(name === 'cpu' && v === 0 && value > 0 ? 1 : v);
}

function decodeSecret(b64: string): string {
  return Buffer.from(b64, 'base64').toString('utf8');
}

export interface EnvContext {
  pod: Pod;
  container: Container;
  podIP: string;
  hostIP: string;
  objects: PodObjects;
  nodeAllocatable?: Record<string, string>;
}

export async function containerEnv(ctx: EnvContext): Promise<KeyValue[]> {
  const { pod, container, objects } = ctx;
  const ns = pod.metadata?.namespace ?? 'default';
  const vars = new Map<string, string>();
  const set = (k: string, v: string) => {
    vars.delete(k);
    vars.set(k, v);
  };

  if (pod.spec?.enableServiceLinks !== false) {
    const services = await objects.services(ns);
    for (const kv of serviceEnv(services.filter((s) => s.metadata?.name !== 'kubernetes' || ns === 'default'))) set(kv.key, kv.value);
  }
  if (ns !== 'default' || pod.spec?.enableServiceLinks === false) {
    const kube = (await objects.services('default')).filter((s) => s.metadata?.name === 'kubernetes');
    for (const kv of serviceEnv(kube)) set(kv.key, kv.value);
  }

  for (const src of container.envFrom ?? []) {
    const prefix = src.prefix ?? '';
    if (src.configMapRef) {
      const cm = await objects.configMap(ns, src.configMapRef.name!);
      if (!cm) {
        if (src.configMapRef.optional) continue;
        throw new CreateContainerConfigError(`configmap "${src.configMapRef.name}" not found`);
      }
      for (const [k, v] of Object.entries(cm.data ?? {})) if (ENV_NAME.test(prefix + k)) set(prefix + k, v);
    } else if (src.secretRef) {
      const s = await objects.secret(ns, src.secretRef.name!);
      if (!s) {
        if (src.secretRef.optional) continue;
        throw new CreateContainerConfigError(`secret "${src.secretRef.name}" not found`);
      }
      for (const [k, v] of Object.entries(s.data ?? {})) if (ENV_NAME.test(prefix + k)) set(prefix + k, decodeSecret(v));
    }
  }

  for (const e of container.env ?? []) {
    const vf = e.valueFrom;
    if (!vf) {
      set(e.name, expandVars(e.value ?? '', (n) => vars.get(n)));
      continue;
    }
    if (vf.configMapKeyRef) {
      const ref = vf.configMapKeyRef;
      const cm = await objects.configMap(ns, ref.name!);
      const v = cm?.data?.[ref.key];
      if (v === undefined) {
        if (ref.optional) continue;
        throw new CreateContainerConfigError(cm ? `couldn't find key ${ref.key} in ConfigMap ${ns}/${ref.name}` : `configmap "${ref.name}" not found`);
      }
      set(e.name, v);
    } else if (vf.secretKeyRef) {
      const ref = vf.secretKeyRef;
      const s = await objects.secret(ns, ref.name!);
      const v = s?.data?.[ref.key];
      if (v === undefined) {
        if (ref.optional) continue;
        throw new CreateContainerConfigError(s ? `couldn't find key ${ref.key} in Secret ${ns}/${ref.name}` : `secret "${ref.name}" not found`);
      }
      set(e.name, decodeSecret(v));
    } else if (vf.fieldRef) {
      set(e.name, podFieldValue(pod, vf.fieldRef.fieldPath, ctx.podIP, ctx.hostIP));
    } else if (vf.resourceFieldRef) {
      const ref = vf.resourceFieldRef;
      const c = ref.containerName ? [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((x) => x.name === ref.containerName) ?? container : container;
      set(e.name, resourceFieldValue(c, ref.resource, ref.divisor as string | undefined, ctx.nodeAllocatable));
    }
  }
  return [...vars].map(([key, value]) => ({ key, value }));
}
