import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { etcdAvailable, ETCD_BIN, freePort, type RunningEtcd, startEtcd } from '../../../test/harness/etcd.js';
import { isStoreError } from '../store.js';
import { runStoreConformance } from '../testing/conformance.js';
import { EtcdStore } from './store.js';

if (!etcdAvailable()) {
  test(`etcd backend (skipped: ${ETCD_BIN} is not installed; apt-get install etcd-server)`, { skip: true }, () => {});
} else {
  let etcd: RunningEtcd;
  before(async () => { etcd = await startEtcd(); });
  after(async () => { await etcd?.stop(); });

  runStoreConformance('etcd', () => EtcdStore.open(etcd.endpoint));

  test('an unreachable etcd fails fast with Unavailable naming the endpoint', async () => {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const t0 = Date.now();
    await assert.rejects(EtcdStore.open(endpoint), (err: unknown) =>
      isStoreError(err, 'Unavailable') && err.message.includes(endpoint) && /unreachable|no answer/.test(err.message));
    assert.ok(Date.now() - t0 < 5000);
  });

  test('etcd going away ends watches with Unavailable and fails calls fast instead of hanging', async () => {
    const own = await startEtcd();
    const store = await EtcdStore.open(own.endpoint);
    try {
      const watchErr = new Promise<unknown>((resolve) => store.watch('/registry/', 0, () => {}, resolve));
      await store.create('/registry/pods/default/a', new Uint8Array([1]));
      await own.stop();
      const err = await watchErr;
      assert.ok(isStoreError(err, 'Unavailable'), String(err));
      const t0 = Date.now();
      await assert.rejects(store.get('/registry/pods/default/a'), (e: unknown) =>
        isStoreError(e, 'Unavailable') && e.message.includes(own.endpoint));
      assert.ok(Date.now() - t0 < 11_000);
    } finally {
      await store.close();
      await own.stop();
    }
  });

  test('several comma-separated endpoints: a dead one is skipped', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const store = await EtcdStore.open(`${dead},${etcd.endpoint}`);
    try {
      const r = await store.create(`/registry/multi/${Date.now()}`, new Uint8Array([1]));
      assert.ok(r > 0);
    } finally {
      await store.close();
    }
  });
}
