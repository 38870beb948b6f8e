import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ApiError } from '../../api/errors.js';
import type { KubeObject, Pod, ResourceQuota } from '../../api/types.js';
import type { ResourceEntry } from '../registry/catalog.js';
import type { AdmissionAttributes } from './admission.js';
import { type QuotaAccess, resourceQuotaAdmission } from './resource-quota.js';

/** Quotas kept with a resourceVersion; `update` is a compare-and-swap that retries, like the ResourceStore. */
class FakeQuotas implements QuotaAccess {
  readonly quotas = new Map<string, { q: ResourceQuota; rv: number }>();
  writes = 0;
  constructor(qs: ResourceQuota[]) {
    for (const q of qs) this.quotas.set(q.metadata!.name!, { q, rv: 1 });
  }
  list(ns: string): ResourceQuota[] {
    return [...this.quotas.values()].map((e) => e.q).filter((q) => q.metadata?.namespace === ns);
  }
  async update(_ns: string, name: string, fn: (q: ResourceQuota) => ResourceQuota): Promise<void> {
    for (;;) {
      const cur = this.quotas.get(name)!;
      await new Promise((r) => setImmediate(r)); // let a concurrent writer in between read and write
      const next = fn(structuredClone(cur.q));
      if (this.quotas.get(name)!.rv !== cur.rv) continue; // conflict: read again
      this.quotas.set(name, { q: next, rv: cur.rv + 1 });
      this.writes++;
      return;
    }
  }
}

function quota(name: string, hard: Record<string, string>, used: Record<string, string> | undefined): ResourceQuota {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: 'ns' }, spec: { hard }, status: used ? { hard, used } : undefined } as ResourceQuota;
}

const entry = (resource: string, group = '') => ({ resource, group, namespaced: true }) as unknown as ResourceEntry;

function pod(name: string, containers: { name: string; requests?: Record<string, string>; limits?: Record<string, string> }[] = [{ name: 'c' }]): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns' },
    spec: { containers: containers.map((c) => ({ name: c.name, image: 'i', resources: { ...(c.requests && { requests: c.requests }), ...(c.limits && { limits: c.limits }) } })) } } as Pod;
}

function attrs(obj: KubeObject, e = entry('pods'), dryRun = false): AdmissionAttributes {
  return { operation: 'CREATE', entry: e, subresource: '', namespace: 'ns', name: obj.metadata!.name!, object: obj, dryRun };
}

async function refused(p: void | Promise<void>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 403);
    return err;
  }
  assert.fail('admitted');
}

test('charges pods and requests.cpu into status.used, then refuses the pod over the limit', async () => {
  const fake = new FakeQuotas([quota('q', { pods: '2', 'requests.cpu': '1' }, { pods: '0', 'requests.cpu': '0' })]);
  const plugin = resourceQuotaAdmission(fake);
  await plugin.validate!(attrs(pod('a', [{ name: 'c', requests: { cpu: '300m' } }])));
  await plugin.validate!(attrs(pod('b', [{ name: 'c', requests: { cpu: '300m' } }])));
  assert.deepEqual(fake.quotas.get('q')!.q.status!.used, { pods: '2', 'requests.cpu': '600m' });
  const err = await refused(plugin.validate!(attrs(pod('x', [{ name: 'c', requests: { cpu: '100m' } }]))));
  assert.equal(err.message, 'pods "x" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2');
});

test('requests.cpu over the hard limit names only the exceeded resource', async () => {
  const fake = new FakeQuotas([quota('q', { pods: '10', 'requests.cpu': '1' }, { pods: '1', 'requests.cpu': '800m' })]);
  const err = await refused(resourceQuotaAdmission(fake).validate!(attrs(pod('x', [{ name: 'c', requests: { cpu: '500m' } }]))));
  assert.equal(err.message, 'pods "x" is forbidden: exceeded quota: q, requested: requests.cpu=500m, used: requests.cpu=800m, limited: requests.cpu=1');
  assert.equal(fake.writes, 0);
});

test('two concurrent creates cannot both take the last slot', async () => {
  const fake = new FakeQuotas([quota('q', { pods: '1' }, { pods: '0' })]);
  const plugin = resourceQuotaAdmission(fake);
  const results = await Promise.allSettled([plugin.validate!(attrs(pod('a'))), plugin.validate!(attrs(pod('b')))]);
  assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  assert.equal(fake.quotas.get('q')!.q.status!.used!.pods, '1');
});

