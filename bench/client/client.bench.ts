/**
 * Client machinery benchmark.
 *
 *   npx tsc -p . && node --expose-gc dist/bench/client/client.bench.js [--quick]
 *
 * Figures:
 * - work queue: keys through add → get → done per second with 8 workers, 1,000 distinct keys, and how
 *   many of 100,000 adds were folded by de-duplication;
 * - informer: time for a shared informer to decode (JSON.parse), cache and dispatch a list of 10,000
 *   realistic pods served from memory (no API server), and the heap the cache holds for them (heap
 *   after sync minus heap before, after GC);
 * - informer: MODIFIED watch events decoded, applied to the cache and dispatched to a handler, per second;
 * - RestClient: sequential GETs per second and 32-concurrent GETs per second over TLS with keep-alive
 *   against the local test server (127.0.0.1), which measures the client plus a minimal server.
 * Prints a markdown table.
 */
import { performance } from 'node:perf_hooks';
import { cpus } from 'node:os';
import type { KubeList, KubeObject } from '../../src/api/types.js';
import { settleUntil } from '../../src/client/clock.js';
import { FakeClient } from '../../src/client/fake.js';
import { resources } from '../../src/client/resource.js';
import { RestClient } from '../../src/client/rest.js';
import { SharedInformer } from '../../src/client/cache/shared-informer.js';
import type { ListerWatcher } from '../../src/client/cache/listwatch.js';
import { WatchChannel } from '../../src/client/watch-channel.js';
import { WorkQueue } from '../../src/client/workqueue/queue.js';
import { makeTestPki } from '../../src/client/testing/test-pki.js';
import { startTestRestServer } from '../../src/client/testing/rest-server.js';

const quick = process.argv.includes('--quick');
const rows: [string, string][] = [];
const gc = (globalThis as { gc?: () => void }).gc;

function pod(i: number): KubeObject {
  const name = `web-7d4b9c8f6d-${i.toString(36).padStart(5, '0')}`;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, namespace: `ns-${i % 20}`, uid: `4f1c2d3e-0000-4000-8000-${i.toString(16).padStart(12, '0')}`, resourceVersion: String(i + 1),
      creationTimestamp: '2026-01-01T00:00:00Z', generateName: 'web-7d4b9c8f6d-',
      labels: { app: 'web', 'pod-template-hash': '7d4b9c8f6d' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b9c8f6d', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      nodeName: `node-${i % 100}`, restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30,
      serviceAccountName: 'default',
      containers: [{ name: 'web', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 80, protocol: 'TCP' }],
        resources: { requests: { cpu: '100m', memory: '128Mi' } }, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    },
    status: {
      phase: 'Running', hostIP: `10.0.0.${i % 100}`, podIP: `10.244.${(i >> 8) & 255}.${i & 255}`, startTime: '2026-01-01T00:00:01Z', qosClass: 'Burstable',
      conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastTransitionTime: '2026-01-01T00:00:02Z' })),
      containerStatuses: [{ name: 'web', ready: true, restartCount: 0, image: 'nginx:1.27', imageID: 'docker.io/library/nginx@sha256:abc', containerID: 'containerd://0123456789abcdef', started: true, state: { running: { startedAt: '2026-01-01T00:00:02Z' } } }],
    },
  };
}

async function benchQueue(): Promise<void> {
  const q = new WorkQueue<string>();
  const adds = quick ? 20_000 : 100_000;
  let processed = 0;
  const workers = Array.from({ length: 8 }, async () => {
    for (;;) {
      const k = await q.get();
      if (k === undefined) return;
      processed++;
      q.done(k);
    }
  });
  const t0 = performance.now();
  for (let i = 0; i < adds; i++) {
    q.add(`ns/key-${i % 1000}`);
    if (i % 5000 === 4999) await new Promise((r) => setImmediate(r));
  }
  await q.shutDownWithDrain();
  await Promise.all(workers);
  const s = (performance.now() - t0) / 1000;
  rows.push(['work queue: adds/s (8 workers, 1,000 keys, bursts of 5,000 adds)', `${Math.round(adds / s).toLocaleString('en')}`]);
  rows.push(['work queue: syncs for 100k adds (dedup)', `${processed.toLocaleString('en')} of ${adds.toLocaleString('en')}`]);
}

