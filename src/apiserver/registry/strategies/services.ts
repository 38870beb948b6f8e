/**
 * Services: defaults (type ClusterIP, TCP ports, targetPort = port, single-stack IPv4, traffic policies),
 * a ClusterIP from the service CIDR and NodePorts from 30000-32767 on create (both released on delete),
 * ClusterIP immutable on update. Built per API server, since it owns the allocators; with store claims
 * (allocators/claims.ts) API servers sharing a datastore never hand out the same address or port.
 */
import type { Service } from '../../../api/types.js';
import { type FieldError, fieldErrors } from '../../../api/validation/field-error.js';
import { nameIsDNS1035Label } from '../../../api/validation/names.js';
import type { IpAllocator } from '../allocators/ip-allocator.js';
import type { PortAllocator } from '../allocators/port-allocator.js';
import { type Claims, noClaims } from '../allocators/claims.js';
import { errors } from '../../../api/errors.js';
import type { Strategy } from '../strategy.js';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

function defaults(svc: Service): void {
  const spec = (svc.spec ??= {});
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (spec.type === 'ExternalName') return;
  spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  for (const p of spec.ports ?? []) {
    p.protocol ??= 'TCP';
    p.targetPort ??= p.port;
  }
  if (spec.sessionAffinity === 'ClientIP') spec.sessionAffinityConfig ??= { clientIP: { timeoutSeconds: 10800 } };
}

function needsNodePorts(svc: Service): boolean {
  const t = svc.spec?.type;
  return t === 'NodePort' || (t === 'LoadBalancer' && svc.spec?.allocateLoadBalancerNodePorts !== false);
}