test('tracked cpu/memory must be stated by every container', async () => {
  const fake = new FakeQuotas([quota('q', { 'limits.cpu': '4', 'requests.memory': '1Gi' }, { 'limits.cpu': '0', 'requests.memory': '0' })]);
  const err = await refused(resourceQuotaAdmission(fake).validate!(attrs(pod('x', [{ name: 'c', requests: { memory: '1Mi' } }, { name: 'd' }]))));
  assert.equal(err.message, 'pods "x" is forbidden: failed quota: q: must specify limits.cpu for: c,d; requests.memory for: d');
});

test('status unknown until the controller fills status.used; quotas without status.hard are ignored', async () => {
  const unsynced = new FakeQuotas([quota('q', { pods: '1' }, undefined)]);
  await resourceQuotaAdmission(unsynced).validate!(attrs(pod('a')));
  const q = quota('q', { pods: '1', services: '1' }, { services: '0' });
  const err = await refused(resourceQuotaAdmission(new FakeQuotas([q])).validate!(attrs(pod('a'))));
  assert.equal(err.message, 'pods "a" is forbidden: status unknown for quota: q, resources: pods');
});

test('services, nodeports, configmaps and count/<resource>.<group>', async () => {
  const fake = new FakeQuotas([quota('q', { services: '5', 'services.nodeports': '1', configmaps: '1', 'count/deployments.apps': '1' },
    { services: '0', 'services.nodeports': '0', configmaps: '1', 'count/deployments.apps': '0' })]);
  const plugin = resourceQuotaAdmission(fake);
  const svc = (name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'ns' }, spec: { type: 'NodePort' } }) as KubeObject;
  await plugin.validate!(attrs(svc('s1'), entry('services')));
  const err = await refused(plugin.validate!(attrs(svc('s2'), entry('services'))));
  assert.equal(err.message, 'services "s2" is forbidden: exceeded quota: q, requested: services.nodeports=1, used: services.nodeports=1, limited: services.nodeports=1');
  const cm = await refused(plugin.validate!(attrs({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns' } }, entry('configmaps'))));
  assert.match(cm.message, /exceeded quota: q, requested: configmaps=1, used: configmaps=1, limited: configmaps=1$/);
  const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'ns' } } as KubeObject;
  await plugin.validate!(attrs(dep, entry('deployments', 'apps')));
  const d2 = await refused(plugin.validate!(attrs({ ...dep, metadata: { name: 'd2', namespace: 'ns' } }, entry('deployments', 'apps'))));
  assert.equal(d2.message, 'deployments.apps "d2" is forbidden: exceeded quota: q, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1');
});

test('memory sums keep the binary format; dry runs check without charging', async () => {
  const fake = new FakeQuotas([quota('q', { 'requests.memory': '1Gi' }, { 'requests.memory': '512Mi' })]);
  const plugin = resourceQuotaAdmission(fake);
  await plugin.validate!(attrs(pod('a', [{ name: 'c', requests: { memory: '256Mi' } }]), entry('pods'), true));
  assert.equal(fake.writes, 0);
  await plugin.validate!(attrs(pod('a', [{ name: 'c', requests: { memory: '256Mi' } }])));
  assert.equal(fake.quotas.get('q')!.q.status!.used!['requests.memory'], '768Mi');
});

test('a PVC is charged requests.storage', async () => {
  const fake = new FakeQuotas([quota('q', { 'requests.storage': '10Gi', persistentvolumeclaims: '5' }, { 'requests.storage': '8Gi', persistentvolumeclaims: '1' })]);
  const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'p', namespace: 'ns' }, spec: { resources: { requests: { storage: '4Gi' } } } } as KubeObject;
  const err = await refused(resourceQuotaAdmission(fake).validate!(attrs(pvc, entry('persistentvolumeclaims'))));
  assert.equal(err.message, 'persistentvolumeclaims "p" is forbidden: exceeded quota: q, requested: requests.storage=4Gi, used: requests.storage=8Gi, limited: requests.storage=10Gi');
});
