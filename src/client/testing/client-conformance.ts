/**
 * The one test suite of the `Client` contract (client.ts), run against every implementation: the
 * `FakeClient`, the `RestClient` over TLS to a test server, and (in integration tests) the `RestClient`
 * against a real `k8ts server`. Each case uses its own namespace, so a shared server is fine.
 *
 * Usage: `runClientConformance('fake', async () => ({ client: new FakeClient() }))`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAlreadyExists, isConflict, isGone, isNotFound, ApiError } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import type { Client, WatchEvent } from '../client.js';
import { resources } from '../resource.js';

export interface ClientUnderTest {
  client: Client;
  /** Creates a namespace where the implementation needs one to exist. */
  ensureNamespace?(name: string): Promise<void>;
  cleanup?(): Promise<void>;
}

let seq = 0;

export function runClientConformance(name: string, make: () => Promise<ClientUnderTest>): void {
  const withClient = (title: string, body: (c: Client, ns: string) => Promise<void>) =>
    test(`${name}: ${title}`, async () => {
      const t = await make();
      const ns = `conf-${process.pid}-${++seq}`;
      await t.ensureNamespace?.(ns);
      try {
        await body(t.client, ns);
      } finally {
        await t.cleanup?.();
      }
    });
  const cm = (n: string, data: Record<string, string> = { k: 'v' }, labels: Record<string, string> = {}): KubeObject =>
    ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n, labels }, data });

  withClient('create, get, AlreadyExists, NotFound', async (c, ns) => {
    const ref = { ...resources.configmaps, namespace: ns };
    const created = await c.create(ref, cm('a'));
    assert.equal(created.metadata?.name, 'a');
    assert.equal(created.metadata?.namespace, ns);
    assert.ok(created.metadata?.uid);
    assert.ok(created.metadata?.resourceVersion);
    assert.ok(created.metadata?.creationTimestamp);
    await assert.rejects(c.create(ref, cm('a')), isAlreadyExists);
    const got = await c.get(ref, 'a');
    assert.deepEqual(got.data, { k: 'v' });
    await assert.rejects(c.get(ref, 'missing'), (e) => isNotFound(e) && (e as ApiError).code === 404);
  });

  withClient('generateName makes a unique name', async (c, ns) => {
    const ref = { ...resources.configmaps, namespace: ns };
    const a = await c.create<KubeObject>(ref, { metadata: { generateName: 'gen-' }, data: {} });
    const b = await c.create<KubeObject>(ref, { metadata: { generateName: 'gen-' }, data: {} });
    assert.match(a.metadata!.name!, /^gen-[a-z0-9]{5}$/);
    assert.notEqual(a.metadata!.name, b.metadata!.name);
  });

  withClient('update is optimistic: a stale resourceVersion is a Conflict', async (c, ns) => {
    const ref = { ...resources.configmaps, namespace: ns };
    const v1 = await c.create(ref, cm('a'));
    const v2 = await c.update(ref, { ...v1, data: { k: 'v2' } });
    assert.notEqual(v2.metadata?.resourceVersion, v1.metadata?.resourceVersion);
    await assert.rejects(c.update(ref, { ...v1, data: { k: 'v3' } }), isConflict);
    assert.deepEqual((await c.get(ref, 'a')).data, { k: 'v2' });
  });

  withClient('merge and JSON patches', async (c, ns) => {
    const ref = { ...resources.configmaps, namespace: ns };
    await c.create(ref, cm('a', { x: '1', y: '2' }));
    const m = await c.patch(ref, 'a', 'merge', { data: { x: null, z: '3' } });
    assert.deepEqual(m.data, { y: '2', z: '3' });
    const j = await c.patch(ref, 'a', 'json', [{ op: 'replace', path: '/data/y', value: '9' }]);
    assert.deepEqual(j.data, { y: '9', z: '3' });
    await assert.rejects(c.patch(ref, 'missing', 'merge', { data: {} }), isNotFound);
  });

  withClient('list with a label selector, across namespaces', async (c, ns) => {
    const ref = { ...resources.configmaps, namespace: ns };
    await c.create(ref, cm('a', {}, { app: 'web' }));
    await c.create(ref, cm('b', {}, { app: 'db' }));
    const web = await c.list(ref, { labelSelector: 'app=web' });
    assert.deepEqual(web.items.map((o) => o.metadata?.name), ['a']);
    assert.ok(web.metadata.resourceVersion);
    const all = await c.list(resources.configmaps, { labelSelector: 'app in (web,db)' });
    assert.deepEqual(all.items.filter((o) => o.metadata?.namespace === ns).map((o) => o.metadata?.name).sort(), ['a', 'b']);
  });

  withClient('delete, then NotFound', async (c, ns) => {
    const ref = { ...resources.configmaps, namespace: ns };
    await c.create(ref, cm('a'));
    await c.delete(ref, 'a');
    await assert.rejects(c.get(ref, 'a'), isNotFound);
    await assert.rejects(c.delete(ref, 'a'), isNotFound);
  });

  withClient('watch from a list resourceVersion sees later changes in order, and stop() ends it', async (c, ns) => {
    const ref = { ...resources.configmaps, namespace: ns };
    await c.create(ref, cm('before'));
    const rv = (await c.list(ref)).metadata.resourceVersion!;
    const w = await c.watch(ref, { resourceVersion: rv });
    const seen: string[] = [];
    const done = (async () => {
      for await (const ev of w as AsyncIterable<WatchEvent>) {
        seen.push(`${ev.type} ${ev.object.metadata?.name}`);
        if (seen.length === 3) w.stop();
      }
    })();
    await c.create(ref, cm('a'));
    await c.patch(ref, 'a', 'merge', { data: { k: 'changed' } });
    await c.delete(ref, 'a');
    await done;
    assert.deepEqual(seen, ['ADDED a', 'MODIFIED a', 'DELETED a']);
  });

  withClient('errors are ApiErrors with the upstream reason and code', async (c, ns) => {
    const ref = { ...resources.configmaps, namespace: ns };
    const err = await c.get(ref, 'nope').catch((e: unknown) => e);
    assert.ok(err instanceof ApiError);
    assert.equal(err.reason, 'NotFound');
    assert.equal(isGone(err), false);
  });
}
