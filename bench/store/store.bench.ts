/**
 * Store benchmark: the SQLite backend, the etcd backend, and raw etcd (a bare gRPC client on the same
 * etcd protos, no k8ts layers) as the floor the etcd backend is measured against.
 *
 *   npx tsc -p . && node dist/bench/store/store.bench.js [--quick]
 *
 * Figures: writes/s sequential (one writer awaiting each write) and with 32 concurrent writers (median
 * of 9 half-second rounds), time to list 10,000 keys in one request (median of 5), and watch delivery
 * latency with 100 watchers on one prefix (from just before a write is issued until each watcher has
 * the event; p50 and p99 over 200 writes x 100 watchers). Values are 1 KiB. The etcd backend and raw
 * etcd share one fresh etcd 3.4 (test/harness/etcd.ts) and take turns. The CPU column is this process's
 * CPU time per write (for SQLite that includes the database engine; for etcd only the client side), a
 * figure that load from other processes on a shared machine does not distort. Prints a markdown table.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { etcdAvailable, startEtcd, type RunningEtcd } from '../../test/harness/etcd.js';
import type { Store } from '../../src/storage/store.js';
import { SqliteStore } from '../../src/storage/sqlite/store.js';
import { EtcdStore } from '../../src/storage/etcd/store.js';

const quick = process.argv.includes('--quick');
const WRITE_MS = quick ? 300 : 500;
const ROUNDS = quick ? 1 : 9;
const LIST_KEYS = 10_000;
const WATCHERS = 100;
const WATCH_WRITES = quick ? 50 : 200;
const VALUE = Buffer.alloc(1024, 'x');

/** What the benchmark drives: a k8ts Store, or raw etcd. */
interface Target {
  name: string;
  create(key: string, value: Buffer): Promise<unknown>;
  /** Lists every key under `prefix` in one request; resolves to the number of keys. */
  list(prefix: string): Promise<number>;
  watch(prefix: string, onKey: (key: string) => void): () => void;
  close(): Promise<void>;
}

function storeTarget(name: string, store: Store): Target {
  return {
    name,
    create: (k, v) => store.create(k, v),
    list: async (p) => (await store.list(p)).kvs.length,
    watch: (p, onKey) => {
      const w = store.watch(p, 0, (evs) => { for (const e of evs) onKey(e.kv.key); }, (err) => { throw err; });
      return () => w.close();
    },
    close: () => store.close(),
  };
}

// ---- raw etcd: grpc-js + proto-loader on the etcd protos, nothing of k8ts ----

function prefixEnd(p: string): Buffer {
  const b = Buffer.from(p);
  b[b.length - 1]!++;
  return b;
}

/**
 * Raw etcd. With `txn`, creates are the same guarded write the backend sends (Txn: create_revision == 0,
 * then put), which etcd itself processes more slowly than a plain Put under concurrency.
 */
function rawEtcdTarget(endpoint: string, txn: boolean): Target {
  const protoDir = fileURLToPath(new URL('../../../src/storage/etcd/proto/', import.meta.url));
  const def = protoLoader.loadSync('rpc.proto', { includeDirs: [protoDir], keepCase: true, longs: Number, defaults: true, oneofs: true });
  const pkg = grpc.loadPackageDefinition(def) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  const target = endpoint.replace('http://', '');
  const opts = { 'grpc.max_receive_message_length': -1 };
  const kv = new pkg.etcdserverpb.KV(target, grpc.credentials.createInsecure(), opts);
  const watchClient = new pkg.etcdserverpb.Watch(target, grpc.credentials.createInsecure(), opts);
  const unary = (method: string, req: unknown) => new Promise<any>((resolve, reject) => // eslint-disable-line @typescript-eslint/no-explicit-any
    kv[method](req, (err: Error | null, res: unknown) => (err ? reject(err) : resolve(res))));
  let stream: grpc.ClientDuplexStream<unknown, any> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
  const handlers = new Map<number, (key: string) => void>();
  let nextId = 1;
  return {
    name: txn ? 'raw etcd, Txn create' : 'raw etcd, Put (floor)',
    create: txn
      ? (k, v) => {
        const key = Buffer.from(k);
        return unary('Txn', {
          compare: [{ result: 0, target: 1, key, create_revision: 0 }],
          success: [{ request_put: { key, value: v } }],
          failure: [{ request_range: { key } }],
        });
      }
      : (k, v) => unary('Put', { key: Buffer.from(k), value: v }),
    list: async (p) => (await unary('Range', { key: Buffer.from(p), range_end: prefixEnd(p) })).kvs.length,
    watch: (p, onKey) => {
      if (!stream) {
        stream = watchClient.Watch();
        stream!.on('data', (res: { watch_id: number; events: { kv: { key: Buffer } }[] }) => {
          const h = handlers.get(res.watch_id);
          if (h) for (const e of res.events) h(e.kv.key.toString());
        });
        stream!.on('error', () => {});
      }
      const id = nextId++;
      handlers.set(id, onKey);
      stream!.write({ create_request: { key: Buffer.from(p), range_end: prefixEnd(p), watch_id: id, prev_kv: true } });
      return () => handlers.delete(id);
    },
    close: async () => {
      stream?.cancel();
      watchClient.close();
      kv.close();
    },
  };
}

