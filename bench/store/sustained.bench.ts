/**
 * Sustained sequential writes on the SQLite store: one writer awaiting each 1 KiB create, over windows
 * long enough (12 s by default) for the background checkpoints and the WAL restarts to fall inside them,
 * which the half-second rounds of store.bench.ts are too short to show.
 *
 *   node dist/bench/store/sustained.bench.js [--seconds 12] [--windows 2]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/storage/sqlite/store.js';

const args = process.argv.slice(2);
const flag = (n: string, d: string) => { const i = args.indexOf(`--${n}`); return i >= 0 ? args[i + 1]! : d; };
const WINDOW_MS = Number(flag('seconds', '12')) * 1000;
const WINDOWS = Number(flag('windows', '2'));
const VALUE = Buffer.alloc(1024, 'x');

const dir = mkdtempSync(join(tmpdir(), 'k8ts-bench-sustained-'));
try {
  const store = SqliteStore.open(join(dir, 'state.db'));
  console.log(`SQLite sustained sequential 1 KiB creates, ${WINDOWS} × ${WINDOW_MS / 1000} s; load average ${loadavg()[0]!.toFixed(1)}`);
  for (let w = 0; w < WINDOWS; w++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let n = 0;
    while (performance.now() - t0 < WINDOW_MS) await store.create(`/registry/bench/${w}-${n++}`, VALUE);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    console.log(`window ${w + 1}: ${Math.round((n / ms) * 1000)} writes/s, CPU ${(((cpu.user + cpu.system) / 1000 / ms) * 100).toFixed(0)}% of a core`);
  }
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
