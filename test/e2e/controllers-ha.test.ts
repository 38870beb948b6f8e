/**
 * High availability of the controller manager against the real API server (in-process): two managers
 * stand for election on `kube-system/k8ts-controller-manager`; only the holder runs controllers; when it
 * stops (without releasing: as if killed), the other takes over within the lease duration and creates
 * no duplicate pods.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, Lease, Pod } from '../../src/api/types.js';
import { resources } from '../../src/client/resource.js';
import { LEADER_LEASE_NAME, LEADER_LEASE_NAMESPACE } from '../../src/controllers/manager.js';
import { eventually, startControllerEnv, type ControllerEnv } from '../../src/controllers/testing/apiserver-env.js';

let env: ControllerEnv;
const LEASE_MS = 2000;

before(async () => {
  env = await startControllerEnv();
  await env.ensureNamespace('kube-system');
});

after(async () => {
  await env.stop();
});

test('leadership moves to the standby within the lease duration; no duplicate pods', async () => {
  const timing = { leaseDurationMs: LEASE_MS, renewDeadlineMs: 1500, retryPeriodMs: 200 };
  const a = env.startManager({ identity: 'server-a', controllers: ['replicaset'], leaderElection: timing });
  await eventually(() => a.manager.isLeader(), 5000, 'a leads');
  const b = env.startManager({ identity: 'server-b', controllers: ['replicaset'], leaderElection: timing });
  const ns = 'ha';
  await env.ensureNamespace(ns);
  const rsRef = { ...resources.replicasets, namespace: ns };
  await env.client.create(rsRef, { metadata: { name: 'web' }, spec: { replicas: 5, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
  const pods = async () => (await env.client.list<Pod & KubeObject>({ ...resources.pods, namespace: ns })).items;
  await eventually(async () => (await pods()).length === 5, 10_000, '5 pods');
  assert.equal(b.manager.isLeader(), false);
  const lease = await env.client.get<Lease & KubeObject>({ ...resources.leases, namespace: LEADER_LEASE_NAMESPACE }, LEADER_LEASE_NAME);
  assert.equal(lease.spec?.holderIdentity, 'server-a');

  // "Kill" a: stop it, then put back the lease record it held — a killed process never releases it, so
  // b has to wait out the lease duration.
  await a.stop();
  await env.client.patch({ ...resources.leases, namespace: LEADER_LEASE_NAMESPACE }, LEADER_LEASE_NAME, 'merge', { spec: { holderIdentity: 'server-a', leaseDurationSeconds: LEASE_MS / 1000 } });
  const killed = Date.now();
  await eventually(() => b.manager.isLeader(), 3 * LEASE_MS, 'b takes over');
  const took = Date.now() - killed;
  assert.ok(took <= LEASE_MS + 2 * 200 * 1.2 + 500, `hand-over took ${took} ms`);
  // The new leader's ReplicaSet controller sees the existing pods: it creates none, and still heals.
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await pods()).length, 5, 'no duplicate pods');
  await env.client.delete({ ...resources.pods, namespace: ns }, (await pods())[0]!.metadata!.name!);
  await eventually(async () => (await pods()).filter((p) => !p.metadata?.deletionTimestamp).length === 5, 10_000, 'b replaces a deleted pod');
  await b.stop();
});
