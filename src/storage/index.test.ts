import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from './index.js';
import { isStoreError } from './store.js';

test('the empty endpoint opens SQLite in <dataDir>/server/db/state.db', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-open-'));
  try {
    const { store, description } = await openStore({ endpoint: '', dataDir: dir });
    const file = join(dir, 'server', 'db', 'state.db');
    assert.equal(description, `sqlite ${file}`);
    assert.ok(existsSync(file));
    await store.create('/registry/namespaces/default', new Uint8Array([1]));
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('http:// endpoints go to etcd: an unreachable one is refused with one line', async () => {
  await assert.rejects(openStore({ endpoint: 'http://127.0.0.1:1', dataDir: '/nonexistent' }), (err: unknown) =>
    isStoreError(err, 'Unavailable') && err.message.startsWith('etcd http://127.0.0.1:1: unreachable') && !err.message.includes('\n'));
});

test('an unknown scheme names the endpoint', async () => {
  await assert.rejects(openStore({ endpoint: 'ftp://x', dataDir: '/nonexistent' }), /no datastore driver for endpoint "ftp:\/\/x"/);
});
