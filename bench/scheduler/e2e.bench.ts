/**
 * The scheduler end to end through the real API server: a `k8ts server` (SQLite, no embedded agent) and
 * one `k8ts agent --simulate N` (SIMULATED nodes, no containers), both child processes on 127.0.0.1.
 * 10,000 unassigned pods are created by 32 concurrent clients; a watch sees each one bound.
 *
 * Reports pods/s (first create → last binding seen), per-pod scheduling latency p50/p99 (create
 * acknowledged → binding seen on the watch), the create rate alone, and the server's RSS and CPU.
 * The scheduler runs inside the server process, so its memory is part of the server's RSS.
 *
 *   node dist/bench/scheduler/e2e.bench.js [--nodes 1000,5000] [--pods 10000]
 *
 * Bounded: every phase has a deadline; both processes are stopped by PID and the data dir removed.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from '../../src/api/types.js';
import { restConfigFromKubeconfig } from '../../src/client/kubeconfig.js';
import { RestClient } from '../../src/client/rest.js';
import { inNamespace, resources } from '../../src/client/resource.js';
import { freePort } from '../../test/harness/etcd.js';
import { cpuSeconds, percentile, rssMiB, startK8ts, stopProcess } from '../lib/processes.js';

const args = process.argv.slice(2);
const flag = (n: string, d: string) => { const i = args.indexOf(`--${n}`); return i >= 0 ? args[i + 1]! : d; };
const NODE_COUNTS = flag('nodes', '1000,5000').split(',').map(Number);
const PODS = Number(flag('pods', '10000'));
const CREATORS = 32;
const PHASE_DEADLINE_MS = 300_000;

async function run(nodes: number): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-bench-sched-'));
  let server: ChildProcess | undefined;
  let agent: ChildProcess | undefined;
  try {
    const port = await freePort();
    ({ child: server } = await startK8ts(['server', '--data-dir', dataDir, '--https-listen-port', String(port), '--bind-address', '127.0.0.1',
      '--disable-agent'], 'k8ts: server ready', 60_000));
    const kubeconfig = join(dataDir, 'server', 'cred', 'admin.kubeconfig');
    const client = new RestClient(restConfigFromKubeconfig({ explicitPath: kubeconfig }));
    ({ child: agent } = await startK8ts(['agent', '--kubeconfig', kubeconfig, '--data-dir', join(dataDir, 'agent'), '--simulate', String(nodes),
      '--node-lease-duration-seconds', '120', '--simulate-pods', '110'], 'k8ts: agent: ready', PHASE_DEADLINE_MS));
    const listed = (await client.list(resources.nodes, { labelSelector: 'k8ts.io/simulated=true' })).items.length;
    if (listed !== nodes) throw new Error(`expected ${nodes} nodes, found ${listed}`);
    const rss0 = rssMiB(server.pid!);
    await new Promise((r) => setTimeout(r, 2000)); // let the scheduler's node informer catch up

    const pods = inNamespace(resources.pods, 'default');
    const createdAt = new Map<string, number>();
    const latencies: number[] = [];
    let lastBound = 0;
    const watch = await client.watch<Pod>(pods, {});
    const watching = (async () => {
      for await (const ev of watch) {
        const name = ev.object.metadata?.name ?? '';
        if (ev.object.spec?.nodeName && createdAt.has(name)) {
          lastBound = performance.now();
          latencies.push(lastBound - createdAt.get(name)!);
          createdAt.delete(name);
        }
      }
    })().catch(() => {});

    const cpu0 = cpuSeconds(server.pid!);
    const t0 = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: CREATORS }, async () => {
      while (next < PODS) {
        const name = `p-${next++}`;
        const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'bench' } },
          spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } };
        await client.create(pods, pod);
        createdAt.set(name, performance.now());
      }
    }));
    const createdMs = performance.now() - t0;
    const end = Date.now() + PHASE_DEADLINE_MS;
    while (latencies.length < PODS && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    watch.stop();
    await watching;
    const cpu = cpuSeconds(server.pid!) - cpu0;
    const totalS = (lastBound - t0) / 1000;
    const bound = latencies.length;
    client.close();
    return `| ${nodes} | ${PODS} | ${bound} | ${(bound / totalS).toFixed(0)} | ${(PODS / (createdMs / 1000)).toFixed(0)} | ${percentile(latencies, 50).toFixed(0)} | `
      + `${percentile(latencies, 99).toFixed(0)} | ${rss0} → ${rssMiB(server.pid!)} | ${(cpu / totalS).toFixed(2)} |`;
  } finally {
    await stopProcess(agent);
    await stopProcess(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(`scheduler end to end: ${PODS} pods, ${CREATORS} concurrent creators, SIMULATED nodes; `
  + `${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)}`);
const rows: string[] = [];
for (const n of NODE_COUNTS) rows.push(await run(n));
console.log('\n| nodes | pods | bound | pods/s scheduled | pods/s created | latency p50 (ms) | latency p99 (ms) | server RSS MiB (before → after) | server CPU (cores) |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(r);
