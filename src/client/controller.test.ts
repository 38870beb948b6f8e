import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { FakeClock, settleUntil } from './clock.js';
import { FakeClient } from './fake.js';
import { resources } from './resource.js';
import { SharedInformerFactory } from './cache/informer-factory.js';
import { splitMetaNamespaceKey } from './cache/keys.js';
import { Controller, InvalidSpecError, controllerRef } from './controller.js';
import { FakeRecorder } from './record/fake-recorder.js';

/**
 * A tiny controller in the sample-controller shape, to test the runner: every Deployment gets a
 * ConfigMap `<name>-config` it owns, holding the Deployment's replica count.
 */
function configMapController(client: FakeClient, clock: FakeClock, recorder = new FakeRecorder()) {
  const factory = new SharedInformerFactory(client, { clock });
  const deployments = factory.forResource(resources.deployments);
  const configmaps = factory.forResource(resources.configmaps);
  const controller: Controller = new Controller({
    name: 'configmap-for-deployment',
    clock,
    recorder,
    informers: [deployments, configmaps],
    log: () => {},
    sync: async (key) => {
      const { namespace, name } = splitMetaNamespaceKey(key);
      const d = deployments.lister().namespaced(namespace).get(name);
      if (!d) return;
      const replicas = (d.spec as { replicas?: number }).replicas;
      if (replicas === undefined || replicas < 0) throw new InvalidSpecError(`spec.replicas must be a non-negative number`, d);
      const want = { data: { replicas: String(replicas) } };
      const cm = configmaps.lister().namespaced(namespace).get(`${name}-config`);
      const ref = { ...resources.configmaps, namespace };
      if (!cm) {
        await client.create(ref, {
          metadata: { name: `${name}-config`, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: d.metadata!.uid!, controller: true }] },
          ...want,
        });
      } else if ((cm.data as Record<string, string>).replicas !== want.data.replicas) {
        const copy = structuredClone(cm);
        copy.data = want.data;
        await client.update(ref, copy);
      }
    },
  });
  deployments.addEventHandler(controller.enqueueHandler());
  configmaps.addEventHandler(controller.ownerHandler('Deployment'));
  return { factory, controller, recorder };
}

const deployment = (name: string, replicas?: number): KubeObject => ({ metadata: { name, namespace: 'default', uid: `uid-${name}` }, spec: replicas === undefined ? {} : { replicas } });

test('one sync against a fake client: compare the API calls made', async () => {
  const clock = new FakeClock();
  const client = new FakeClient({ clock });
  client.seed(resources.deployments, deployment('web', 3));
  const { factory, controller } = configMapController(client, clock);
  const ac = new AbortController();
  factory.start(ac.signal);
  await factory.waitForCacheSync(ac.signal);
  client.clearActions();
  assert.equal(controller.queue.len(), 1, 'the informer handler enqueued the key');
  await controller.processNextWorkItem();
  assert.deepEqual(client.writes(), [{
    verb: 'create', resource: 'configmaps', namespace: 'default', name: 'web-config',
    body: { metadata: { name: 'web-config', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'uid-web', controller: true }] }, data: { replicas: '3' } },
  }]);
  ac.abort();
  await factory.shutdown();
  controller.queue.shutDown();
});

test('run: waits for caches, converges, follows changes through owner handlers, stops on abort', async () => {
  const clock = new FakeClock();
  const client = new FakeClient({ clock });
  client.seed(resources.deployments, deployment('a', 1), deployment('b', 2));
  const { factory, controller } = configMapController(client, clock);
  const ac = new AbortController();
  factory.start(ac.signal);
  const running = controller.run(ac.signal, 2);
  const cms = { ...resources.configmaps, namespace: 'default' };
  await settleUntil(() => client.writes().length === 2, 1000, 'two configmaps');
  await client.patch({ ...resources.deployments, namespace: 'default' }, 'a', 'merge', { spec: { replicas: 5 } });
  await settleUntil(() => client.writes().length === 4, 1000, 'update');
  assert.equal(((await client.get(cms, 'a-config')).data as Record<string, string>).replicas, '5');
  // Someone deletes the owned ConfigMap: the owner handler enqueues the Deployment, which recreates it.
  await client.delete(cms, 'b-config');
  await settleUntil(() => client.writes().length === 6, 1000, 'recreate');
  assert.equal(((await client.get(cms, 'b-config')).data as Record<string, string>).replicas, '2');
  assert.equal(controllerRef(await client.get(cms, 'b-config'))?.name, 'b');
  ac.abort();
  await running;
  await factory.shutdown();
});