function validate(svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  const spec = svc.spec ?? {};
  if (spec.type && !TYPES.includes(spec.type)) errs.push(fieldErrors.notSupported('spec.type', spec.type, TYPES));
  if (spec.type === 'ExternalName') {
    if (!spec.externalName) errs.push(fieldErrors.required('spec.externalName'));
    return errs;
  }
  const ports = spec.ports ?? [];
  if (!ports.length && spec.clusterIP !== 'None') errs.push(fieldErrors.required('spec.ports'));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    if (ports.length > 1 && !p.name) errs.push(fieldErrors.required(`spec.ports[${i}].name`));
    if (p.name) {
      if (names.has(p.name)) errs.push(fieldErrors.duplicate(`spec.ports[${i}].name`, p.name));
      names.add(p.name);
    }
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) errs.push(fieldErrors.invalid(`spec.ports[${i}].port`, p.port, 'must be between 1 and 65535, inclusive'));
    if (p.protocol && !['TCP', 'UDP', 'SCTP'].includes(p.protocol)) errs.push(fieldErrors.notSupported(`spec.ports[${i}].protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
  });
  return errs;
}

export function servicesStrategy(ips: IpAllocator, ports: PortAllocator, claims: { ips: Claims; ports: Claims } = { ips: noClaims, ports: noClaims }): Strategy {
  const allocateIp = async (svc: Service, claim: boolean): Promise<string | undefined> => {
    const spec = svc.spec!;
    if (spec.type === 'ExternalName' || spec.clusterIP === 'None') {
      if (spec.clusterIP === 'None') spec.clusterIPs = ['None'];
      return undefined;
    }
    const taken = (ip: string, why: 'taken' | 'out-of-range') => errors.invalid('', 'Service', svc.metadata?.name ?? '', [fieldErrors.invalid('spec.clusterIPs', [ip],
      why === 'taken' ? `failed to allocate IP ${ip}: provided IP is already allocated` : `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${ips.cidr}`)]);
    if (spec.clusterIP) {
      const r = ips.allocate(spec.clusterIP);
      if (r !== 'ok') throw taken(spec.clusterIP, r);
      if (claim && !(await claims.ips.claim(spec.clusterIP))) throw taken(spec.clusterIP, 'taken');
    } else {
      for (let tries = 0; ; tries++) {
        const ip = await nextOrResync(() => ips.allocateNext(), async () => ips.resetTo(await claims.ips.list()), claim);
        if (!claim || (await claims.ips.claim(ip))) {
          spec.clusterIP = ip;
          break;
        }
        if (tries > 64) throw errors.internal('failed to allocate a serviceIP: every candidate was claimed by another server');
      }
    }
    spec.clusterIPs = [spec.clusterIP];
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
    return spec.clusterIP;
  };

  const allocatePorts = async (svc: Service, keep: Set<number>, claim: boolean): Promise<number[]> => {
    const got: number[] = [];
    if (!needsNodePorts(svc)) {
      for (const p of svc.spec?.ports ?? []) delete p.nodePort;
      return got;
    }
    for (const [i, p] of (svc.spec?.ports ?? []).entries()) {
      if (p.nodePort) {
        if (keep.has(p.nodePort)) continue;
        let r = ports.allocate(p.nodePort);
        if (r === 'ok' && claim && !(await claims.ports.claim(String(p.nodePort)))) r = 'taken';
        if (r !== 'ok') {
          for (const g of got) await release(undefined, [g], claim);
          throw errors.invalid('', 'Service', svc.metadata?.name ?? '', [fieldErrors.invalid(`spec.ports[${i}].nodePort`, p.nodePort,
            r === 'taken' ? 'provided port is already allocated' : `provided port is not in the valid range. The range of valid ports is ${ports.min}-${ports.max}`)]);
        }
        got.push(p.nodePort);
      } else {
        for (let tries = 0; ; tries++) {
          const port = await nextOrResync(() => ports.allocateNext(), async () => ports.resetTo((await claims.ports.list()).map(Number)), claim);
          if (!claim || (await claims.ports.claim(String(port)))) {
            p.nodePort = port;
            break;
          }
          if (tries > 64) throw errors.internal('failed to allocate a nodePort: every candidate was claimed by another server');
        }
        got.push(p.nodePort);
      }
    }
    return got;
  };

  /** The next candidate; when memory says the range is full, other servers may have freed some: resync once. */
  const nextOrResync = async <T>(next: () => T, resync: () => Promise<void>, claim: boolean): Promise<T> => {
    try {
      return next();
    } catch (err) {
      if (!claim) throw err;
      await resync();
      return next();
    }
  };

  const release = async (ip: string | undefined, nodePorts: number[], claimed: boolean): Promise<void> => {
    if (ip && ip !== 'None') {
      ips.release(ip);
      if (claimed) await claims.ips.release(ip);
    }
    for (const p of nodePorts) {
      ports.release(p);
      if (claimed) await claims.ports.release(String(p));
    }
  };

  return {
    nameValidator: nameIsDNS1035Label,
    hasStatus: true,
    defaults: (o) => defaults(o as Service),
    async prepareForCreate(o, ctx) {
      const svc = o as Service;
      svc.status = { loadBalancer: {} };
      const errs = validate(svc);
      if (errs.length) throw errors.invalid('', 'Service', svc.metadata?.name ?? '', errs);
      const claim = !ctx.dryRun;
      const ip = await allocateIp(svc, claim);
      let got: number[];
      try {
        got = await allocatePorts(svc, new Set(), claim);
      } catch (e) {
        await release(ip, [], claim);
        throw e;
      }
      if (ctx.dryRun) await release(ip, got, false);
    },
    async prepareForUpdate(o, old, ctx) {
      const svc = o as Service;
      const prev = old as Service;
      svc.status = prev.status;
      const spec = (svc.spec ??= {});
      if (!spec.clusterIP && prev.spec?.clusterIP) {
        spec.clusterIP = prev.spec.clusterIP;
        spec.clusterIPs = prev.spec.clusterIPs;
      }
      if (spec.clusterIP !== prev.spec?.clusterIP && prev.spec?.type !== 'ExternalName' && spec.type !== 'ExternalName') {
        throw errors.invalid('', 'Service', svc.metadata?.name ?? '', [fieldErrors.invalid('spec.clusterIPs[0]', spec.clusterIP ?? '', 'may not change once set')]);
      }
      const claim = !ctx.dryRun;
      if (!prev.spec?.clusterIP && spec.type !== 'ExternalName') await allocateIp(svc, claim);
      // Keep node ports the old object had for the same port.
      const oldPorts = new Set((prev.spec?.ports ?? []).map((p) => p.nodePort).filter((p): p is number => Boolean(p)));
      if (needsNodePorts(svc)) {
        for (const p of spec.ports ?? []) {
          if (!p.nodePort) {
            const same = (prev.spec?.ports ?? []).find((q) => q.port === p.port && (q.protocol ?? 'TCP') === (p.protocol ?? 'TCP') && q.nodePort);
            if (same) p.nodePort = same.nodePort;
          }
        }
      }
      await allocatePorts(svc, oldPorts, claim);
      const nowPorts = new Set((spec.ports ?? []).map((p) => p.nodePort).filter((p): p is number => Boolean(p)));
      if (claim) await release(undefined, [...oldPorts].filter((p) => !nowPorts.has(p)), true);
    },
    validate: (o) => validate(o as Service),
    async afterDelete(o) {
      const svc = o as Service;
      await release(svc.spec?.clusterIP, (svc.spec?.ports ?? []).map((p) => p.nodePort).filter((p): p is number => Boolean(p)), true);
    },
    getAttrs: (o) => ({ 'spec.clusterIP': (o as Service).spec?.clusterIP ?? '', 'spec.type': (o as Service).spec?.type ?? '' }),
  };
}

/** Marks the addresses and ports of already stored Services as used (at API server start). */
export function restoreAllocations(services: Service[], ips: IpAllocator, ports: PortAllocator): void {
  for (const s of services) {
    if (s.spec?.clusterIP && s.spec.clusterIP !== 'None') ips.allocate(s.spec.clusterIP);
    for (const p of s.spec?.ports ?? []) if (p.nodePort) ports.allocate(p.nodePort);
  }
}
