/**
 * A child process for the SQLite crash and lock tests (run with node, not as a test):
 *
 *   sqlite-child.js burst FILE WRITERS   opens the store and has WRITERS concurrent writers create keys and
 *                                        bump a per-writer counter until killed (or 100,000 writes or
 *                                        20 s, as a safety net), printing one line per acknowledged
 *                                        write: "ack create KEY REV" / "ack update KEY REV N"
 *   sqlite-child.js hold-store FILE      opens the store, prints "ready", waits to be killed
 *   sqlite-child.js hold-lock FILE       takes SQLite's own exclusive lock on FILE, prints "ready", waits
 */
import Database from 'better-sqlite3';
import { SqliteStore } from '../sqlite/store.js';

/** The value the burst writes at `key`: deterministic, so the parent can check it byte for byte. */
export function burstValue(key: string): Buffer {
  const size = 64 + (key.length * 7919) % 4000;
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = key.charCodeAt(i % key.length) ^ (i & 0xff);
  return b;
}

export const BURST_PREFIX = '/registry/crash/';
const MAX_WRITES = 100_000;

async function burst(file: string, writers: number): Promise<void> {
  const store = SqliteStore.open(file, { compactIntervalMs: 0 });
  const deadline = Date.now() + 20_000;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const run = async (w: number) => {
    const counterKey = `${BURST_PREFIX}counter-${w}`;
    let counterRev = (await store.get(counterKey)).kv?.modRevision;
    if (counterRev === undefined) counterRev = await store.create(counterKey, Buffer.from('0'));
    for (let i = 1; i <= MAX_WRITES / writers / 2 && Date.now() < deadline; i++) {
      const key = `${BURST_PREFIX}w${w}-${process.pid}-${i}`;
      const rev = await store.create(key, burstValue(key));
      out(`ack create ${key} ${rev}`);
      counterRev = await store.update(counterKey, Buffer.from(String(i)), counterRev);
      out(`ack update ${counterKey} ${counterRev} ${i}`);
    }
  };
  await Promise.all(Array.from({ length: writers }, (_, w) => run(w)));
  await store.close();
}

const [mode, file, arg] = process.argv.slice(2);
if (mode === 'burst') {
  await burst(file!, Number(arg ?? '32'));
} else if (mode === 'hold-store') {
  SqliteStore.open(file!);
  process.stdout.write('ready\n');
  setInterval(() => {}, 1 << 30);
} else if (mode === 'hold-lock') {
  const db = new Database(file!);
  db.exec('CREATE TABLE IF NOT EXISTS t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);');
  process.stdout.write('ready\n');
  setInterval(() => {}, 1 << 30);
}
