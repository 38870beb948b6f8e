import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientSink, InformerEventSource } from './client-adapter.js';
import { Scheduler } from './scheduler.js';
import { FakeClient } from '../client/fake.js';
import { SharedInformerFactory } from '../client/cache/informer-factory.js';
import { FakeRecorder } from '../client/record/fake-recorder.js';
import { inNamespace, resources } from '../client/resource.js';
import type { KubeObject } from '../api/types.js';
import { makeNode, makePod } from './testing/wrappers.js';
import type { Pod } from './framework/types.js';

async function until(cond: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('the scheduler runs against the client machinery: informers in, binding and status patches out', async () => {
  const client = new FakeClient();
  const recorder = new FakeRecorder();
  client.seed(resources.nodes, makeNode('small').capacity({ cpu: '1' }).obj() as KubeObject, makeNode('big').capacity({ cpu: '8' }).obj() as KubeObject);
  const pods = inNamespace(resources.pods, 'default');
  client.seed(pods, makePod('web').req({ cpu: '2' }).obj() as KubeObject, makePod('huge').req({ cpu: '64' }).obj() as KubeObject);
  const abort = new AbortController();
  const factory = new SharedInformerFactory(client);
  const s = new Scheduler({ source: new InformerEventSource(factory, abort.signal), sink: new ClientSink(client, recorder) });
  await s.start();
  try {
    await until(async () => ((await client.get<Pod>(pods, 'web')).spec?.nodeName ?? '') !== '', 'web bound');
    assert.equal((await client.get<Pod>(pods, 'web')).spec?.nodeName, 'big');
    const binding = client.writes().find((a) => a.subresource === 'binding');
    assert.equal((binding?.body as { target: { name: string } }).target.name, 'big');
    await until(async () => ((await client.get<Pod>(pods, 'huge')).status?.conditions ?? []).length > 0, 'huge marked unschedulable');
    const cond = (await client.get<Pod>(pods, 'huge')).status!.conditions!.find((c) => c.type === 'PodScheduled')!;
    assert.equal(cond.status, 'False');
    assert.equal(cond.reason, 'Unschedulable');
    assert.match(cond.message!, /^0\/2 nodes are available: 2 Insufficient cpu\. preemption: /);
    assert.ok(recorder.events.includes('Normal Scheduled Successfully assigned default/web to big'), recorder.events.join('\n'));
    assert.ok(recorder.events.some((e) => e.startsWith('Warning FailedScheduling 0/2 nodes are available: 2 Insufficient cpu.')));
  } finally {
    abort.abort();
    await s.stop();
    await factory.shutdown();
  }
});
