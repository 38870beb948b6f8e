/**
 * Scheduler micro-benchmark: the framework alone, in memory (no API server). Schedules 10,000 pods onto
 * 1,000 and onto 5,000 nodes through the real `Scheduler` (queue, cache, default profile, binding
 * through an in-memory sink) and prints pods/s, per-pod scheduling-cycle latency (p50/p99) and
 * queued-to-bound latency (p50/p99), the process CPU time it took (on a shared machine wall-clock
 * throughput depends on the load; pods per CPU-second does not), and heap use.
 *
 *   node dist/bench/scheduler/framework.js [--pods 10000] [--nodes 1000,5000] [--timeout 120] [--replicasets 0]
 */
import { Scheduler, type AttemptResult } from '../../src/scheduler/scheduler.js';
import { FakeCluster } from '../../src/scheduler/testing/fake-cluster.js';
import type { Node, Pod } from '../../src/scheduler/framework/types.js';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
}

const PODS = Number(arg('pods', '10000'));
const NODE_COUNTS = arg('nodes', '1000,5000').split(',').map(Number);
const TIMEOUT_S = Number(arg('timeout', '120'));
/** With N > 0, pods belong to N ReplicaSets, so system-default topology spreading applies to them. */
const REPLICASETS = Number(arg('replicasets', '0'));

function node(i: number): Node {
  const name = `node-${i}`;
  return {
    metadata: { name, uid: `n-${i}`, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': `zone-${i % 3}`, 'kubernetes.io/os': 'linux' } },
    spec: {},
    status: { allocatable: { cpu: '32', memory: '128Gi', pods: '110', 'ephemeral-storage': '200Gi' }, images: [{ names: ['registry.k8s.io/pause:3.10'], sizeBytes: 300_000 }] },
  };
}

function pod(i: number): Pod {
  const rs = REPLICASETS > 0 ? i % REPLICASETS : -1;
  return {
    metadata: {
      name: `pod-${i}`, namespace: 'bench', uid: `p-${i}`, labels: rs >= 0 ? { app: `rs-${rs}` } : { app: `app-${i % 50}` }, creationTimestamp: new Date().toISOString(),
      ...(rs >= 0 ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `rs-${rs}`, uid: `rs-${rs}`, controller: true }] } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
    status: { phase: 'Pending' },
  };
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function run(numNodes: number): Promise<void> {
  const cluster = new FakeCluster();
  for (let i = 0; i < numNodes; i++) cluster.nodes.set(`node-${i}`, node(i));
  const s = new Scheduler({ source: cluster, sink: cluster });
  for (let r = 0; r < REPLICASETS; r++) {
    s.handle({ kind: 'ReplicaSet', type: 'ADDED', object: { metadata: { name: `rs-${r}`, namespace: 'bench', uid: `rs-${r}` }, spec: { selector: { matchLabels: { app: `rs-${r}` } } } } });
  }
  const cycles: number[] = [];
  const queuedAt = new Map<string, number>();
  const e2e: number[] = [];
  let failed = 0;
  s.onAttempt((r: AttemptResult) => {
    if (r.result !== 'scheduled') {
      failed++;
      return;
    }
    cycles.push(r.cycleMs);
    const t = queuedAt.get(r.pod.metadata!.name!);
    if (t !== undefined) e2e.push(performance.now() - t);
  });
  await s.start();
  const heapBefore = process.memoryUsage().heapUsed;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < PODS; i++) {
    const p = pod(i);
    queuedAt.set(p.metadata!.name!, performance.now());
    cluster.addPod(p);
  }
  const deadline = t0 + TIMEOUT_S * 1000;
  while (cluster.bindings.length < PODS && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const heapAfter = process.memoryUsage().heapUsed;
  await s.stop();
  cycles.sort((a, b) => a - b);
  e2e.sort((a, b) => a - b);
  const done = cluster.bindings.length;
  console.log(
    `nodes=${numNodes}${REPLICASETS ? ` replicasets=${REPLICASETS}` : ''} pods=${done}/${PODS}${done < PODS ? ' (TIMED OUT)' : ''} failedAttempts=${failed} ` +
      `elapsed=${elapsed.toFixed(2)}s throughput=${(done / elapsed).toFixed(0)} pods/s ` +
      `cpu=${cpuS.toFixed(2)}s (${(done / cpuS).toFixed(0)} pods per CPU-second) ` +
      `cycle p50=${pct(cycles, 50).toFixed(3)}ms p75=${pct(cycles, 75).toFixed(3)}ms p90=${pct(cycles, 90).toFixed(3)}ms p99=${pct(cycles, 99).toFixed(3)}ms mean=${(cycles.reduce((a, b) => a + b, 0) / cycles.length).toFixed(3)}ms ` +
      `queued-to-bound p50=${pct(e2e, 50).toFixed(0)}ms p99=${pct(e2e, 99).toFixed(0)}ms ` +
      `heap=${(heapAfter / 2 ** 20).toFixed(0)}MiB (+${((heapAfter - heapBefore) / 2 ** 20).toFixed(0)}MiB during run)`,
  );
}

for (const n of NODE_COUNTS) await run(n);
