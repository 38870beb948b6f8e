/**
 * Controller-manager benchmark through the real API server, in-process on 127.0.0.1 (HTTPS):
 *
 *   npx tsc -p . && node --expose-gc dist/bench/controllers/deployment.bench.js [--replicas 1000] [--store sqlite|memory]
 *
 * Figures:
 * - create: time from POSTing a Deployment of N replicas to all N pods existing (Deployment controller
 *   creates the ReplicaSet, the ReplicaSet controller the pods in slow-start batches of up to 500);
 * - ready: time until the Deployment reports N available replicas, with a simulated kubelet that marks
 *   every new pod Running/Ready (one status PUT per pod) as soon as its watch sees it;
 * - rollout: time for a rolling update (new image, maxSurge/maxUnavailable 25%) to complete under the
 *   same simulated kubelet;
 * - cache: heap held by a pod informer's cache after syncing those pods (after GC), per 10,000 pods.
 * The store is the embedded SQLite of `k8ts server` (default) or the in-memory test store.
 * Bounded: each phase has a deadline; everything is stopped and removed at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Deployment, KubeObject, Pod } from '../../src/api/types.js';
import { startApiServer } from '../../src/apiserver/apiserver.js';
import { MemoryStore } from '../../src/apiserver/testing/memory-store.js';
import { SharedInformerFactory } from '../../src/client/cache/informer-factory.js';
import { formatTime } from '../../src/client/clock.js';
import { RestClient } from '../../src/client/rest.js';
import { inNamespace, resources } from '../../src/client/resource.js';
import { defaultRegistry } from '../../src/controllers/descriptors.js';
import { ControllerManager } from '../../src/controllers/manager.js';
import { apiDiscovery } from '../../src/controllers/util/discovery.js';
import { openStore } from '../../src/storage/index.js';
import type { Store } from '../../src/storage/store.js';

const args = process.argv.slice(2);
const flag = (n: string, d: string) => { const i = args.indexOf(`--${n}`); return i >= 0 ? args[i + 1]! : d; };
const REPLICAS = Number(flag('replicas', '1000'));
const STORE = flag('store', 'sqlite');
const DEADLINE_MS = Number(flag('timeout', '300')) * 1000;
const DEBUG = args.includes('--debug');
const gc = (globalThis as { gc?: () => void }).gc;

async function until(cond: () => boolean | Promise<boolean>, what: string): Promise<number> {
  const t0 = performance.now();
  while (!(await cond())) {
    if (performance.now() - t0 > DEADLINE_MS) {
      if (DEBUG) console.error(JSON.stringify((await client.list(inNamespace(resources.replicasets, 'bench'))).items.map((r) => [r.metadata?.name, r.spec, r.status]), null, 1).slice(0, 3000));
      throw new Error(`timed out: ${what}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return performance.now() - t0;
}

const dir = mkdtempSync(join(tmpdir(), 'k8ts-bench-controllers-'));
let store: Store;
if (STORE === 'memory') store = new MemoryStore();
else store = (await openStore({ endpoint: '', dataDir: dir })).store;
const server = await startApiServer(store, { dataDir: dir, port: 0, bindAddress: '127.0.0.1' });
const connect = () => new RestClient({ server: server.url, namespace: 'default', ca: Buffer.from(server.pki.serverCA.certPem), token: server.pki.adminToken });
const client = connect();
const mc = connect();
const registry = defaultRegistry();
const manager = new ControllerManager({
  client: mc, registry, discovery: apiDiscovery(mc), identity: 'bench',
  disabled: registry.names().filter((n) => !['replicaset', 'deployment'].includes(n)),
  leaderElection: false, log: () => {},
});
const ac = new AbortController();
const running = manager.run(ac.signal);

// The simulated kubelet: one informer on pods, a status PUT for every pod not yet Running.
const kubeletClient = connect();
const kubeletFactory = new SharedInformerFactory(kubeletClient);
const podInformer = kubeletFactory.forResource<Pod & KubeObject>(resources.pods);
let kubeletOn = false;
const pending = new Set<string>();
const backlog: (Pod & KubeObject)[] = [];
let inflight = 0;
const KUBELET_CONCURRENCY = 16;
const pump = () => {
  while (inflight < KUBELET_CONCURRENCY && backlog.length) void markReady(backlog.shift()!);
};
const markReady = async (p: Pod & KubeObject) => {
  inflight++;
  try {
    // Always from the latest cached copy, as a kubelet would.
    const cur = podInformer.lister().namespaced(p.metadata!.namespace!).get(p.metadata!.name!) ?? p;
    if (cur.metadata?.uid !== p.metadata?.uid || cur.metadata?.deletionTimestamp) return;
    const copy = structuredClone(cur);
    const now = formatTime(Date.now());
    copy.status = { ...copy.status, phase: 'Running', podIP: '10.42.0.2', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] };
    await kubeletClient.update(inNamespace(resources.pods, p.metadata!.namespace), copy, { subresource: 'status' });
  } catch (err) {
    if (DEBUG) console.error(`kubelet: ${(err as Error).message}`);
    setTimeout(() => { backlog.push(p); pump(); }, 100);
    return;
  } finally {
    inflight--;
    pump();
  }
};
const consider = (p: Pod & KubeObject) => {
  if (!kubeletOn || p.status?.phase === 'Running' || p.metadata?.deletionTimestamp || pending.has(p.metadata!.uid!)) return;
  pending.add(p.metadata!.uid!);
  backlog.push(p);
  pump();
};
podInformer.addEventHandler({ onAdd: consider, onUpdate: (_o, p) => consider(p) });
kubeletFactory.start(ac.signal);
await kubeletFactory.waitForCacheSync(ac.signal);

const ns = 'bench';
await client.create(resources.namespaces, { metadata: { name: ns } });
const dRef = inNamespace(resources.deployments, ns);
const countPods = async () => (await client.list(inNamespace(resources.pods, ns), { limit: 0 })).items.length;
const rows: [string, string][] = [];

try {
  const t0 = performance.now();
  await client.create(dRef, {
    metadata: { name: 'web' },
    spec: { replicas: REPLICAS, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } },
  });
  await until(() => podInformer.lister().namespaced(ns).list().length >= REPLICAS, 'pods created');
  const created = performance.now() - t0;
  rows.push([`create: ${REPLICAS} pods of a new Deployment`, `${(created / 1000).toFixed(2)} s (${Math.round(REPLICAS / (created / 1000))} pods/s)`]);
  if (await countPods() !== REPLICAS) throw new Error(`expected ${REPLICAS} pods, found ${await countPods()}`);

  const t1 = performance.now();
  kubeletOn = true;
  for (const p of podInformer.lister().namespaced(ns).list()) consider(p);
  const available = async () => ((await client.get<Deployment & KubeObject>(dRef, 'web')).status?.availableReplicas ?? 0) === REPLICAS;
  await until(available, 'available');
  rows.push(['ready: all available (simulated kubelet)', `${((performance.now() - t1) / 1000).toFixed(2)} s`]);

  const t2 = performance.now();
  await client.patch(dRef, 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.28' }] } } } });
  await until(async () => {
    const d = await client.get<Deployment & KubeObject>(dRef, 'web');
    const s = d.status ?? {};
    return s.observedGeneration === d.metadata!.generation && s.updatedReplicas === REPLICAS && s.availableReplicas === REPLICAS && s.replicas === REPLICAS;
  }, 'rollout');
  rows.push([`rollout: RollingUpdate 25%/25% of ${REPLICAS}`, `${((performance.now() - t2) / 1000).toFixed(2)} s`]);

  // Informer cache memory: a fresh pod informer, heap after sync minus before (after GC).
  const measure = new SharedInformerFactory(connect());
  gc?.(); gc?.();
  const before = process.memoryUsage().heapUsed;
  const inf = measure.forResource(resources.pods);
  const mac = new AbortController();
  measure.start(mac.signal);
  await measure.waitForCacheSync(mac.signal);
  await until(() => inf.lister().list().length >= REPLICAS, 'cache');
  gc?.(); gc?.();
  const held = process.memoryUsage().heapUsed - before;
  const n = inf.lister().list().length;
  rows.push([`cache: pod informer heap per 10,000 pods (${n} cached)`, gc ? `${((held / n) * 10_000 / 2 ** 20).toFixed(1)} MiB` : 'run with --expose-gc']);
  mac.abort();
  await measure.shutdown();
} finally {
  ac.abort();
  await running;
  await kubeletFactory.shutdown();
  client.close(); mc.close(); kubeletClient.close();
  await server.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

console.log(`\n| controllers (${STORE} store, ${REPLICAS} replicas) | figure |\n| --- | --- |`);
for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
