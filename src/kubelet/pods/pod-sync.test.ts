import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Pod } from '../../api/types.js';
import { FakeRecorder } from '../../client/record/fake-recorder.js';
import { FakeRuntime } from '../cri/fake.js';
import { ProbeManager } from '../prober/manager.js';
import { VolumeManager } from '../volumes/manager.js';
import { ImagePuller } from './image-puller.js';
import { noObjects, TempDirs } from './testing.js';
import { PodSyncer } from './pod-sync.js';

const dirs = new TempDirs();
after(() => dirs.removeAll());
const objects = noObjects;

async function setup() {
  const dir = await dirs.make('k8ts-podsync-');
  const fake = new FakeRuntime();
  const recorder = new FakeRecorder();
  const probes = new ProbeManager(fake, () => {});
  const syncer = new PodSyncer({
    runtime: fake, puller: new ImagePuller(fake, objects), volumes: new VolumeManager(path.join(dir, 'pods'), objects), probes, objects, recorder,
    sandbox: { logsDir: path.join(dir, 'logs'), cgroupRoot: '/k8ts-unit', clusterDNS: '10.43.0.10', clusterDomain: 'cluster.local' },
    hostIP: '10.0.0.1', log: () => {},
  });
  return { fake, recorder, syncer, probes };
}

function pod(restartPolicy: string, extra: Partial<Pod['spec']> = {}): Pod {
  return {
    metadata: { name: 'p', namespace: 'default', uid: `uid-${Math.random().toString(16).slice(2)}` },
    spec: { restartPolicy, containers: [{ name: 'c', image: 'busybox:1', command: ['sleep', '1'] }], ...extra },
  } as Pod;
}

test('a new pod: sandbox with cluster DNS, image pulled, container started; status Running with the pod IP', async () => {
  const { fake, recorder, syncer, probes } = await setup();
  const p = pod('Always');
  const out = await syncer.sync(p);
  assert.equal(out.status.phase, 'Running');
  assert.ok(out.status.podIP);
  const [sb] = await fake.listPodSandbox();
  const sbStatus = await fake.podSandboxStatus(sb!.id);
  assert.equal(sbStatus.status.metadata.uid, p.metadata!.uid);
  assert.deepEqual(recorder.events.map((e) => e.split(' ').slice(0, 2).join(' ')), ['Normal Pulled', 'Normal Created', 'Normal Started']);
  // A second pass changes nothing.
  const before = (await fake.listContainers()).length;
  await syncer.sync(p);
  assert.equal((await fake.listContainers()).length, before);
  probes.stop();
});

test('restartPolicy Always: an exited container restarts at once, then waits in CrashLoopBackOff', async () => {
  const { fake, syncer, probes } = await setup();
  const p = pod('Always');
  await syncer.sync(p);
  const [c1] = await fake.listContainers();
  fake.exitContainer(c1!.id, 2);
  const second = await syncer.sync(p);
  assert.equal(second.status.containerStatuses![0]!.restartCount, 1);
  assert.ok(second.status.containerStatuses![0]!.state?.running);
  const c2 = (await fake.listContainers({ state: { state: 'CONTAINER_RUNNING' } }))[0]!;
  fake.exitContainer(c2.id, 2);
  const third = await syncer.sync(p);
  const cs = third.status.containerStatuses![0]!;
  assert.equal(cs.state?.waiting?.reason, 'CrashLoopBackOff');
  assert.equal(cs.lastState?.terminated?.exitCode, 2);
  assert.equal(third.status.phase, 'Running');
  probes.stop();
});

test('restartPolicy Never: a pod whose container exits 0 is Succeeded and its sandbox stopped; terminate removes everything', async () => {
  const { fake, syncer, probes } = await setup();
  const p = pod('Never');
  await syncer.sync(p);
  const [c] = await fake.listContainers();
  fake.exitContainer(c!.id, 0);
  const out = await syncer.sync(p);
  assert.equal(out.status.phase, 'Succeeded');
  assert.equal(out.terminal, true);
  assert.equal((await fake.listPodSandbox())[0]!.state, 'SANDBOX_NOTREADY');
  await syncer.terminate(p.metadata!.uid!, p, 0);
  assert.equal((await fake.listPodSandbox()).length, 0);
  assert.equal((await fake.listContainers()).length, 0);
  probes.stop();
});

test('an image that cannot be pulled: ErrImagePull, then ImagePullBackOff; pod Pending', async () => {
  const { fake, syncer, probes } = await setup();
  fake.pullable = () => false;
  const p = pod('Always');
  const first = await syncer.sync(p);
  assert.equal(first.status.containerStatuses![0]!.state?.waiting?.reason, 'ErrImagePull');
  assert.equal(first.status.phase, 'Pending');
  const second = await syncer.sync(p);
  assert.equal(second.status.containerStatuses![0]!.state?.waiting?.reason, 'ImagePullBackOff');
  probes.stop();
});

test('init containers run in order before the containers', async () => {
  const { fake, syncer, probes } = await setup();
  const p = pod('Always', { initContainers: [{ name: 'i1', image: 'busybox:1' }, { name: 'i2', image: 'busybox:1' }] });
  let out = await syncer.sync(p);
  assert.equal(out.status.phase, 'Pending');
  const names = async () => (await fake.listContainers()).map((c) => c.metadata.name).sort();
  assert.deepEqual(await names(), ['i1']);
  fake.exitContainer((await fake.listContainers())[0]!.id, 0);
  await syncer.sync(p);
  assert.deepEqual(await names(), ['i1', 'i2']);
  fake.exitContainer((await fake.listContainers({ state: { state: 'CONTAINER_RUNNING' } }))[0]!.id, 0);
  out = await syncer.sync(p);
  assert.deepEqual(await names(), ['c', 'i1', 'i2']);
  assert.equal(out.status.phase, 'Running');
  assert.equal(out.status.conditions!.find((c) => c.type === 'Initialized')!.status, 'True');
  probes.stop();
});
