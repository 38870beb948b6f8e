import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Pod } from '../../api/types.js';
import { FakeClient } from '../../client/fake.js';
import { FakeRecorder } from '../../client/record/fake-recorder.js';
import { inNamespace, resources } from '../../client/resource.js';
import { FakeRuntime } from '../cri/fake.js';
import { ProbeManager } from '../prober/manager.js';
import { StatusManager } from '../status/status-manager.js';
import { VolumeManager } from '../volumes/manager.js';
import { ImagePuller } from './image-puller.js';
import { noObjects, TempDirs } from './testing.js';
import { PodSyncer } from './pod-sync.js';
import { PodWorkers } from './pod-workers.js';

const dirs = new TempDirs();
after(() => dirs.removeAll());
const objects = noObjects;

async function until(fn: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('pod workers: a pod is run and reported Running; evict marks it Failed/Evicted and stops its containers; deletion removes it', async () => {
  const dir = await dirs.make('k8ts-workers-');
  const fake = new FakeRuntime();
  const client = new FakeClient();
  const podsRef = inNamespace(resources.pods, 'default');
  const probes = new ProbeManager(fake, () => {});
  const syncer = new PodSyncer({
    runtime: fake, puller: new ImagePuller(fake, objects), volumes: new VolumeManager(path.join(dir, 'pods'), objects), probes, objects,
    recorder: new FakeRecorder(), hostIP: '10.0.0.1', log: () => {},
    sandbox: { logsDir: path.join(dir, 'logs'), cgroupRoot: '/k8ts-unit', clusterDNS: '10.43.0.10', clusterDomain: 'cluster.local' },
  });
  const workers = new PodWorkers(client, syncer, new StatusManager(client), 50, () => {});
  const created = await client.create<Pod>(podsRef, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'n', containers: [{ name: 'c', image: 'busybox:1' }] } });
  const uid = created.metadata!.uid!;
  workers.update(created);
  await until(async () => (await client.get<Pod>(podsRef, 'p')).status?.phase === 'Running');
  assert.deepEqual(workers.activePods().map((p) => p.metadata!.uid), [uid]);

  await workers.evict(uid, 'Evicted', 'The node was low on resource: memory. ');
  const evicted = await client.get<Pod>(podsRef, 'p');
  assert.equal(evicted.status?.phase, 'Failed');
  assert.equal(evicted.status?.reason, 'Evicted');
  assert.equal((await fake.listContainers({ state: { state: 'CONTAINER_RUNNING' } })).length, 0);
  assert.deepEqual(workers.activePods(), []);

  workers.update({ ...evicted, metadata: { ...evicted.metadata, deletionTimestamp: new Date().toISOString() } });
  await until(async () => (await fake.listPodSandbox()).length === 0);
  await until(async () => (await client.list(podsRef)).items.length === 0);
  await workers.stop();
  probes.stop();
});
