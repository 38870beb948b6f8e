import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { FakeClient } from '../client/fake.js';
import { FakeRecorder } from '../client/record/fake-recorder.js';
import { resources } from '../client/resource.js';
import { CONTROLLER_DESCRIPTORS, defaultRegistry } from './descriptors.js';
import { ControllerManager, LEADER_LEASE_NAME } from './manager.js';
import { ControllerRegistry } from './registry.js';
import { staticDiscovery } from './util/discovery.js';

test('the registry: defaults minus disabled, aliases, unknown names rejected', () => {
  const r = defaultRegistry();
  assert.ok(r.names().includes('deployment') && r.names().includes('garbagecollector'));
  const sel = r.select(['deployment-controller', 'job']).map((d) => d.name);
  assert.ok(!sel.includes('deployment') && !sel.includes('job') && sel.includes('replicaset'));
  assert.throws(() => r.select(['deploymnet']), /unknown controller "deploymnet"/);
  const off = new ControllerRegistry([{ name: 'x', enabledByDefault: false, build: () => ({ run: async () => {} }) }]);
  assert.deepEqual(off.select().map((d) => d.name), []);
  assert.deepEqual(off.select([], ['x']).map((d) => d.name), ['x']);
  assert.equal(new Set(CONTROLLER_DESCRIPTORS.map((d) => d.name)).size, CONTROLLER_DESCRIPTORS.length);
});

test('two managers on one API: only the Lease holder runs controllers; the other takes over without duplicate pods', async () => {
  const client = new FakeClient();
  client.seed(resources.namespaces, { metadata: { name: 'kube-system' } });
  client.seed(resources.replicasets, {
    metadata: { name: 'web', namespace: 'default', uid: 'rs-uid' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  });
  const start = (identity: string) => {
    const m = new ControllerManager({
      client, registry: defaultRegistry(), discovery: staticDiscovery([]), identity,
      disabled: defaultRegistry().names().filter((n) => n !== 'replicaset'),
      leaderElection: { leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 100 },
      newRecorder: () => new FakeRecorder(),
      log: () => {},
    });
    const ac = new AbortController();
    return { m, ac, running: m.run(ac.signal) };
  };
  const pods = async () => (await client.list<KubeObject>({ ...resources.pods, namespace: 'default' })).items.filter((p) => !p.metadata?.deletionTimestamp);
  const until = async (cond: () => boolean | Promise<boolean>, what: string) => {
    for (let i = 0; i < 200; i++) { if (await cond()) return; await new Promise((r) => setTimeout(r, 25)); }
    throw new Error(`timed out: ${what}`);
  };
  const a = start('a');
  await until(() => a.m.isLeader(), 'a leads');
  const b = start('b');
  await until(async () => (await pods()).length === 3, '3 pods');
  assert.equal(b.m.isLeader(), false);
  assert.deepEqual(b.m.running, []);
  const lease = await client.get({ ...resources.leases, namespace: 'kube-system' }, LEADER_LEASE_NAME);
  assert.equal((lease.spec as { holderIdentity: string }).holderIdentity, 'a');
  a.ac.abort();
  await a.running;
  await until(() => b.m.isLeader() && b.m.running.includes('replicaset'), 'b takes over');
  // b's ReplicaSet controller starts from a fresh cache and finds the 3 pods: nothing to create.
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await pods()).length, 3);
  assert.equal(client.actions().filter((x) => x.verb === 'create' && x.resource === 'pods').length, 3, 'no duplicate pods');
  b.ac.abort();
  await b.running;
});
