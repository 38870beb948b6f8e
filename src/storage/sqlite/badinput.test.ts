/**
 * Bad input to the SQLite store: a corrupt file, a file another process holds, and the server's
 * one-line refusal. (Oversized values and invalid keys are in the conformance suite, for every backend.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { isStoreError } from '../store.js';
import { SqliteStore } from './store.js';

const child = fileURLToPath(new URL('../testing/sqlite-child.js', import.meta.url));
const main = fileURLToPath(new URL('../../cli/main.js', import.meta.url));

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'k8ts-badinput-'));
}

/** Starts a sqlite-child in `mode` and waits for its "ready". */
function holder(mode: string, file: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, mode, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    p.stdout!.once('data', () => resolve(p));
    p.once('exit', (code) => reject(new Error(`holder exited ${code}`)));
  });
}

async function stop(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const gone = new Promise((r) => p.once('exit', r));
  process.kill(p.pid!, 'SIGKILL');
  await gone;
}

test('a file of garbage fails with Corrupt, naming the file', () => {
  const dir = tempDir();
  try {
    const file = join(dir, 'state.db');
    writeFileSync(file, randomBytes(64 * 1024));
    assert.throws(() => SqliteStore.open(file), (err: unknown) =>
      isStoreError(err, 'Corrupt') && err.message.includes(file) && /corrupt or not a SQLite database/.test(err.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a SQLite header followed by garbage fails with Corrupt', async () => {
  const dir = tempDir();
  try {
    const file = join(dir, 'state.db');
    const s = SqliteStore.open(file);
    for (let i = 0; i < 200; i++) await s.create(`/registry/pods/default/p${i}`, randomBytes(500));
    await s.close();
    // Keep the 100-byte header, smash the pages after it.
    const { openSync, writeSync, closeSync } = await import('node:fs');
    const fd = openSync(file, 'r+');
    writeSync(fd, randomBytes(16 * 1024), 0, 16 * 1024, 100);
    closeSync(fd);
    let err: unknown;
    try {
      const again = SqliteStore.open(file);
      await again.list('/registry/');
      await again.close();
    } catch (e) {
      err = e;
    }
    assert.ok(isStoreError(err, 'Corrupt'), `expected Corrupt, got ${String(err)}`);
    assert.ok((err as Error).message.includes(file));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a database another k8ts process has open fails with Unavailable: locked by another process', async () => {
  const dir = tempDir();
  const file = join(dir, 'state.db');
  const p = await holder('hold-store', file);
  try {
    const t0 = Date.now();
    assert.throws(() => SqliteStore.open(file, { busyTimeoutMs: 300 }), (err: unknown) =>
      isStoreError(err, 'Unavailable') && err.message === `sqlite ${file}: database is locked by another process (SQLITE_BUSY)`);
    assert.ok(Date.now() - t0 < 5000);
  } finally {
    await stop(p);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a database another program holds an exclusive SQLite lock on fails with Unavailable', async () => {
  const dir = tempDir();
  const file = join(dir, 'state.db');
  const p = await holder('hold-lock', file);
  try {
    assert.throws(() => SqliteStore.open(file, { busyTimeoutMs: 300 }), (err: unknown) =>
      isStoreError(err, 'Unavailable') && err.message.includes(file) && /locked by another process/.test(err.message));
  } finally {
    await stop(p);
    rmSync(dir, { recursive: true, force: true });
  }
  // Once the holder is gone the lock goes with it.
});

test('the lock dies with its process: a store reopens after the holder is killed', async () => {
  const dir = tempDir();
  const file = join(dir, 'state.db');
  try {
    const p = await holder('hold-store', file);
    await stop(p);
    const s = SqliteStore.open(file, { busyTimeoutMs: 300 });
    await s.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('k8ts server refuses a corrupt database with one line and a non-zero exit', () => {
  const dir = tempDir();
  try {
    const file = join(dir, 'server', 'db', 'state.db');
    mkdirSync(join(dir, 'server', 'db'), { recursive: true });
    writeFileSync(file, 'this is not a database'.repeat(1000));
    const r = spawnSync(process.execPath, [main, 'server', '--data-dir', dir], { encoding: 'utf8', timeout: 20_000 });
    assert.notEqual(r.status, 0);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /^k8ts server: cannot start: store: sqlite .*state\.db: database file is corrupt or not a SQLite database/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
