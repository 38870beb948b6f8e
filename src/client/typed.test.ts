import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClient } from './fake.js';
import { typed } from './typed.js';

test('typed views bind resource and namespace and return typed objects', async () => {
  const client = new FakeClient();
  const pods = typed.pods(client, 'default');
  const created = await pods.create({ metadata: { name: 'web-0' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  assert.equal(created.spec?.containers[0]?.image, 'nginx');
  const running = await pods.updateStatus({ ...created, status: { phase: 'Running' } });
  assert.equal(running.status?.phase, 'Running');
  await typed.nodes(client).create({ metadata: { name: 'n1' } });
  assert.equal((await typed.nodes(client).list()).items.length, 1);
  assert.equal((await pods.namespace(undefined).list()).items.length, 1);
  assert.deepEqual(client.writes().map((a) => `${a.verb} ${a.resource} ${a.namespace ?? '-'} ${a.subresource ?? ''}`.trim()), [
    'create pods default', 'update pods default status', 'create nodes -',
  ]);
});
