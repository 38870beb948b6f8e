import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeRuntime } from './fake.js';
import { CriError, isCriNotFound } from './service.js';
import { runtimeServiceSuite } from './testing/suite.js';

let n = 0;
runtimeServiceSuite('FakeRuntime', async () => ({
  runtime: new FakeRuntime(),
  image: 'docker.io/library/busybox:latest',
  longRunning: ['sleep', '3600'],
  sandboxConfig: (name) => {
    const uid = `uid-${++n}`;
    return { metadata: { name, uid, namespace: 'default' }, labels: { 'io.kubernetes.pod.uid': uid } };
  },
  containerConfig: (name, image, extra = {}) => ({ metadata: { name }, image: { image }, ...extra }),
  teardown: async () => {},
}));

test('fake: records calls, injects failures, exits containers and answers exec as told', async () => {
  const rt = new FakeRuntime();
  rt.addImage('busybox');
  const sb = { metadata: { name: 'p', uid: 'u', namespace: 'ns' } };
  const sandboxId = await rt.runPodSandbox(sb);
  const id = await rt.createContainer(sandboxId, { metadata: { name: 'c' }, image: { image: 'busybox:latest' } }, sb);
  await rt.startContainer(id);
  rt.exitContainer(id, 137, 'OOMKilled');
  const st = (await rt.containerStatus(id)).status;
  assert.equal(st.state, 'CONTAINER_EXITED');
  assert.equal(st.reason, 'OOMKilled');

  rt.failNext('StartContainer', new CriError('StartContainer', 'Unknown', 'boom'));
  const id2 = await rt.createContainer(sandboxId, { metadata: { name: 'c', attempt: 1 }, image: { image: 'busybox' } }, sb);
  await assert.rejects(rt.startContainer(id2), /boom/);
  await rt.startContainer(id2);

  rt.execHandler = (_id, cmd) => ({ stdout: Buffer.from(cmd.join(' ')), stderr: Buffer.alloc(0), exitCode: 0 });
  assert.equal((await rt.execSync(id2, ['echo', 'x'])).stdout.toString(), 'echo x');
  await assert.rejects(rt.createContainer(sandboxId, { metadata: { name: 'c', attempt: 1 }, image: { image: 'busybox' } }, sb), /reserved/);

  assert.deepEqual(
    rt.calls.map((c) => c.method),
    ['RunPodSandbox', 'CreateContainer', 'StartContainer', 'ContainerStatus', 'CreateContainer', 'StartContainer', 'StartContainer', 'ExecSync', 'CreateContainer'],
  );
});

test('fake: pulls can be refused, and IPs are reused after a sandbox stops', async () => {
  const rt = new FakeRuntime();
  rt.pullable = (ref) => !ref.includes('private');
  await assert.rejects(rt.pullImage({ image: 'example.com/private/app:1' }), isCriNotFound);
  const a = await rt.runPodSandbox({ metadata: { name: 'a', uid: 'a', namespace: 'n' } });
  const ipA = (await rt.podSandboxStatus(a)).status.network?.ip;
  await rt.stopPodSandbox(a);
  const b = await rt.runPodSandbox({ metadata: { name: 'b', uid: 'b', namespace: 'n' } });
  assert.equal((await rt.podSandboxStatus(b)).status.network?.ip, ipA);
});
