/**
 * Pod admission on the node (upstream's lifecycle admit handlers, the part k8ts does): a new pod whose
 * hostPorts collide with a pod already admitted here (same protocol and port, and the same host IP or
 * either of them the wildcard) is rejected. A rejected pod never starts: its status becomes phase Failed
 * with upstream's reason and message, `NodePorts` / "Pod was rejected: Predicate NodePorts failed:
 * node(s) didn't have free ports for the requested pod ports".
 */
import type { Pod } from '../../api/types.js';

export interface Rejection {
  reason: string;
  message: string;
}

interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

function hostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (p.hostPort) out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol ?? 'TCP', port: p.hostPort });
    }
  }
  return out;
}

function conflicts(a: HostPort, b: HostPort): boolean {
  return a.port === b.port && a.protocol === b.protocol && (a.ip === b.ip || a.ip === '0.0.0.0' || b.ip === '0.0.0.0');
}

/** Whether `pod` may run beside `admitted`; the rejection otherwise. */
export function admitPod(pod: Pod, admitted: Iterable<Pod>): Rejection | undefined {
  const wanted = hostPorts(pod);
  if (wanted.length === 0) return undefined;
  for (const other of admitted) {
    if (other.metadata?.uid === pod.metadata?.uid) continue;
    const used = hostPorts(other);
    if (wanted.some((w) => used.some((u) => conflicts(w, u)))) {
      return { reason: 'NodePorts', message: 'Pod was rejected: Predicate NodePorts failed: node(s) didn\'t have free ports for the requested pod ports' };
    }
  }
  return undefined;
}