test('errors are retried with per-key backoff; success forgets the key', async () => {
  const clock = new FakeClock();
  let failures = 2;
  const calls: number[] = [];
  const c = new Controller({
    name: 't', clock, log: () => {},
    sync: async () => {
      calls.push(clock.now());
      if (failures-- > 0) throw new Error('transient');
    },
  });
  const ac = new AbortController();
  const running = c.run(ac.signal);
  const start = clock.now();
  c.enqueue('default/x');
  await settleUntil(() => calls.length === 1);
  await settleUntil(() => clock.waiters() === 1);
  clock.step(5);
  await settleUntil(() => calls.length === 2);
  await settleUntil(() => clock.waiters() === 1);
  clock.step(9);
  await settleUntil(() => true);
  assert.equal(calls.length, 2, 'second backoff is 10 ms');
  clock.step(1);
  await settleUntil(() => calls.length === 3);
  assert.deepEqual(calls.map((t) => t - start), [0, 5, 15]);
  await settleUntil(() => c.queue.numRequeues('default/x') === 0, 1000, 'forgotten');
  ac.abort();
  await running;
});

test('an invalid spec is reported as a Warning event and not retried', async () => {
  const clock = new FakeClock();
  const client = new FakeClient({ clock });
  client.seed(resources.deployments, deployment('bad', -1));
  const { factory, controller, recorder } = configMapController(client, clock);
  const ac = new AbortController();
  factory.start(ac.signal);
  await factory.waitForCacheSync(ac.signal);
  await controller.processNextWorkItem();
  assert.deepEqual(recorder.events, ['Warning InvalidSpec spec.replicas must be a non-negative number']);
  assert.equal(controller.queue.numRequeues('default/bad'), 0);
  assert.equal(clock.waiters(), 0, 'nothing scheduled for retry');
  assert.equal(controller.queue.len(), 0);
  assert.deepEqual(client.writes(), []);
  ac.abort();
  await factory.shutdown();
  controller.queue.shutDown();
});

test('maxRetries drops a key that keeps failing', async () => {
  const clock = new FakeClock();
  let calls = 0;
  const c = new Controller({ name: 't', clock, maxRetries: 2, log: () => {}, sync: async () => { calls++; throw new Error('permanent'); } });
  c.enqueue('k');
  await c.processNextWorkItem();
  clock.step(1000);
  await c.processNextWorkItem();
  clock.step(1000);
  await c.processNextWorkItem();
  clock.step(100_000);
  assert.equal(calls, 3);
  assert.equal(c.queue.len(), 0);
  assert.equal(c.queue.numRequeues('k'), 0);
});

test('many workers never sync one key twice at once', async () => {
  const clock = new FakeClock();
  const active = new Set<string>();
  let overlaps = 0;
  let syncs = 0;
  const c = new Controller({
    name: 't', clock, log: () => {},
    sync: async (key) => {
      if (active.has(key)) overlaps++;
      active.add(key);
      syncs++;
      await new Promise((r) => setImmediate(r));
      active.delete(key);
    },
  });
  const ac = new AbortController();
  const running = c.run(ac.signal, 5);
  for (let i = 0; i < 300; i++) {
    c.enqueue(`ns/k${i % 7}`);
    if (i % 10 === 0) await new Promise((r) => setImmediate(r));
  }
  await settleUntil(() => c.queue.len() === 0 && active.size === 0);
  ac.abort();
  await running;
  assert.equal(overlaps, 0);
  assert.ok(syncs >= 7 && syncs < 300, `deduplicated: ${syncs} syncs for 300 adds`);
});

test('sync may ask to be called again after a delay', async () => {
  const clock = new FakeClock();
  const calls: number[] = [];
  const c = new Controller({ name: 't', clock, log: () => {}, sync: async () => { calls.push(clock.now()); return calls.length === 1 ? { requeueAfterMs: 30_000 } : undefined; } });
  const start = clock.now();
  c.enqueue('k');
  await c.processNextWorkItem();
  assert.equal(c.queue.len(), 0);
  clock.step(30_000);
  await c.processNextWorkItem();
  assert.deepEqual(calls.map((t) => t - start), [0, 30_000]);
  assert.equal(clock.waiters(), 0);
  assert.equal(c.queue.numRequeues('k'), 0);
});