async function benchInformer(): Promise<void> {
  const n = 10_000;
  // A ListerWatcher that serves a pre-encoded list and a watch fed by hand, so only the reflector and
  // informer are measured (plus JSON.parse of the list, as a client decoding the wire would pay).
  const listJson = JSON.stringify({ apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: String(n) }, items: Array.from({ length: n }, (_, i) => pod(i)) });
  let channel: WatchChannel | undefined;
  const lw: ListerWatcher<KubeObject> = {
    list: async () => JSON.parse(listJson) as KubeList<KubeObject>,
    watch: async () => (channel = new WatchChannel()),
  };
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const informer = new SharedInformer<KubeObject>(lw, { name: 'pods', pageSize: 0 });
  let adds = 0;
  informer.addEventHandler({ onAdd: () => adds++ });
  const ac = new AbortController();
  const t0 = performance.now();
  const running = informer.run(ac.signal);
  await informer.whenSynced();
  const syncMs = performance.now() - t0;
  await settleUntil(() => channel !== undefined);
  gc?.();
  const after = process.memoryUsage().heapUsed;
  rows.push(['informer: decode, cache and dispatch a list of 10,000 pods', `${syncMs.toFixed(0)} ms`]);
  rows.push(['informer: heap held per 10,000 pods', gc ? `${((after - before) / 1024 / 1024).toFixed(1)} MiB (${Math.round((after - before) / n)} B/pod)` : 'run with --expose-gc']);

  const events = quick ? 20_000 : 100_000;
  let updates = 0;
  informer.addEventHandler({ onUpdate: () => updates++ });
  const encoded = Array.from({ length: 1000 }, (_, i) => JSON.stringify(pod(i)));
  const t1 = performance.now();
  for (let i = 0; i < events; i++) {
    channel!.push({ type: 'MODIFIED', object: JSON.parse(encoded[i % 1000]!) as KubeObject });
    if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
  }
  await settleUntil(() => updates >= events, 100_000, 'updates');
  const s = (performance.now() - t1) / 1000;
  rows.push(['informer: watch events decoded, cached and dispatched/s', `${Math.round(events / s).toLocaleString('en')}`]);
  ac.abort();
  await running;
  if (adds !== n) throw new Error(`expected ${n} adds, got ${adds}`);
}

async function benchRest(): Promise<void> {
  const pki = makeTestPki();
  const server = await startTestRestServer({ cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert });
  const client = new RestClient({ server: server.url, namespace: 'default', ca: Buffer.from(pki.caCert) });
  try {
    const ref = { ...resources.pods, namespace: 'ns-0' };
    server.backend.seed(resources.pods, pod(0));
    const name = pod(0).metadata!.name!;
    for (let i = 0; i < 50; i++) await client.get(ref, name);
    const seqN = quick ? 500 : 2000;
    let t0 = performance.now();
    for (let i = 0; i < seqN; i++) await client.get(ref, name);
    rows.push(['RestClient: sequential GETs/s (TLS, keep-alive)', `${Math.round(seqN / ((performance.now() - t0) / 1000)).toLocaleString('en')}`]);
    const parN = quick ? 2000 : 8000;
    t0 = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (next++ < parN) await client.get(ref, name);
    }));
    rows.push(['RestClient: 32-concurrent GETs/s', `${Math.round(parN / ((performance.now() - t0) / 1000)).toLocaleString('en')}`]);
  } finally {
    client.close();
    await server.close();
    pki.remove();
  }
}

await benchQueue();
await benchInformer();
await benchRest();
console.log(`client bench (${cpus().length} CPUs, node ${process.version}${quick ? ', --quick' : ''})\n`);
console.log('| figure | value |\n| --- | --- |');
for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
