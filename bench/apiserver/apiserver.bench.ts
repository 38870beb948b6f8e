/**
 * API server benchmark over HTTPS on 127.0.0.1: pod creates/s and gets/s with 32 concurrent clients
 * (p50/p99 latency of the mutating calls), list latency at 10,000 pods (JSON and Table), and watch event
 * latency with 100 watchers. Runs the API server in a child process (bench/apiserver/server-main.ts) on
 * SQLite, and on etcd when /usr/bin/etcd exists.
 *
 *   node dist/bench/apiserver/apiserver.bench.js [--pods 10000] [--backend sqlite|etcd|all]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { etcdAvailable, freePort, startEtcd } from '../../test/harness/etcd.js';

const args = process.argv.slice(2);
const flag = (n: string, d: string) => { const i = args.indexOf(`--${n}`); return i >= 0 ? args[i + 1]! : d; };
const PODS = Number(flag('pods', '10000'));
/** `--only creates` stops after the create phase (for profiling the write path). */
const ONLY = flag('only', '');
const CONCURRENCY = 32;
const WATCHERS = 100;

interface Conn { port: number; token: string; ca: string; agent: Agent }

function call(c: Conn, method: string, path: string, body?: string, accept = 'application/json'): Promise<{ code: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: c.port, method, path, agent: c.agent, ca: c.ca,
      headers: { Authorization: `Bearer ${c.token}`, Accept: accept, ...(body ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

function pod(i: number): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${i}`, labels: { app: `a${i % 10}`, bench: 'yes' } },
    spec: { containers: [{ name: 'c', image: 'registry.local/nginx:1.25', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } });
}

async function parallel(n: number, fn: (i: number) => Promise<void>): Promise<number[]> {
  const lat: number[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < n) {
      const i = next++;
      const t = performance.now();
      await fn(i);
      lat.push(performance.now() - t);
    }
  }));
  return lat;
}

/** CPU seconds a process has used (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

async function runBackend(name: string, endpoint: string): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-bench-apiserver-'));
  const port = await freePort();
  const here = dirname(fileURLToPath(import.meta.url));
  const child = spawn(process.execPath, [...(process.env.K8TS_BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.K8TS_BENCH_PROF] : []), join(here, 'server-main.js'), dataDir, String(port), endpoint], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve(); });
      child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
    });
    const c: Conn = {
      port,
      token: readFileSync(join(dataDir, 'server', 'cred', 'admin.token'), 'utf8').trim(),
      ca: readFileSync(join(dataDir, 'server', 'tls', 'server-ca.crt'), 'utf8'),
      agent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY + WATCHERS + 4 }),
    };
    await call(c, 'POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'bench' } }));
    const base = '/api/v1/namespaces/bench/pods';

    let cpu0 = cpuSeconds(child.pid!);
    let t = performance.now();
    const createLat = await parallel(PODS, async (i) => {
      const r = await call(c, 'POST', base, pod(i));
      if (r.code !== 201) throw new Error(`create ${i}: ${r.code} ${r.body}`);
    });
    const createSecs = (performance.now() - t) / 1000;
    const createCpu = cpuSeconds(child.pid!) - cpu0;
    if (ONLY === 'creates') {
      c.agent.destroy();
      console.log(`pod creates: ${(PODS / createSecs).toFixed(0)}/s   p50 ${pct(createLat, 50).toFixed(1)} ms   p99 ${pct(createLat, 99).toFixed(1)} ms   (server CPU ${(createCpu * 1e6 / PODS).toFixed(0)} µs/create)`);
      return;
    }
    cpu0 = cpuSeconds(child.pid!);

    t = performance.now();
    const getLat = await parallel(PODS, async (i) => {
      const r = await call(c, 'GET', `${base}/p-${i}`);
      if (r.code !== 200) throw new Error(`get ${i}: ${r.code}`);
    });
    const getSecs = (performance.now() - t) / 1000;
    const getCpu = cpuSeconds(child.pid!) - cpu0;
    cpu0 = cpuSeconds(child.pid!);

    t = performance.now();
    const patchLat = await parallel(Math.min(PODS, 5000), async (i) => {
      const r = await new Promise<{ code: number }>((resolve, reject) => {
        const body = JSON.stringify({ metadata: { labels: { patched: String(i) } } });
        const req = request({ host: '127.0.0.1', port: c.port, method: 'PATCH', path: `${base}/p-${i}`, agent: c.agent, ca: c.ca,
          headers: { Authorization: `Bearer ${c.token}`, 'Content-Type': 'application/merge-patch+json', 'Content-Length': Buffer.byteLength(body) } }, (res) => { res.resume(); res.on('end', () => resolve({ code: res.statusCode ?? 0 })); });
        req.on('error', reject);
        req.end(body);
      });
      if (r.code !== 200) throw new Error(`patch ${i}: ${r.code}`);
    });
    const patchSecs = (performance.now() - t) / 1000;
    const patchCpu = cpuSeconds(child.pid!) - cpu0;

    const lists: number[] = [];
    const tables: number[] = [];
    let count = 0;
    for (let i = 0; i < 5; i++) {
      t = performance.now();
      const r = await call(c, 'GET', base);
      lists.push(performance.now() - t);
      count = (JSON.parse(r.body) as { items: unknown[] }).items.length;
      t = performance.now();
      await call(c, 'GET', base, undefined, 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json');
      tables.push(performance.now() - t);
    }

    // Watch latency: 100 watchers on configmaps; each create's event time minus the create's start.
    const sent = new Map<string, number>();
    const watchLat: number[] = [];
    const watchReqs: ReturnType<typeof request>[] = [];
    await Promise.all(Array.from({ length: WATCHERS }, () => new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port: c.port, method: 'GET', path: '/api/v1/namespaces/bench/configmaps?watch=true', agent: c.agent, ca: c.ca,
        headers: { Authorization: `Bearer ${c.token}` } }, (res) => {
        resolve();
        let buf = '';
        res.on('data', (d: Buffer) => {
          buf += d.toString();
          let nl;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const ev = JSON.parse(buf.slice(0, nl)) as { object: { metadata: { name: string } } };
            buf = buf.slice(nl + 1);
            const s = sent.get(ev.object.metadata.name);
            if (s !== undefined) watchLat.push(performance.now() - s);
          }
        });
        res.on('error', () => {});
      });
      req.on('error', () => {});
      req.end();
      watchReqs.push(req);
    })));
    for (let i = 0; i < 100; i++) {
      const nm = `w-${i}`;
      sent.set(nm, performance.now());
      await call(c, 'POST', '/api/v1/namespaces/bench/configmaps', JSON.stringify({ metadata: { name: nm }, data: { i: String(i) } }));
      await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, 500));
    for (const r of watchReqs) r.destroy();

    const f = (x: number) => x.toFixed(1);
    console.log(`\n== ${name} (${PODS} pods, ${CONCURRENCY} concurrent HTTPS clients) ==`);
    console.log(`pod creates:    ${(PODS / createSecs).toFixed(0)}/s   p50 ${f(pct(createLat, 50))} ms   p99 ${f(pct(createLat, 99))} ms   (server CPU ${(createCpu * 1e6 / PODS).toFixed(0)} µs/create, ${(100 * createCpu / createSecs).toFixed(0)}% of a core)`);
    console.log(`pod patches:    ${(patchLat.length / patchSecs).toFixed(0)}/s   p50 ${f(pct(patchLat, 50))} ms   p99 ${f(pct(patchLat, 99))} ms   (server CPU ${(patchCpu * 1e6 / patchLat.length).toFixed(0)} µs/patch)`);
    console.log(`pod gets:       ${(PODS / getSecs).toFixed(0)}/s   p50 ${f(pct(getLat, 50))} ms   p99 ${f(pct(getLat, 99))} ms   (server CPU ${(getCpu * 1e6 / PODS).toFixed(0)} µs/get)`);
    console.log(`machine load average during the run: ${loadavg()[0]!.toFixed(1)} (${cpus().length} cores)`);
    console.log(`list ${count} pods: median ${f(pct(lists, 50))} ms (JSON), ${f(pct(tables, 50))} ms (Table)`);
    console.log(`watch latency (${WATCHERS} watchers, ${watchLat.length} events): p50 ${f(pct(watchLat, 50))} ms   p99 ${f(pct(watchLat, 99))} ms`);
    c.agent.destroy();
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const backend = flag('backend', 'all');
if (backend === 'sqlite' || backend === 'all') await runBackend('sqlite', '');
if ((backend === 'etcd' || backend === 'all') && etcdAvailable()) {
  const etcd = await startEtcd();
  try {
    await runBackend('etcd', etcd.endpoint);
  } finally {
    await etcd.stop();
  }
}
