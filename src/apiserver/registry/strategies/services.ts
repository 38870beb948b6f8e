/**
 * Services: defaults (type ClusterIP, TCP ports, targetPort = port, single-stack IPv4, traffic policies),
 * a ClusterIP from the service CIDR and NodePorts from 30000-32767 on create (both released on delete),
 * ClusterIP immutable on update. Built per API server, since it owns the allocators.
 */
import type { Service } from '../../../api/types.js';
import { type FieldError, fieldErrors } from '../../../api/validation/field-error.js';
import { nameIsDNS1035Label } from '../../../api/validation/names.js';
import type { IpAllocator } from '../allocators/ip-allocator.js';
import type { PortAllocator } from '../allocators/port-allocator.js';
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

export function servicesStrategy(ips: IpAllocator, ports: PortAllocator): Strategy {
  const allocateIp = (svc: Service) => {
    const spec = svc.spec!;
    if (spec.type === 'ExternalName' || spec.clusterIP === 'None') {
      if (spec.clusterIP === 'None') spec.clusterIPs = ['None'];
      return undefined;
    }
    if (spec.clusterIP) {
      const r = ips.allocate(spec.clusterIP);
      if (r !== 'ok') {
        throw errors.invalid('', 'Service', svc.metadata?.name ?? '', [fieldErrors.invalid('spec.clusterIPs', [spec.clusterIP],
          r === 'taken' ? `failed to allocate IP ${spec.clusterIP}: provided IP is already allocated` : `failed to allocate IP ${spec.clusterIP}: the provided IP (${spec.clusterIP}) is not in the valid range. The range of valid IPs is ${ips.cidr}`)]);
      }
    } else spec.clusterIP = ips.allocateNext();
    spec.clusterIPs = [spec.clusterIP];
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
    return spec.clusterIP;
  };

  const allocatePorts = (svc: Service, keep: Set<number>): number[] => {
    const got: number[] = [];
    if (!needsNodePorts(svc)) {
      for (const p of svc.spec?.ports ?? []) delete p.nodePort;
      return got;
    }
    for (const [i, p] of (svc.spec?.ports ?? []).entries()) {
      if (p.nodePort) {
        if (keep.has(p.nodePort)) continue;
        const r = ports.allocate(p.nodePort);
        if (r !== 'ok') {
          for (const g of got) ports.release(g);
          throw errors.invalid('', 'Service', svc.metadata?.name ?? '', [fieldErrors.invalid(`spec.ports[${i}].nodePort`, p.nodePort,
            r === 'taken' ? 'provided port is already allocated' : `provided port is not in the valid range. The range of valid ports is ${ports.min}-${ports.max}`)]);
        }
        got.push(p.nodePort);
      } else {
        p.nodePort = ports.allocateNext();
        got.push(p.nodePort);
      }
    }
    return got;
  };

  return {
    nameValidator: nameIsDNS1035Label,
    hasStatus: true,
    defaults: (o) => defaults(o as Service),
    prepareForCreate(o, ctx) {
      const svc = o as Service;
      svc.status = { loadBalancer: {} };
      const errs = validate(svc);
      if (errs.length) throw errors.invalid('', 'Service', svc.metadata?.name ?? '', errs);
      const ip = allocateIp(svc);
      let got: number[];
      try {
        got = allocatePorts(svc, new Set());
      } catch (e) {
        if (ip) ips.release(ip);
        throw e;
      }
      if (ctx.dryRun) {
        if (ip) ips.release(ip);
        for (const p of got) ports.release(p);
      }
    },
    prepareForUpdate(o, old) {
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
      if (!prev.spec?.clusterIP && spec.type !== 'ExternalName') allocateIp(svc);
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
      allocatePorts(svc, oldPorts);
      const nowPorts = new Set((spec.ports ?? []).map((p) => p.nodePort).filter((p): p is number => Boolean(p)));
      for (const p of oldPorts) if (!nowPorts.has(p)) ports.release(p);
    },
    validate: (o) => validate(o as Service),
    afterDelete(o) {
      const svc = o as Service;
      if (svc.spec?.clusterIP && svc.spec.clusterIP !== 'None') ips.release(svc.spec.clusterIP);
      for (const p of svc.spec?.ports ?? []) if (p.nodePort) ports.release(p.nodePort);
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
