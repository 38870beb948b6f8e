/**
 * The CRI PodSandboxConfig of a pod (upstream's generatePodSandboxConfig): metadata with the attempt,
 * hostname (spec.hostname or the pod name, cut to 63 characters), log directory, labels/annotations,
 * port mappings of hostPorts, the cgroup parent `<cgroupRoot>/pod<uid>`, and the DNS configuration
 * ({@link dnsConfigFor}).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Pod } from '../../api/types.js';
import type { DNSConfig, PodSandboxConfig, PortMapping } from '../cri/types.js';
import { podLabels, podLogDirName } from './labels.js';

export interface SandboxSettings {
  logsDir: string;
  cgroupRoot: string;
  clusterDNS: string;
  clusterDomain: string;
  /** The host's resolv.conf (for dnsPolicy Default); default /etc/resolv.conf. */
  hostResolvConf?: string;
}

/** nameserver / search / options lines of a resolv.conf. */
export function parseResolvConf(text: string): Required<DNSConfig> {
  const out: Required<DNSConfig> = { servers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const f = raw.replace(/[#;].*$/, '').trim().split(/\s+/);
    if (f[0] === 'nameserver' && f[1]) out.servers.push(f[1]);
    else if (f[0] === 'search' || f[0] === 'domain') out.searches = f.slice(1);
    else if (f[0] === 'options') out.options.push(...f.slice(1));
  }
  return out;
}

/**
 * DNS for the pod by dnsPolicy: ClusterFirst (the default; and ClusterFirstWithHostNet) → the cluster DNS
 * with `<ns>.svc.<domain> svc.<domain> <domain>` and ndots:5 — except hostNetwork pods with ClusterFirst,
 * which get the host's; Default → the host's resolv.conf; None → only spec.dnsConfig. spec.dnsConfig is
 * then merged in (servers and searches appended, options by name).
 */
export function dnsConfigFor(pod: Pod, s: SandboxSettings): DNSConfig {
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  const ns = pod.metadata?.namespace ?? 'default';
  let base: Required<DNSConfig>;
  const host = (): Required<DNSConfig> => {
    try {
      return parseResolvConf(readFileSync(s.hostResolvConf ?? '/etc/resolv.conf', 'utf8'));
    } catch {
      return { servers: [], searches: [], options: [] };
    }
  };
  if (policy === 'None') base = { servers: [], searches: [], options: [] };
  else if (policy === 'Default' || (policy === 'ClusterFirst' && pod.spec?.hostNetwork)) base = host();
  else {
    const d = s.clusterDomain;
    base = { servers: [s.clusterDNS], searches: [`${ns}.svc.${d}`, `svc.${d}`, d, ...host().searches], options: ['ndots:5'] };
  }
  const extra = pod.spec?.dnsConfig;
  if (extra) {
    base.servers = [...new Set([...base.servers, ...(extra.nameservers ?? [])])];
    base.searches = [...new Set([...base.searches, ...(extra.searches ?? [])])];
    const opts = new Map(base.options.map((o) => [o.split(':')[0]!, o]));
    for (const o of extra.options ?? []) opts.set(o.name!, o.value !== undefined ? `${o.name}:${o.value}` : o.name!);
    base.options = [...opts.values()];
  }
  base.searches = base.searches.slice(0, 32);
  return base;
}

export function sandboxConfig(pod: Pod, attempt: number, s: SandboxSettings): PodSandboxConfig {
  const m = pod.metadata!;
  const hostname = (pod.spec?.hostname ?? m.name!).slice(0, 63).replace(/[.-]+$/, '');
  const portMappings: PortMapping[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      portMappings.push({ protocol: (p.protocol ?? 'TCP') as PortMapping['protocol'], containerPort: p.containerPort, hostPort: p.hostPort, hostIp: p.hostIP ?? '' });
    }
  }
  return {
    metadata: { name: m.name!, uid: m.uid!, namespace: m.namespace ?? 'default', attempt },
    hostname,
    logDirectory: path.join(s.logsDir, podLogDirName(pod)),
    dnsConfig: dnsConfigFor(pod, s),
    portMappings,
    labels: podLabels(pod),
    annotations: { ...(m.annotations ?? {}) },
    linux: {
      cgroupParent: `${s.cgroupRoot}/pod${m.uid}`,
      securityContext: {
        namespaceOptions: { network: pod.spec?.hostNetwork ? 'NODE' : 'POD', pid: pod.spec?.hostPID ? 'NODE' : pod.spec?.shareProcessNamespace ? 'POD' : 'CONTAINER', ipc: pod.spec?.hostIPC ? 'NODE' : 'POD' },
      },
    },
  };
}
