/**
 * bench/cli: wall time of `kubectl get pods` with 100 pods, real kubectl vs k8ts kubectl, against the same
 * k8ts API server (in-process, in-memory store, HTTPS on 127.0.0.1). Median of repeated runs, runs
 * interleaved so that machine load affects both alike. Discovery caches are warm (one run each first).
 *
 *   node dist/bench/cli/get-pods.js [runs]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startApiServer } from '../../src/apiserver/apiserver.js';
import { MemoryStore } from '../../src/apiserver/testing/memory-store.js';

const root = resolve(new URL('../../..', import.meta.url).pathname);
const runs = Number(process.argv[2] ?? 15);
const dir = mkdtempSync(join(tmpdir(), 'k8ts-bench-cli-'));
const server = await startApiServer(new MemoryStore(), { dataDir: join(dir, 'data'), port: 0, bindAddress: '127.0.0.1' });
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(kubeconfig, JSON.stringify({
  apiVersion: 'v1', kind: 'Config', 'current-context': 'k8ts',
  clusters: [{ name: 'k8ts', cluster: { server: server.url, 'certificate-authority-data': Buffer.from(server.pki.serverCA.certPem).toString('base64') } }],
  users: [{ name: 'admin', user: { token: server.pki.adminToken } }],
  contexts: [{ name: 'k8ts', context: { cluster: 'k8ts', user: 'admin' } }],
}));
const env = { PATH: process.env.PATH ?? '', HOME: dir, KUBECONFIG: kubeconfig };

/** Runs under /usr/bin/time to get the child's CPU time too (less disturbed by machine load than wall time). */
function run(cmd: string, args: string[]): Promise<{ ms: number; cpuMs: number; code: number; out: string }> {
  return new Promise((res) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'K8TS-CPU %U %S', cmd, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => {
      const m = /K8TS-CPU ([\d.]+) ([\d.]+)/.exec(err);
      res({ ms: performance.now() - t0, cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN, code: code ?? -1, out });
    });
  });
}

const pods = Array.from({ length: 100 }, (_, i) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${String(i).padStart(3, '0')}`, labels: { app: 'bench' } },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
}));
for (const p of pods) {
  const r = await fetchCreate(p);
  if (!r) throw new Error('create failed');
}

async function fetchCreate(pod: unknown): Promise<boolean> {
  const https = await import('node:https');
  return new Promise((res) => {
    const req = https.request(`${server.url}/api/v1/namespaces/default/pods`, {
      method: 'POST', ca: server.pki.serverCA.certPem, headers: { Authorization: `Bearer ${server.pki.adminToken}`, 'Content-Type': 'application/json' },
    }, (r) => { r.resume(); r.on('end', () => res(r.statusCode === 201)); });
    req.end(JSON.stringify(pod));
  });
}

const floor = join(dir, 'floor.js');
writeFileSync(floor, 'process.stdout.write("x\\n".repeat(101));\n');
const variants: [string, string, string[]][] = [
  ['node start-up floor (print 101 lines)', 'node', [floor]],
  ['real kubectl 1.32 (binary)', '/usr/lib/google-cloud-sdk/bin/kubectl.1.32', ['get', 'pods']],
  ['real /usr/bin/kubectl (dispatcher)', '/usr/bin/kubectl', ['get', 'pods']],
  ['k8ts bin/kubectl', join(root, 'bin/kubectl'), ['get', 'pods']],
  ['k8ts bin/k8ts kubectl', join(root, 'bin/k8ts'), ['kubectl', 'get', 'pods']],
];
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const times = new Map<string, number[]>(variants.map(([n]) => [n, []]));
const cpu = new Map<string, number[]>(variants.map(([n]) => [n, []]));
for (const [name, cmd, args] of variants) {
  const warm = await run(cmd, args);
  if (warm.code !== 0 || warm.out.split('\n').length < 101) throw new Error(`${name} failed: ${warm.out.slice(0, 200)}`);
}
for (let i = 0; i < runs; i++) {
  for (const [name, cmd, args] of variants) {
    const r = await run(cmd, args);
    times.get(name)!.push(r.ms);
    cpu.get(name)!.push(r.cpuMs);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`kubectl get pods, 100 pods, median of ${runs} runs (ms); load average ${(await import('node:os')).loadavg()[0].toFixed(1)}:`);
console.log(`  ${'variant'.padEnd(36)} ${'wall'.padStart(8)} ${'min'.padStart(8)} ${'cpu'.padStart(8)}`);
for (const [name, xs] of times) {
  console.log(`  ${name.padEnd(36)} ${median(xs).toFixed(1).padStart(8)} ${Math.min(...xs).toFixed(1).padStart(8)} ${median(cpu.get(name)!).toFixed(0).padStart(8)}`);
}
await server.stop();
rmSync(dir, { recursive: true, force: true });
