import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { runStoreConformance } from '../testing/conformance.js';
import { SqliteStore } from './store.js';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshFile = () => join(dir, `db${n++}`, 'state.db');

runStoreConformance('sqlite', async () => SqliteStore.open(freshFile()));

runStoreConformance('sqlite :memory:', async () => SqliteStore.open(':memory:'));

const value = Buffer.alloc(1024, 'v');

test('sqlite: a writer that awaits each write in a loop does not starve timers', async () => {
  const store = SqliteStore.open(freshFile());
  try {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const end = Date.now() + 300;
    for (let i = 0; Date.now() < end; i++) await store.create(`/registry/loop/k${i}`, value);
    clearInterval(timer);
    assert.ok(ticks >= 5, `timer fired ${ticks} times in 300 ms of writing`);
  } finally {
    await store.close();
  }
});

test('sqlite: background checkpoints keep the WAL bounded under a steady write load', async () => {
  const file = freshFile();
  const store = SqliteStore.open(file, { checkpoint: { everyCommits: 100, maxWalFrames: 256 } });
  try {
    let biggest = 0;
    for (let i = 0; i < 6000; i++) {
      await store.create(`/registry/wal/k${i}`, value);
      if (i % 500 === 0) {
        await new Promise((r) => setTimeout(r, 5)); // let checkpoint results arrive
        if (existsSync(`${file}-wal`)) biggest = Math.max(biggest, statSync(`${file}-wal`).size);
      }
    }
    // Unchecked, 6000 one-KiB writes leave a WAL of about 90 MiB.
    assert.ok(biggest < 32 * 1024 * 1024, `WAL reached ${biggest} bytes`);
    assert.equal((await store.list('/registry/wal/')).kvs.length, 6000);
  } finally {
    await store.close();
  }
});

test('sqlite: compaction deletes superseded rows and deletion markers, keeps live ones', async () => {
  const file = freshFile();
  const store = SqliteStore.open(file);
  let rev = await store.create('/registry/c/a', value);
  for (let i = 0; i < 9; i++) rev = await store.update('/registry/c/a', value, rev);
  const rb = await store.create('/registry/c/b', value);
  await store.delete('/registry/c/b', rb);
  await store.create('/registry/c/c', value);
  await store.compact(await store.currentRevision());
  await store.close();
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT name, deleted FROM revisions ORDER BY id').all() as { name: string; deleted: number }[];
    assert.deepEqual(rows.map((r) => `${r.name}:${r.deleted}`), ['/registry/c/a:0', '/registry/c/c:0']);
  } finally {
    db.close();
  }
});

test('sqlite: background compaction runs on its interval and keeps the newest revisions', async () => {
  const store = SqliteStore.open(freshFile(), { compactIntervalMs: 20, compactRetain: 5 });
  try {
    let rev = await store.create('/registry/bg/a', value);
    for (let i = 0; i < 20; i++) rev = await store.update('/registry/bg/a', value, rev);
    await new Promise((r) => setTimeout(r, 100));
    const compacted = await new Promise<number | undefined>((resolve) => {
      store.watch('/registry/bg/', 1, () => {}, (err) => resolve(err.compactedRevision));
    });
    assert.equal(compacted, rev - 5);
    assert.equal((await store.get('/registry/bg/a')).kv?.modRevision, rev);
  } finally {
    await store.close();
  }
});

test('sqlite: the revision survives a restart even when compaction removed the newest row', async () => {
  const file = freshFile();
  let store = SqliteStore.open(file);
  const r1 = await store.create('/registry/r/a', value);
  const { revision } = await store.delete('/registry/r/a', r1);
  await store.compact(revision); // the deletion marker at `revision` is gone now
  await store.close();
  store = SqliteStore.open(file);
  try {
    assert.equal(await store.currentRevision(), revision);
    assert.equal(await store.create('/registry/r/a', value), revision + 1);
    await assert.rejects(store.list('/registry/r/', { revision: revision - 1 }), /compacted/);
  } finally {
    await store.close();
  }
});
