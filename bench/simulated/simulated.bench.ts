/**
 * Load check of the simulated runtime: ONE `k8ts agent --simulate N` process against a real
 * `k8ts server` (SQLite), both child processes on 127.0.0.1 with a temporary data dir. Reports:
 *
 * - registration: wall time from the agent's start to all N Nodes (and first Leases) written;
 * - the agent's RSS after registration and at the end of the steady window;
 * - steady state over `--window` seconds: Lease updates/s seen by a watch on kube-node-lease (and the
 *   expected N / renew interval), the API server's and the agent's CPU (cores), Node status writes;
 * - optionally (`--pods P`): P pods created bound to the simulated nodes, time until all are Running.
 *
 *   node dist/bench/simulated/simulated.bench.js [--nodes 5000] [--lease-seconds 40] [--window 30] [--pods 0]
 *
 * Bounded: every phase has a deadline, and both processes are killed by PID at the end.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lease, Pod } from '../../src/api/types.js';
import { restConfigFromKubeconfig } from '../../src/client/kubeconfig.js';
import { RestClient } from '../../src/client/rest.js';
import { inNamespace, resources } from '../../src/client/resource.js';
import { freePort } from '../../test/harness/etcd.js';
import { cpuSeconds, rssMiB, startK8ts as start, stopProcess as stop } from '../lib/processes.js';

const args = process.argv.slice(2);
const flag = (n: string, d: string) => { const i = args.indexOf(`--${n}`); return i >= 0 ? args[i + 1]! : d; };
const NODES = Number(flag('nodes', '5000'));
const LEASE_SECONDS = Number(flag('lease-seconds', '40'));
const WINDOW_S = Number(flag('window', '30'));
const PODS = Number(flag('pods', '0'));
const REGISTER_DEADLINE_MS = 240_000;

const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-bench-simulated-'));
let server: ChildProcess | undefined;
let agent: ChildProcess | undefined;
try {
  const port = await freePort();
  ({ child: server } = await start(['server', '--data-dir', dataDir, '--https-listen-port', String(port), '--bind-address', '127.0.0.1', '--disable-agent'], 'k8ts: server ready', 60_000));
  const kubeconfig = join(dataDir, 'server', 'cred', 'admin.kubeconfig');
  const client = new RestClient(restConfigFromKubeconfig({ explicitPath: kubeconfig }));
  console.log(`simulated nodes: ${NODES}, lease duration ${LEASE_SECONDS} s (renewed every ${LEASE_SECONDS / 4} s), server on SQLite`);

  // Count Lease writes from the start: creates during registration, updates afterwards.
  const leaseWatch = await client.watch<Lease>(inNamespace(resources.leases, 'kube-node-lease'), { resourceVersion: '0' });
  const counts = { added: 0, modified: 0 };
  const watching = (async () => {
    for await (const ev of leaseWatch) {
      if (ev.type === 'ADDED') counts.added++;
      else if (ev.type === 'MODIFIED') counts.modified++;
    }
  })().catch(() => {});

  const t0 = performance.now();
  const serverCpu0 = cpuSeconds(server.pid!);
  let agentLog: () => string;
  ({ child: agent, log: agentLog } = await start(['agent', '--kubeconfig', kubeconfig, '--data-dir', join(dataDir, 'agent'), '--simulate', String(NODES),
    '--node-lease-duration-seconds', String(LEASE_SECONDS), '--simulate-pod-run-seconds', '5'], 'k8ts: agent: ready', REGISTER_DEADLINE_MS));
  const registeredMs = performance.now() - t0;
  const regEnd = Date.now() + 60_000;
  while (counts.added < NODES && Date.now() < regEnd) await new Promise((r) => setTimeout(r, 100));
  const leasesMs = performance.now() - t0;
  const serverCpuReg = cpuSeconds(server.pid!) - serverCpu0;
  const nodesTotal = (await client.list(resources.nodes, { labelSelector: 'k8ts.io/simulated=true' })).items.length;
  console.log(`registration: ${nodesTotal} nodes in ${(registeredMs / 1000).toFixed(1)} s (${Math.round(NODES / (registeredMs / 1000))} nodes/s), `
    + `${Math.min(counts.added, NODES)} leases by ${(leasesMs / 1000).toFixed(1)} s; API server CPU ${serverCpuReg.toFixed(1)} s during it`);
  console.log(`agent RSS after registration: ${rssMiB(agent.pid!)} MiB; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores`);

  // Steady state: let two renew intervals pass (the backlog of first Leases drains, renewals settle at
  // their phases), then measure over the window.
  await new Promise((r) => setTimeout(r, Math.min(LEASE_SECONDS * 500, 60_000)));
  const m0 = counts.modified;
  const sc0 = cpuSeconds(server.pid!);
  const ac0 = cpuSeconds(agent.pid!);
  const w0 = performance.now();
  await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
  const secs = (performance.now() - w0) / 1000;
  const updates = counts.modified - m0;
  const serverCpu = cpuSeconds(server.pid!) - sc0;
  const agentCpu = cpuSeconds(agent.pid!) - ac0;
  const expected = NODES / (LEASE_SECONDS / 4);
  console.log(`steady (${secs.toFixed(0)} s): lease updates ${(updates / secs).toFixed(0)}/s (expected ${expected.toFixed(0)}/s); `
    + `API server CPU ${(serverCpu / secs).toFixed(2)} cores (${((serverCpu * 1000) / Math.max(1, updates)).toFixed(2)} ms per lease update), `
    + `agent CPU ${(agentCpu / secs).toFixed(2)} cores (${((agentCpu * 1000) / Math.max(1, updates)).toFixed(2)} ms per update); `
    + `agent RSS ${rssMiB(agent.pid!)} MiB, API server RSS ${rssMiB(server.pid!)} MiB; load average ${loadavg()[0]!.toFixed(1)}`);
  const leaseErrors = agentLog().split('\n').filter((l) => l.includes('failed to update lease')).length;
  if (leaseErrors > 0) console.log(`agent logged ${leaseErrors} lease update error line(s) (at most one a second)`);

  if (PODS > 0) {
    const pods = inNamespace(resources.pods, 'default');
    const running = new Set<string>();
    const podWatch = await client.watch<Pod>(pods, { resourceVersion: '0' });
    const pw = (async () => {
      for await (const ev of podWatch) if (ev.object.status?.phase === 'Running') running.add(ev.object.metadata!.name!);
    })().catch(() => {});
    const p0 = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (next < PODS) {
        const i = next++;
        await client.create<Pod>(pods, { metadata: { name: `p-${i}` }, spec: { nodeName: `k8ts-sim-${i % NODES}`, containers: [{ name: 'c', image: 'nginx' }] } });
      }
    }));
    const created = performance.now() - p0;
    const end = Date.now() + 120_000;
    while (running.size < PODS && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    console.log(`pods: ${PODS} created in ${(created / 1000).toFixed(1)} s, ${running.size} Running after ${((performance.now() - p0) / 1000).toFixed(1)} s`);
    podWatch.stop();
    await pw;
  }
  leaseWatch.stop();
  await watching;
  client.close();
} finally {
  await stop(agent);
  await stop(server);
  rmSync(dataDir, { recursive: true, force: true });
}