// ---- measurements ----
// The machine may be shared, so each figure is the median of several short rounds, and the etcd
// backend and raw etcd take turns round by round on one etcd: load that comes and goes hits both.

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
let seqNo = 0;

/** Writes/s of `writers` concurrent writers, and this process's CPU time per write (µs). */
async function writes(t: Target, writers: number): Promise<{ rate: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const end = start + WRITE_MS;
  const run = seqNo++;
  let n = 0;
  await Promise.all(Array.from({ length: writers }, async () => {
    while (performance.now() < end) await t.create(`/registry/bench-w${run}/k${n++}`, VALUE);
  }));
  const cpu = process.cpuUsage(cpu0);
  return { rate: n / ((performance.now() - start) / 1000), cpu: (cpu.user + cpu.system) / n };
}

async function fill(t: Target, prefix: string): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next < LIST_KEYS) {
      const i = next++;
      await t.create(`${prefix}ns${i % 10}/pod-${String(i).padStart(6, '0')}`, VALUE);
    }
  }));
}

async function listOnce(t: Target, prefix: string): Promise<number> {
  const t0 = performance.now();
  const n = await t.list(prefix);
  if (n !== LIST_KEYS) throw new Error(`${t.name}: listed ${n} keys, want ${LIST_KEYS}`);
  return performance.now() - t0;
}

/** Latency samples (ms) of `writes` writes, each seen by WATCHERS watchers. */
async function watchSamples(t: Target, writes: number): Promise<number[]> {
  const prefix = `/registry/bench-watch${seqNo++}/`;
  const samples: number[] = [];
  const pending = new Map<string, { t0: number; left: number; done: () => void }>();
  const onKey = (key: string) => {
    const p = pending.get(key);
    if (!p) return;
    samples.push(performance.now() - p.t0);
    if (--p.left === 0) { pending.delete(key); p.done(); }
  };
  const stops = Array.from({ length: WATCHERS }, () => t.watch(prefix, onKey));
  await new Promise((r) => setTimeout(r, 300)); // let every watch be established
  for (let i = 0; i < writes; i++) {
    const key = `${prefix}k${i}`;
    const delivered = new Promise<void>((done) => pending.set(key, { t0: performance.now(), left: WATCHERS, done }));
    await t.create(key, VALUE);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([delivered, new Promise((_, rej) => {
      timer = setTimeout(() => rej(new Error(`${t.name}: watch event ${key} not delivered`)), 10_000);
    })]);
    clearTimeout(timer);
  }
  for (const s of stops) s();
  return samples;
}

interface Row { name: string; seq: number; seqCpu: number; conc: number; cpu: number; listMs: number; p50: number; p99: number }

/** Measures `targets` (sharing one server, if any) in alternating rounds. */
async function measure(targets: Target[]): Promise<Row[]> {
  const seq = targets.map(() => [] as number[]);
  const conc = targets.map(() => [] as number[]);
  const cpu = targets.map(() => [] as number[]);
  const seqCpu = targets.map(() => [] as number[]);
  const list = targets.map(() => [] as number[]);
  const watch = targets.map(() => [] as number[]);
  // Warm up (connections, JIT), then alternate who goes first from round to round.
  for (const t of targets) await Promise.all(Array.from({ length: 32 }, async (_, w) => {
    for (let i = 0; i < 40; i++) await t.create(`/registry/bench-warmup/${t.name.replace(/\W/g, '')}-${w}-${i}`, VALUE);
  }));
  const order = (round: number) => targets.map((_, k) => (k + round) % targets.length).map((i) => [i, targets[i]!] as const);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, t] of order(round)) {
      const w = await writes(t, 1);
      seq[i]!.push(w.rate);
      seqCpu[i]!.push(w.cpu);
    }
    for (const [i, t] of order(round)) {
      const w = await writes(t, 32);
      conc[i]!.push(w.rate);
      cpu[i]!.push(w.cpu);
    }
  }
  const listPrefix = `/registry/bench-list${seqNo++}/`;
  await fill(targets[0]!, listPrefix);
  for (let round = 0; round < 5; round++) {
    for (const [i, t] of order(round)) list[i]!.push(await listOnce(t, listPrefix));
  }
  for (let round = 0; round < 4; round++) {
    for (const [i, t] of order(round)) watch[i]!.push(...await watchSamples(t, WATCH_WRITES / 4));
  }
  return targets.map((t, i) => {
    const w = watch[i]!.sort((a, b) => a - b);
    return {
      name: t.name, seq: median(seq[i]!), seqCpu: median(seqCpu[i]!), conc: median(conc[i]!), cpu: median(cpu[i]!), listMs: median(list[i]!),
      p50: w[Math.floor(w.length * 0.5)]!, p99: w[Math.floor(w.length * 0.99)]!,
    };
  });
}

