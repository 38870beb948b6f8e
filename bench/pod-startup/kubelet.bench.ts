/**
 * Pod start-up through the whole stack: `k8ts server` (real process, embedded agent: containerd + kubelet),
 * N pods (default 50) created at once through the API with the image present; for each, the time from
 * its create request to the first watch event showing it Running, and showing it Ready. Compare with the
 * CRI floor (cri-floor.bench.ts: the same sandbox + create + start done directly on containerd). Also the
 * idle memory of the server process (API server, controllers, kubelet) and of containerd.
 *
 * Run as root, inside a sealed network namespace (everything is removed afterwards):
 *   test/harness/in-netns.sh node dist/bench/pod-startup/kubelet.bench.js [--pods 50]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Pod } from '../../src/api/types.js';
import { restConfigFromKubeconfig } from '../../src/client/kubeconfig.js';
import { RestClient } from '../../src/client/rest.js';
import { inNamespace, resources } from '../../src/client/resource.js';
import { killallRuntime } from '../../src/kubelet/containerd/killall.js';
import { removePodCgroup } from '../../src/kubelet/pods/pod-sync.js';
import { repoRoot } from '../../test/harness/paths.js';
import { startRegistry } from '../../test/harness/registry.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function rssKiB(pid: number): Promise<number> {
  const s = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/^VmRSS:\s+(\d+)/m.exec(s)?.[1] ?? 0);
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

if (!process.env.K8TS_TEST_NETNS) {
  console.error('run inside a sealed netns: test/harness/in-netns.sh node dist/bench/pod-startup/kubelet.bench.js');
  process.exit(2);
}

const pods = arg('pods', 50);
const NODE = 'bench-node';
const dataDir = await mkdtemp(path.join(tmpdir(), 'k8ts-bench-pods-'));
const registry = await startRegistry({ images: ['pause', 'busybox'] });
const regFile = path.join(dataDir, 'registries.yaml');
await writeFile(regFile, `mirrors:\n  docker.io:\n    endpoint: ["http://${registry.address}"]\n  registry.k8s.io:\n    endpoint: ["http://${registry.address}"]\n`);
const server = spawn(process.execPath, [path.join(repoRoot(), 'dist', 'src', 'cli', 'main.js'), 'server', '--data-dir', path.join(dataDir, 'k8ts'),
  '--private-registry', regFile, '--node-name', NODE], { stdio: ['ignore', 'ignore', 'pipe'] });
let log = '';
server.stderr!.on('data', (d: Buffer) => (log += d));
const client = await (async () => {
  await until('server ready', async () => (log.includes('server ready') ? true : undefined), 120_000);
  return new RestClient(restConfigFromKubeconfig({ explicitPath: path.join(dataDir, 'k8ts', 'server', 'cred', 'admin.kubeconfig') }));
})();
const podsRef = inNamespace(resources.pods, 'default');
const podSpec = (name: string): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: { nodeName: NODE, terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'busybox', imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] },
});

try {
  await until('node registered', async () => ((await client.list(resources.nodes)).items.length > 0 ? true : undefined));
  // Warm-up: the image and the pause image pulled, containerd's caches warm.
  await client.create(podsRef, podSpec('warm'));
  await until('warm pod Running', async () => ((await client.get<Pod>(podsRef, 'warm')).status?.phase === 'Running' ? true : undefined));
  await client.delete(podsRef, 'warm');
  await until('warm pod gone', async () => ((await client.list(podsRef)).items.length === 0 ? true : undefined));
  await new Promise((r) => setTimeout(r, 2000));
  const containerdPid = Number((await readFile(path.join(dataDir, 'k8ts', 'agent', 'containerd', 'containerd.pid'), 'utf8')).trim());
  const idleServer = await rssKiB(server.pid!);
  const idleContainerd = await rssKiB(containerdPid);

  const created = new Map<string, number>();
  const running = new Map<string, number>();
  const ready = new Map<string, number>();
  const list = await client.list(podsRef);
  const watch = await client.watch<Pod>(podsRef, { resourceVersion: list.metadata?.resourceVersion });
  const watching = (async () => {
    for await (const ev of watch) {
      const p = ev.object;
      const name = p.metadata?.name ?? '';
      const now = performance.now();
      if (p.status?.phase === 'Running' && !running.has(name)) running.set(name, now);
      if (p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && !ready.has(name)) ready.set(name, now);
      if (ready.size === pods) break;
    }
  })();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: pods }, async (_, i) => {
    const name = `p-${i}`;
    created.set(name, performance.now());
    await client.create(podsRef, podSpec(name));
  }));
  await Promise.race([watching, new Promise((_, rej) => setTimeout(() => rej(new Error(`only ${ready.size}/${pods} Ready after 120 s`)), 120_000))]);
  watch.stop();
  const wall = performance.now() - t0;
  const lat = (m: Map<string, number>) => [...m].map(([n, t]) => t - created.get(n)!).sort((a, b) => a - b);
  const toRunning = lat(running);
  const toReady = lat(ready);
  const busyServer = await rssKiB(server.pid!);
  const ms = (n: number) => `${Math.round(n)} ms`;
  console.log(`pod-startup: ${pods} pods created at once through the API (k8ts server + embedded kubelet, image present)`);
  console.log(`  create → Running  p50 ${ms(percentile(toRunning, 50))}  p99 ${ms(percentile(toRunning, 99))}  max ${ms(toRunning.at(-1)!)}`);
  console.log(`  create → Ready    p50 ${ms(percentile(toReady, 50))}  p99 ${ms(percentile(toReady, 99))}  max ${ms(toReady.at(-1)!)}`);
  console.log(`  all ${pods} Ready after ${ms(wall)} (${(pods / (wall / 1000)).toFixed(1)} pods/s)`);
  console.log(`  idle memory (no pods): k8ts server process (API server, controllers, kubelet) ${Math.round(idleServer / 1024)} MiB RSS, containerd ${Math.round(idleContainerd / 1024)} MiB RSS`);
  console.log(`  with ${pods} pods running: k8ts server process ${Math.round(busyServer / 1024)} MiB RSS`);
  console.log(`  load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
} finally {
  const t = performance.now();
  const all = await client.list(podsRef).catch(() => ({ items: [] }));
  await Promise.all(all.items.map((p) => client.delete(podsRef, p.metadata!.name!).catch(() => {})));
  await until('pods gone', async () => ((await client.list(podsRef)).items.length === 0 ? true : undefined), 120_000).catch((e) => console.error(String(e)));
  client.close();
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  await killallRuntime({ dataDir: path.join(dataDir, 'k8ts') });
  await removePodCgroup('/k8ts');
  await registry.stop();
  await rm(dataDir, { recursive: true, force: true });
  console.log(`  cleanup: ${Math.round(performance.now() - t)} ms`);
}
