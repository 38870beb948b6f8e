/**
 * Crash test: a child process writes as fast as 32 concurrent writers can, printing each acknowledged
 * write; we `kill -9` it partway, reopen the database, and check that every acknowledged write is there
 * intact, nothing half-written is visible, and revisions keep increasing. Two rounds, so the second
 * crash hits a database that already recovered from the first.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { BURST_PREFIX, burstValue } from '../testing/sqlite-child.js';
import { SqliteStore } from './store.js';

const child = fileURLToPath(new URL('../testing/sqlite-child.js', import.meta.url));

interface Acks {
  creates: Map<string, number>;
  /** Highest acknowledged counter value and its revision, per counter key. */
  counters: Map<string, { n: number; rev: number }>;
  maxRev: number;
}

/** Runs a burst until `acks` writes are acknowledged, then kills the child with SIGKILL. */
function burstAndKill(file: string, acks: number): Promise<Acks> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, 'burst', file, '32'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const res: Acks = { creates: new Map(), counters: new Map(), maxRev: 0 };
    let stderr = '';
    let count = 0;
    // Never leave a writer running: kill it after 30 s whatever happens (the test then fails).
    const guard = setTimeout(() => { try { process.kill(p.pid!, 'SIGKILL'); } catch { /* gone */ } }, 30_000);
    p.stderr.on('data', (d) => { stderr += d; });
    createInterface({ input: p.stdout }).on('line', (line) => {
      const [, kind, key, rev, n] = line.split(' ');
      const r = Number(rev);
      res.maxRev = Math.max(res.maxRev, r);
      if (kind === 'create') res.creates.set(key!, r);
      else {
        const prev = res.counters.get(key!);
        if (!prev || Number(n) > prev.n) res.counters.set(key!, { n: Number(n), rev: r });
      }
      if (++count === acks) process.kill(p.pid!, 'SIGKILL');
    });
    p.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (count < acks) reject(new Error(`child died after ${count} of ${acks} acknowledgements (${code ?? signal}): ${stderr}`));
      else if (signal !== 'SIGKILL') reject(new Error(`child exited ${code} before the kill: ${stderr}`));
      else resolve(res);
    });
  });
}

/** Checks the reopened store; `floorRev` is a revision the store had already reached before. */
async function check(file: string, acks: Acks, floorRev: number): Promise<number> {
  const store = SqliteStore.open(file, { compactIntervalMs: 0 });
  try {
    const rev = await store.currentRevision();
    assert.ok(rev >= acks.maxRev, `revision ${rev} went below the acknowledged ${acks.maxRev}`);
    // Every acknowledged create is there, byte for byte, at the acknowledged revision.
    for (const [key, r] of acks.creates) {
      const kv = (await store.get(key)).kv;
      assert.ok(kv, `acknowledged key ${key} (revision ${r}) is missing`);
      assert.equal(kv.modRevision, r);
      assert.ok(Buffer.from(kv.value).equals(burstValue(key)), `value of ${key} is damaged`);
    }
    // Every counter is at least at its last acknowledged value.
    for (const [key, { n, rev: r }] of acks.counters) {
      const kv = (await store.get(key)).kv!;
      const got = Number(Buffer.from(kv.value).toString());
      assert.ok(got >= n && kv.modRevision >= r, `${key}: have ${got}@${kv.modRevision}, acknowledged ${n}@${r}`);
    }
    // Nothing half-written: every visible value is exactly what some write wrote.
    const all = await store.list(BURST_PREFIX);
    for (const kv of all.kvs) {
      assert.ok(kv.modRevision <= rev, `${kv.key} at ${kv.modRevision}, beyond the revision ${rev}`);
      if (kv.key.includes('counter')) assert.match(Buffer.from(kv.value).toString(), /^\d+$/);
      else assert.ok(Buffer.from(kv.value).equals(burstValue(kv.key)), `value of ${kv.key} is damaged`);
    }
    // Revisions keep increasing after the restart.
    const afterKey = `${BURST_PREFIX}after-restart-${rev}`;
    const next = await store.create(afterKey, burstValue(afterKey));
    assert.ok(next > floorRev);
    assert.equal(next, rev + 1);
    return next;
  } finally {
    await store.close();
  }
}

test('acknowledged writes survive kill -9; nothing half-written; revisions keep increasing', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-crash-'));
  try {
    const file = join(dir, 'state.db');
    const first = await burstAndKill(file, 4000);
    assert.ok(first.creates.size > 100, `only ${first.creates.size} creates acknowledged`);
    const after1 = await check(file, first, 0);
    const second = await burstAndKill(file, 3000);
    assert.ok(Math.min(...second.creates.values()) > after1, 'revisions after the restart must be higher');
    await check(file, second, after1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
