import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../api/errors.js';
import type { Event, KubeObject } from '../../api/types.js';
import { FakeClock, settleUntil } from '../clock.js';
import { FakeClient } from '../fake.js';
import { resources } from '../resource.js';
import { ApiEventRecorder } from './event-recorder.js';
import { FakeRecorder } from './fake-recorder.js';

const events = { ...resources.events, namespace: 'default' };
const deploy: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', uid: 'u-1', resourceVersion: '7' } };

function setup(opts: Partial<ConstructorParameters<typeof ApiEventRecorder>[1]> = {}) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  const client = new FakeClient({ clock });
  const recorder = new ApiEventRecorder(client, { component: 'deployment-controller', host: 'node-1', clock, ...opts });
  return { clock, client, recorder };
}

test('an event becomes a core/v1 Event with upstream fields', async () => {
  const { client, recorder } = setup();
  recorder.event(deploy, 'Normal', 'ScalingReplicaSet', 'Scaled up replica set web-abc to 3');
  await recorder.flush();
  const list = (await client.list(events)).items as unknown as Event[];
  assert.equal(list.length, 1);
  const e = list[0]!;
  assert.match(e.metadata!.name!, /^web\.[0-9a-f]+$/);
  assert.equal(e.metadata!.name, `web.${(BigInt(Date.UTC(2026, 0, 1, 12)) * 1_000_000n).toString(16)}`);
  assert.deepEqual(e.involvedObject, { kind: 'Deployment', namespace: 'default', name: 'web', uid: 'u-1', apiVersion: 'apps/v1', resourceVersion: '7' });
  assert.equal(e.reason, 'ScalingReplicaSet');
  assert.equal(e.type, 'Normal');
  assert.deepEqual(e.source, { component: 'deployment-controller', host: 'node-1' });
  assert.equal(e.count, 1);
  assert.equal(e.firstTimestamp, '2026-01-01T12:00:00Z');
  assert.equal(e.lastTimestamp, '2026-01-01T12:00:00Z');
  assert.equal(e.reportingComponent, 'deployment-controller');
});

test('cluster-scoped objects get their events in "default"; bad types are dropped', async () => {
  const { client, recorder } = setup();
  const origError = console.error;
  console.error = () => {};
  try {
    recorder.event({ kind: 'Node', apiVersion: 'v1', metadata: { name: 'n1', uid: 'n' } }, 'Warning', 'NodeNotReady', 'Node n1 status is now: NodeNotReady');
    recorder.event(deploy, 'Info' as 'Normal', 'X', 'y');
  } finally {
    console.error = origError;
  }
  await recorder.flush();
  const list = (await client.list(resources.events)).items as unknown as Event[];
  assert.equal(list.length, 1);
  assert.equal(list[0]!.metadata!.namespace, 'default');
});

test('identical events are folded into one Event by PATCHing count and lastTimestamp', async () => {
  const { clock, client, recorder } = setup();
  recorder.event(deploy, 'Warning', 'FailedCreate', 'quota exceeded');
  await recorder.flush();
  clock.step(60_000);
  recorder.event(deploy, 'Warning', 'FailedCreate', 'quota exceeded');
  clock.step(60_000);
  recorder.event(deploy, 'Warning', 'FailedCreate', 'quota exceeded');
  recorder.event(deploy, 'Warning', 'FailedCreate', 'other message');
  await recorder.flush();
  const writes = client.writes().map((a) => ({ verb: a.verb, body: a.verb === 'patch' ? a.body : undefined }));
  assert.deepEqual(writes.map((w) => w.verb), ['create', 'patch', 'patch', 'create']);
  assert.deepEqual(writes[2]!.body, { count: 3, lastTimestamp: '2026-01-01T12:02:00Z', message: 'quota exceeded' });
  assert.equal(client.writes()[1]!.patchType, 'strategic');
  const list = (await client.list(events)).items as unknown as Event[];
  const folded = list.find((e) => e.message === 'quota exceeded')!;
  assert.equal(folded.count, 3);
  assert.equal(folded.firstTimestamp, '2026-01-01T12:00:00Z');
  assert.equal(folded.lastTimestamp, '2026-01-01T12:02:00Z');
  assert.equal(list.length, 2);
});

test('a folded Event that vanished on the server is created afresh', async () => {
  const { client, recorder } = setup();
  recorder.event(deploy, 'Normal', 'Synced', 'ok');
  await recorder.flush();
  const [first] = (await client.list(events)).items;
  await client.delete(events, first!.metadata!.name!);
  recorder.event(deploy, 'Normal', 'Synced', 'ok');
  await recorder.flush();
  assert.deepEqual(client.writes().map((a) => a.verb), ['create', 'delete', 'patch', 'create']);
  const list = (await client.list(events)).items as unknown as Event[];
  assert.equal(list.length, 1);
  assert.equal(list[0]!.count, 1);
});

test('more than 10 similar events within 10 minutes are combined', async () => {
  const { client, recorder } = setup();
  for (let i = 0; i < 14; i++) recorder.event(deploy, 'Warning', 'FailedCreate', `error ${i}`);
  await recorder.flush();
  const list = (await client.list(events)).items as unknown as Event[];
  const combined = list.filter((e) => e.message!.startsWith('(combined from similar events): '));
  assert.equal(list.length - combined.length, 9, 'the first nine distinct messages are their own events');
  assert.equal(combined.length, 1);
  assert.equal(combined[0]!.count, 5);
  assert.equal(combined[0]!.message, '(combined from similar events): error 13');
});

test('the spam filter drops events beyond 25 per object, then lets one through every 5 minutes', async () => {
  const { clock, client, recorder } = setup();
  for (let i = 0; i < 30; i++) recorder.event(deploy, 'Normal', 'Tick', 'same');
  await recorder.flush();
  const count = async () => ((await client.list(events)).items[0] as unknown as Event).count;
  assert.equal(await count(), 25);
  clock.step(5 * 60_000);
  recorder.event(deploy, 'Normal', 'Tick', 'same');
  recorder.event(deploy, 'Normal', 'Tick', 'same');
  await recorder.flush();
  assert.equal(await count(), 26);
});

test('failed writes are retried on the clock, then given up', async () => {
  const { clock, client, recorder } = setup({ maxTries: 3, retryIntervalMs: 10_000 });
  let failures = 1;
  client.prependReactor('create', 'events', () => (failures-- > 0 ? { error: new ApiError('ServiceUnavailable', 'down') } : undefined));
  recorder.event(deploy, 'Normal', 'Retried', 'x');
  await settleUntil(() => clock.waiters() === 1);
  clock.step(10_000);
  await recorder.flush();
  assert.equal((await client.list(events)).items.length, 1);
  assert.equal(client.actions().filter((a) => a.verb === 'create').length, 2);

  failures = 100;
  const origError = console.error;
  console.error = () => {};
  try {
    recorder.event(deploy, 'Normal', 'Lost', 'y');
    for (let i = 0; i < 2; i++) {
      await settleUntil(() => clock.waiters() === 1);
      clock.step(10_000);
    }
    await recorder.flush();
  } finally {
    console.error = origError;
  }
  assert.equal(client.actions().filter((a) => a.verb === 'create').length, 5);
  recorder.shutdown();
});

test('FakeRecorder keeps "type reason message" strings', () => {
  const r = new FakeRecorder();
  r.event(deploy, 'Warning', 'InvalidSpec', 'bad selector');
  assert.deepEqual(r.events, ['Warning InvalidSpec bad selector']);
  assert.equal(r.objects[0]!.name, 'web');
});