const rows: Row[] = [];
const began = performance.now();
const dir = mkdtempSync(join(tmpdir(), 'k8ts-bench-store-'));
try {
  const sqlite = storeTarget('k8ts sqlite', SqliteStore.open(join(dir, 'state.db'), { compactIntervalMs: 0 }));
  rows.push(...await measure([sqlite]));
  await sqlite.close();
  process.stderr.write('  sqlite: done\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (etcdAvailable()) {
  const etcd = await startEtcd();
  try {
    const ours = storeTarget('k8ts etcd backend', await EtcdStore.open(etcd.endpoint));
    const raw = rawEtcdTarget(etcd.endpoint, false);
    const rawTxn = rawEtcdTarget(etcd.endpoint, true);
    rows.push(...await measure([ours, raw, rawTxn]));
    await ours.close();
    await raw.close();
    await rawTxn.close();
    process.stderr.write('  etcd: done\n');
  } finally {
    await etcd.stop();
  }
} else {
  process.stderr.write('etcd not installed: only SQLite measured\n');
}

const f = (n: number, d = 0) => n.toFixed(d);
console.log(`\nStore benchmark (${quick ? 'quick' : 'full'}): ${cpus().length} CPUs (${cpus()[0]?.model}), load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, Node ${process.version}, 1 KiB values\n`);
console.log('| target | writes/s sequential | CPU µs per write, sequential | writes/s 32 concurrent | CPU µs per write, 32 concurrent | list 10,000 keys (ms) | watch p50 (ms) | watch p99 (ms) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.name} | ${f(r.seq)} | ${f(r.seqCpu)} | ${f(r.conc)} | ${f(r.cpu)} | ${f(r.listMs, 1)} | ${f(r.p50, 2)} | ${f(r.p99, 2)} |`);
const ours = rows.find((r) => r.name === 'k8ts etcd backend');
const raw = rows.find((r) => r.name.startsWith('raw etcd, Put'));
const rawTxn = rows.find((r) => r.name.startsWith('raw etcd, Txn'));
const sqlite = rows.find((r) => r.name === 'k8ts sqlite');
if (sqlite) {
  console.log(`\nSQLite sequential writes per CPU-second (what one free core sustains): ${f(1e6 / sqlite.seqCpu)} (target ≥ 20,000)`);
}
if (ours && raw) {
  console.log(`\netcd backend / raw Put floor (1.00 = as fast as raw; target ≤ 1.30): sequential ${f(raw.seq / ours.seq, 2)}x, ` +
    `32 concurrent ${f(raw.conc / ours.conc, 2)}x, client CPU per write ${f(ours.seqCpu / raw.seqCpu, 2)}x / ${f(ours.cpu / raw.cpu, 2)}x, list ${f(ours.listMs / raw.listMs, 2)}x, ` +
    `watch p50 ${f(ours.p50 / raw.p50, 2)}x, p99 ${f(ours.p99 / raw.p99, 2)}x`);
}
if (ours && rawTxn) {
  console.log(`etcd backend / raw Txn (the same guarded write without k8ts): sequential ${f(rawTxn.seq / ours.seq, 2)}x, ` +
    `32 concurrent ${f(rawTxn.conc / ours.conc, 2)}x, client CPU per write ${f(ours.seqCpu / rawTxn.seqCpu, 2)}x / ${f(ours.cpu / rawTxn.cpu, 2)}x`);
}
console.log(`\ntotal ${f((performance.now() - began) / 1000, 1)} s`);
