/**
 * Two k8ts API servers on one etcd, each with its own controller manager: one active controller
 * manager at a time; when the active one dies (its server goes away first, so it cannot release the
 * Lease), the other takes over within the lease duration and no pod is created twice.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject, Lease, Pod } from '../../src/api/types.js';
import { resources } from '../../src/client/resource.js';
import { LEADER_LEASE_NAME, LEADER_LEASE_NAMESPACE } from '../../src/controllers/manager.js';
import { eventually, startControllerEnv, type ControllerEnv } from '../../src/controllers/testing/apiserver-env.js';
import { openStore } from '../../src/storage/index.js';
import { etcdAvailable, startEtcd, type RunningEtcd } from '../harness/etcd.js';

const skip = etcdAvailable() ? false : 'etcd is not installed (/usr/bin/etcd)';
let etcd: RunningEtcd | undefined;
let dir: string;
let a: ControllerEnv | undefined;
let b: ControllerEnv | undefined;

before(async () => {
  if (skip) return;
  etcd = await startEtcd();
  dir = mkdtempSync(join(tmpdir(), 'k8ts-ha-etcd-'));
  a = await startControllerEnv({ store: (await openStore({ endpoint: etcd.endpoint, dataDir: join(dir, 'a') })).store });
  b = await startControllerEnv({ store: (await openStore({ endpoint: etcd.endpoint, dataDir: join(dir, 'b') })).store });
});

after(async () => {
  await b?.stop();
  await a?.stop().catch(() => {});
  await etcd?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('two servers on one etcd: one active controller manager; hand-over on death without duplicate pods', { skip }, async () => {
  const timing = { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 250 };
  const ma = a!.startManager({ identity: 'server-a', controllers: ['replicaset'], leaderElection: timing });
  await eventually(() => ma.manager.isLeader(), 10_000, 'a leads');
  const mb = b!.startManager({ identity: 'server-b', controllers: ['replicaset'], leaderElection: timing });
  await b!.ensureNamespace('ha');
  const rsRef = { ...resources.replicasets, namespace: 'ha' };
  await b!.client.create(rsRef, { metadata: { name: 'web' }, spec: { replicas: 4, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
  const pods = async () => (await b!.client.list<Pod & KubeObject>({ ...resources.pods, namespace: 'ha' })).items;
  await eventually(async () => (await pods()).length === 4, 15_000, '4 pods (made by a, through server a, seen on server b)');
  assert.equal(mb.manager.isLeader(), false);
  assert.deepEqual(mb.manager.running, []);
  const lease = await b!.client.get<Lease & KubeObject>({ ...resources.leases, namespace: LEADER_LEASE_NAMESPACE }, LEADER_LEASE_NAME);
  assert.equal(lease.spec?.holderIdentity, 'server-a');

  // Server a dies: its API server goes first, so its manager can neither renew nor release the Lease.
  const died = Date.now();
  await a!.stop({ crash: true });
  a = undefined;
  await eventually(() => mb.manager.isLeader(), 4 * timing.leaseDurationMs, 'b takes over');
  const took = Date.now() - died;
  assert.ok(took <= timing.leaseDurationMs + 2 * timing.retryPeriodMs * 1.2 + 1000, `hand-over took ${took} ms`);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await pods()).length, 4, 'no duplicate pods');
  await b!.client.patch(rsRef, 'web', 'merge', { spec: { replicas: 5 } });
  await eventually(async () => (await pods()).length === 5, 10_000, 'b scales up');
});
