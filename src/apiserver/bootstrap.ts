/**
 * Objects every cluster has from its first start: the namespaces default, kube-system, kube-public and
 * kube-node-lease; the system-node-critical and system-cluster-critical PriorityClasses; and in `default`
 * the `kubernetes` Service (ClusterIP 10.43.0.1, port 443) with its
 * Endpoints and EndpointSlice pointing at the API server. Existing objects are left as they are, except
 * the endpoints, which follow the server's address.
 */
import { isAlreadyExists, isNotFound } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import { SYSTEM_PRIORITY_CLASSES } from './admission/priority.js';
import { KUBERNETES_SERVICE_IP } from './pki/bootstrap.js';
import type { ResourceStore } from './registry/resource-store.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

async function ensure(rs: ResourceStore, obj: KubeObject): Promise<void> {
  if (await rs.getKV(obj.metadata?.namespace ?? '', obj.metadata!.name!)) return;
  try {
    await rs.create(obj, { skipAdmission: true });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
}

async function upsert(rs: ResourceStore, obj: KubeObject): Promise<void> {
  const m = obj.metadata!;
  try {
    await rs.update(m.namespace ?? '', m.name!, (cur) => ({ ...structuredClone(obj), metadata: { ...cur.metadata, labels: m.labels } }), { skipAdmission: true });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await ensure(rs, obj);
  }
}

export async function bootstrapCluster(stores: (storage: string) => ResourceStore, endpoint: { ip: string; port: number }): Promise<void> {
  for (const name of SYSTEM_NAMESPACES) {
    await ensure(stores('namespaces'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  for (const pc of SYSTEM_PRIORITY_CLASSES) await ensure(stores('priorityclasses'), structuredClone(pc));
  const labels = { component: 'apiserver', provider: 'kubernetes' };
  await ensure(stores('services'), {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels },
    spec: { type: 'ClusterIP', clusterIP: KUBERNETES_SERVICE_IP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: endpoint.port }], sessionAffinity: 'None' },
  });
  await upsert(stores('endpoints'), {
    apiVersion: 'v1', kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: endpoint.ip }], ports: [{ name: 'https', port: endpoint.port, protocol: 'TCP' }] }],
  });
  await upsert(stores('endpointslices'), {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [endpoint.ip], conditions: { ready: true } }],
    ports: [{ name: 'https', port: endpoint.port, protocol: 'TCP' }],
  });
}
