/**
 * The API server with the official @kubernetes/client-node 1.4: list, create, the three patch types,
 * watch from a resourceVersion, delete. The client runs inside the cluster's sealed network namespace:
 * this file re-runs itself there with K8TS_CLIENT_NODE_STEPS set, and that run prints one JSON line of
 * results, which the test checks.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startCluster, type Cluster } from '../harness/cluster.js';

async function steps(kubeconfig: string): Promise<Record<string, unknown>> {
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const namespace = 'default';
  const out: Record<string, unknown> = {};
  const list = await core.listNamespacedConfigMap({ namespace });
  out.listRv = list.metadata?.resourceVersion;
  const created = await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'cn', labels: { a: 'b' } }, data: { x: '1' } } });
  out.createdUid = created.metadata?.uid;
  const events: string[] = [];
  const watch = new k8s.Watch(kc);
  const done = new Promise<void>((resolve) => {
    void watch.watch(`/api/v1/namespaces/${namespace}/configmaps`, { resourceVersion: created.metadata?.resourceVersion },
      (type: string, obj: { metadata?: { name?: string }; data?: Record<string, string> }) => {
        events.push(`${type} ${obj.metadata?.name} ${JSON.stringify(obj.data ?? {})}`);
        if (type === 'DELETED') resolve();
      }, () => resolve()).then((req) => { setTimeout(() => { req.abort(); resolve(); }, 10_000).unref(); });
  });
  const opt = (ct: string) => k8s.setHeaderOptions('Content-Type', ct);
  await core.patchNamespacedConfigMap({ name: 'cn', namespace, body: [{ op: 'add', path: '/data/y', value: '2' }] }, opt(k8s.PatchStrategy.JsonPatch));
  await core.patchNamespacedConfigMap({ name: 'cn', namespace, body: { data: { x: null, z: '3' } } }, opt(k8s.PatchStrategy.MergePatch));
  const smp = await core.patchNamespacedConfigMap({ name: 'cn', namespace, body: { metadata: { labels: { c: 'd' } } } }, opt(k8s.PatchStrategy.StrategicMergePatch));
  out.patched = { data: smp.data, labels: smp.metadata?.labels };
  await core.deleteNamespacedConfigMap({ name: 'cn', namespace });
  await done;
  out.events = events;
  try {
    await core.readNamespacedConfigMap({ name: 'cn', namespace });
    out.afterDelete = 'found';
  } catch (e) {
    out.afterDelete = (e as { code?: number }).code;
  }
  return out;
}

if (process.env.K8TS_CLIENT_NODE_STEPS) {
  steps(process.env.K8TS_CLIENT_NODE_STEPS).then(
    (r) => { console.log(JSON.stringify(r)); process.exit(0); },
    (e) => { console.error(e); process.exit(1); },
  );
} else {
  let c: Cluster;
  before(async () => { c = await startCluster({ args: ['--disable-agent'] }); });
  after(async () => { await c?.stop(); });

  test('client-node: list, create, JSON/merge/strategic patch, watch from a resourceVersion, delete', async () => {
    const r = await c.run(process.execPath, [fileURLToPath(import.meta.url)], { env: { K8TS_CLIENT_NODE_STEPS: c.kubeconfig } });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.match(String(out.listRv), /^\d+$/);
    assert.match(String(out.createdUid), /^[0-9a-f-]{36}$/);
    assert.deepEqual(out.patched, { data: { y: '2', z: '3' }, labels: { a: 'b', c: 'd' } });
    assert.deepEqual(out.events, [
      'MODIFIED cn {"x":"1","y":"2"}',
      'MODIFIED cn {"y":"2","z":"3"}',
      'MODIFIED cn {"y":"2","z":"3"}',
      'DELETED cn {"y":"2","z":"3"}',
    ]);
    assert.equal(out.afterDelete, 404);
  });
}
