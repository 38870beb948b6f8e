import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errors } from '../../api/errors.js';
import type { Lease, Node } from '../../api/types.js';
import { FakeClock, settle, settleUntil } from '../../client/clock.js';
import { FakeClient } from '../../client/fake.js';
import { inNamespace, resources } from '../../client/resource.js';
import { HEALTHY, type NodeHealth } from './conditions.js';
import { NodeManager } from './node-manager.js';
import type { NodeDescription } from './node-object.js';

const leases = inNamespace(resources.leases, 'kube-node-lease');

function describe(name: string): NodeDescription {
  return {
    name,
    addresses: [{ type: 'InternalIP', address: '10.0.0.1' }, { type: 'Hostname', address: name }],
    labels: { role: 'test' }, annotations: {}, taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }],
    capacity: { cpu: '4', memory: '8Gi', 'ephemeral-storage': '100Gi', pods: '110' },
    allocatable: { cpu: '4', memory: '8Gi', 'ephemeral-storage': '100Gi', pods: '110' },
    nodeInfo: { machineID: 'm', systemUUID: 's', bootID: 'b', kernelVersion: '6.1', osImage: 'Debian', containerRuntimeVersion: 'containerd://1.6',
      kubeletVersion: 'v1.32.0+k8ts', kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64' },
  };
}

async function advance(clock: FakeClock, ms: number, stepMs = 1000): Promise<void> {
  for (let t = 0; t < ms; t += stepMs) await clock.tick(Math.min(stepMs, ms - t));
  await settle();
  await settle();
}

const writesOf = (client: FakeClient, verb: string, resource: string) =>
  client.writes().filter((a) => a.verb === verb && a.resource === resource);

test('registration creates each Node with its status and a Lease owned by it; Leases are renewed every 10 s', async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const client = new FakeClient({ clock });
  const manager = new NodeManager({ client, clock });
  await manager.register([describe('n0'), describe('n1')]);
  await clock.tick(0); // the first Lease is due at once
  await settleUntil(() => writesOf(client, 'create', 'leases.coordination.k8s.io').length === 2, 100, 'first leases');

  const node = await client.get<Node>(resources.nodes, 'n0');
  assert.equal(node.metadata?.labels?.['kubernetes.io/hostname'], 'n0');
  assert.equal(node.metadata?.labels?.role, 'test');
  assert.deepEqual(node.spec?.taints, [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }]);
  assert.equal(node.status?.conditions?.find((c) => c.type === 'Ready')?.reason, 'KubeletReady');
  assert.equal(node.status?.nodeInfo?.kubeletVersion, 'v1.32.0+k8ts');
  const lease = await client.get<Lease>(leases, 'n0');
  assert.equal(lease.spec?.holderIdentity, 'n0');
  assert.equal(lease.spec?.leaseDurationSeconds, 40);
  assert.equal(lease.spec?.renewTime, '2026-01-01T00:00:00.000000Z');
  assert.deepEqual(lease.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'n0', uid: node.metadata?.uid }]);

  client.clearActions();
  await advance(clock, 10_000);
  assert.deepEqual(writesOf(client, 'update', 'leases.coordination.k8s.io').map((a) => a.name).sort(), ['n0', 'n1']);
  // Both registered at once, yet each renews at its own phase of the period.
  assert.equal((await client.get<Lease>(leases, 'n0')).spec?.renewTime, '2026-01-01T00:00:10.000000Z');
  assert.equal((await client.get<Lease>(leases, 'n1')).spec?.renewTime, '2026-01-01T00:00:06.180000Z');
  assert.equal(manager.counts.leaseRenewals, 4);
  await manager.stop();
  assert.equal(clock.waiters(), 0, 'no timers left after stop');
});

test('status is written every 5 minutes, or at the next 10 s sync when it changes', async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const client = new FakeClient({ clock });
  const health = new Map<string, NodeHealth>();
  const manager = new NodeManager({ client, clock, health: (n) => health.get(n) ?? HEALTHY });
  await manager.register([describe('n0'), describe('n1')]);
  client.clearActions();
  const statusPatches = () => client.writes().filter((a) => a.verb === 'patch' && a.resource === 'nodes' && a.subresource === 'status');

  await advance(clock, 290_000);
  assert.equal(statusPatches().length, 0, 'nothing changed, 5 min not yet over');
  await advance(clock, 21_000); // each node's sync comes at its own phase of the 10 s period
  assert.deepEqual(statusPatches().map((a) => a.name).sort(), ['n0', 'n1']);
  const ready = (await client.get<Node>(resources.nodes, 'n0')).status?.conditions?.find((c) => c.type === 'Ready');
  assert.equal(ready?.lastTransitionTime, '2026-01-01T00:00:00Z', 'transition time kept');
  assert.notEqual(ready?.lastHeartbeatTime, '2026-01-01T00:00:00Z', 'heartbeat moved');

  client.clearActions();
  health.set('n1', { ...HEALTHY, diskPressure: true });
  await advance(clock, 10_000);
  assert.deepEqual(statusPatches().map((a) => a.name), ['n1']);
  const disk = (await client.get<Node>(resources.nodes, 'n1')).status?.conditions?.find((c) => c.type === 'DiskPressure');
  assert.equal(disk?.status, 'True');
  assert.equal(disk?.reason, 'KubeletHasDiskPressure');
  await manager.stop();
});

test('an agent restart takes the existing Node and writes a fresh status at once; a Lease conflict restarts from a GET', async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const client = new FakeClient({ clock });
  const first = new NodeManager({ client, clock });
  await first.register([describe('n0')]);
  await clock.tick(0);
  await settleUntil(() => first.counts.leaseRenewals === 1, 100, 'first lease');
  await first.stop();

  await advance(clock, 60_000);
  client.clearActions();
  const second = new NodeManager({ client, clock });
  await second.register([describe('n0')]);
  await clock.tick(0);
  await settleUntil(() => client.writes().some((a) => a.verb === 'patch' && a.subresource === 'status'), 100, 'status write');
  assert.deepEqual(client.writes().map((a) => `${a.verb} ${a.resource}${a.subresource ? '/' + a.subresource : ''}`).sort(), [
    'create leases.coordination.k8s.io', // AlreadyExists
    'create nodes', // AlreadyExists
    'patch nodes/status',
    'update leases.coordination.k8s.io',
  ]);

  let conflicts = 1;
  client.prependReactor('update', 'leases.coordination.k8s.io', () => (conflicts-- > 0 ? { error: errors.conflict('coordination.k8s.io', 'leases', 'n0', 'stale') } : undefined));
  client.clearActions();
  await advance(clock, 10_000);
  assert.equal(second.counts.leaseErrors, 1);
  await advance(clock, 10_000);
  assert.deepEqual(client.actions().filter((a) => a.resource.startsWith('leases')).map((a) => a.verb), ['update', 'get', 'update']);
  await second.stop();
});
