/**
 * The contract of RuntimeService + ImageService (../service.ts), written once and run against every
 * implementation: the in-memory FakeRuntime (../fake.test.ts) and containerd over gRPC
 * (test/e2e/cri-conformance.test.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isCriNotFound, type ImageService, type RuntimeService } from '../service.js';
import type { ContainerConfig, PodSandboxConfig } from '../types.js';

export interface SuiteRuntime {
  runtime: RuntimeService & ImageService;
  /** A reference the runtime can pull, e.g. `docker.io/library/busybox:latest`. */
  image: string;
  /** A command that runs until it is killed and ignores SIGTERM (PID 1 `sleep`). */
  longRunning: string[];
  sandboxConfig(name: string): PodSandboxConfig;
  containerConfig(name: string, image: string, extra?: Partial<ContainerConfig>): ContainerConfig;
  teardown(): Promise<void>;
}

export function runtimeServiceSuite(name: string, setup: () => Promise<SuiteRuntime>): void {
  describe(`CRI contract: ${name}`, () => {
    let s: SuiteRuntime;
    before(async () => {
      s = await setup();
    });
    after(async () => {
      await s?.teardown();
    });

    const withSandbox = async <T>(podName: string, fn: (id: string, config: PodSandboxConfig) => Promise<T>): Promise<T> => {
      const config = s.sandboxConfig(podName);
      const id = await s.runtime.runPodSandbox(config);
      try {
        return await fn(id, config);
      } finally {
        await s.runtime.removePodSandbox(id);
      }
    };

    test('Version speaks v1 and Status reports RuntimeReady', async () => {
      assert.equal((await s.runtime.version()).runtimeApiVersion, 'v1');
      const ready = (await s.runtime.status()).status.conditions.find((c) => c.type === 'RuntimeReady');
      assert.equal(ready?.status, true);
    });

    test('images: pull, status by short and full name, list, remove (idempotent)', async () => {
      const rt = s.runtime;
      await rt.removeImage({ image: s.image });
      assert.equal(await rt.imageStatus({ image: s.image }), null);
      const ref = await rt.pullImage({ image: s.image });
      assert.match(ref, /^sha256:[0-9a-f]{64}$/);
      const img = await rt.imageStatus({ image: s.image });
      assert.equal(img?.id, ref);
      assert.ok(img.repoTags.includes(s.image), img.repoTags.join());
      assert.ok(Number(img.size) > 0);
      assert.deepEqual((await rt.listImages({ image: s.image })).map((i) => i.id), [ref]);
      assert.ok((await rt.listImages()).some((i) => i.id === ref));
      await rt.removeImage({ image: s.image });
      await rt.removeImage({ image: s.image });
      assert.equal(await rt.imageStatus({ image: s.image }), null);
      assert.equal(await rt.imageStatus({ image: 'docker.io/library/never-pulled:1' }), null);
      await rt.pullImage({ image: s.image });
    });

    test('sandbox: ready with a pod IP, listed by label, stop and remove are idempotent, then NotFound', async () => {
      const rt = s.runtime;
      const config = s.sandboxConfig('sb');
      config.annotations = { 'k8ts.io/note': 'kept' };
      const id = await rt.runPodSandbox(config);
      const st = (await rt.podSandboxStatus(id)).status;
      assert.equal(st.state, 'SANDBOX_READY');
      assert.match(st.network?.ip ?? '', /^\d+\.\d+\.\d+\.\d+$/);
      assert.equal(st.metadata.name, 'sb');
      assert.equal(st.metadata.uid, config.metadata.uid);
      assert.equal(st.annotations['k8ts.io/note'], 'kept');
      const listed = await rt.listPodSandbox({ labelSelector: { 'io.kubernetes.pod.uid': config.metadata.uid } });
      assert.deepEqual(listed.map((p) => p.id), [id]);
      assert.deepEqual(await rt.listPodSandbox({ labelSelector: { 'io.kubernetes.pod.uid': 'nobody' } }), []);
      await rt.stopPodSandbox(id);
      await rt.stopPodSandbox(id);
      assert.equal((await rt.podSandboxStatus(id)).status.state, 'SANDBOX_NOTREADY');
      assert.deepEqual((await rt.listPodSandbox({ id, state: { state: 'SANDBOX_READY' } })).length, 0);
      await rt.removePodSandbox(id);
      await rt.removePodSandbox(id);
      await assert.rejects(rt.podSandboxStatus(id), isCriNotFound);
      await rt.stopPodSandbox('0'.repeat(64));
      await rt.removePodSandbox('0'.repeat(64));
    });

    test('container: created, running, killed, removed; labels kept; unknown IDs are NotFound', async () => {
      const rt = s.runtime;
      await withSandbox('ctr', async (sandboxId, sbConfig) => {
        const config = s.containerConfig('main', s.image, { command: s.longRunning, labels: { role: 'test' } });
        const id = await rt.createContainer(sandboxId, config, sbConfig);
        let st = (await rt.containerStatus(id)).status;
        assert.equal(st.state, 'CONTAINER_CREATED');
        assert.equal(st.metadata.name, 'main');
        assert.equal(st.labels.role, 'test');
        assert.match(st.imageRef, /sha256:[0-9a-f]{64}/);
        await rt.startContainer(id);
        st = (await rt.containerStatus(id)).status;
        assert.equal(st.state, 'CONTAINER_RUNNING');
        assert.ok(BigInt(st.startedAt) >= BigInt(st.createdAt));
        const running = await rt.listContainers({ podSandboxId: sandboxId, state: { state: 'CONTAINER_RUNNING' } });
        assert.deepEqual(running.map((c) => c.id), [id]);
        assert.deepEqual((await rt.listContainers({ labelSelector: { role: 'test' } })).map((c) => c.id), [id]);
        await rt.stopContainer(id, 0);
        await rt.stopContainer(id, 0);
        st = (await rt.containerStatus(id)).status;
        assert.equal(st.state, 'CONTAINER_EXITED');
        assert.equal(st.exitCode, 137);
        assert.ok(BigInt(st.finishedAt) >= BigInt(st.startedAt));
        await rt.removeContainer(id);
        await rt.removeContainer(id);
        await assert.rejects(rt.containerStatus(id), isCriNotFound);
        await assert.rejects(rt.startContainer(id), isCriNotFound);
      });
    });

    test('createContainer from an image that is not present is NotFound', async () => {
      await withSandbox('noimg', async (sandboxId, sbConfig) => {
        const config = s.containerConfig('x', 'docker.io/library/never-pulled:1');
        await assert.rejects(s.runtime.createContainer(sandboxId, config, sbConfig), isCriNotFound);
      });
    });

    test('removing a sandbox removes its containers, running or not, and frees its IP', async () => {
      const rt = s.runtime;
      const sbConfig = s.sandboxConfig('owner');
      const sandboxId = await rt.runPodSandbox(sbConfig);
      const a = await rt.createContainer(sandboxId, s.containerConfig('a', s.image, { command: s.longRunning }), sbConfig);
      await rt.startContainer(a);
      await rt.createContainer(sandboxId, s.containerConfig('b', s.image, { command: s.longRunning }), sbConfig);
      await rt.stopPodSandbox(sandboxId);
      assert.equal((await rt.containerStatus(a)).status.state, 'CONTAINER_EXITED');
      await rt.removePodSandbox(sandboxId);
      assert.deepEqual(await rt.listContainers({ podSandboxId: sandboxId }), []);
      await assert.rejects(rt.containerStatus(a), isCriNotFound);
    });
  });
}
