import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, Secret } from '../../api/types.js';
import { FakeRuntime } from '../cri/fake.js';
import type { AuthConfig, ImageSpec } from '../cri/types.js';
import { ImagePuller, ImagePullError } from './image-puller.js';
import type { PodObjects } from './objects.js';

function objects(secrets: Secret[]): PodObjects {
  return {
    configMap: async () => undefined, secret: async (_ns, n) => secrets.find((s) => s.metadata!.name === n), services: async () => [],
    persistentVolumeClaim: async () => undefined, persistentVolume: async () => undefined,
  };
}

const pod = (pullSecrets: string[] = []): Pod => ({ metadata: { name: 'p', namespace: 'default', uid: 'u' }, spec: { containers: [], imagePullSecrets: pullSecrets.map((name) => ({ name })) } } as Pod);

test('pull policies: IfNotPresent skips a present image, Never refuses an absent one, :latest defaults to Always', async () => {
  const fake = new FakeRuntime();
  fake.addImage('docker.io/library/busybox:1');
  const puller = new ImagePuller(fake, objects([]));
  assert.equal((await puller.ensure(pod(), { name: 'c', image: 'busybox:1' })).pulled, false);
  await assert.rejects(puller.ensure(pod(), { name: 'c', image: 'nginx:1', imagePullPolicy: 'Never' }), (e: ImagePullError) => e.reason === 'ErrImageNeverPull');
  assert.equal((await puller.ensure(pod(), { name: 'c', image: 'nginx' })).pulled, true);
  await assert.rejects(puller.ensure(pod(), { name: 'c', image: 'UPPER/case' }), (e: ImagePullError) => e.reason === 'InvalidImageName');
});

test('imagePullSecrets (dockerconfigjson) give the pull its credentials for the matching registry', async () => {
  const fake = new FakeRuntime();
  const seen: (AuthConfig | undefined)[] = [];
  const images = Object.assign(Object.create(fake), {
    pullImage: (spec: ImageSpec, auth?: AuthConfig) => {
      seen.push(auth);
      return fake.pullImage(spec, auth);
    },
  });
  const cfg = { auths: { 'registry.example:5000': { auth: Buffer.from('alice:pw').toString('base64') } } };
  const secret: Secret = { metadata: { name: 'regcred' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(JSON.stringify(cfg)).toString('base64') } };
  const puller = new ImagePuller(images, objects([secret]));
  await puller.ensure(pod(['regcred']), { name: 'c', image: 'registry.example:5000/app:1' });
  assert.deepEqual(seen[0], { username: 'alice', password: 'pw', serverAddress: 'registry.example:5000' });
  await puller.ensure(pod(['regcred']), { name: 'c', image: 'other.example/app:1' });
  assert.equal(seen[1], undefined);
});

test('a failed pull is ErrImagePull, then ImagePullBackOff while the back-off runs', async () => {
  const fake = new FakeRuntime();
  fake.pullable = () => false;
  const puller = new ImagePuller(fake, objects([]));
  await assert.rejects(puller.ensure(pod(), { name: 'c', image: 'nope:1' }), (e: ImagePullError) => e.reason === 'ErrImagePull');
  await assert.rejects(puller.ensure(pod(), { name: 'c', image: 'nope:1' }), (e: ImagePullError) => e.reason === 'ImagePullBackOff');
});
