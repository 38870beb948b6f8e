import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap, Pod, Secret } from '../../api/types.js';
import type { PodObjects } from '../pods/objects.js';
import { VolumeSetupError, volumePayload } from './payloads.js';

const objects: PodObjects = {
  configMap: async (_ns, n) => (n === 'cm' ? ({ metadata: { name: 'cm' }, data: { a: '1', b: '2' }, binaryData: { bin: Buffer.from([0, 1]).toString('base64') } } as ConfigMap) : undefined),
  secret: async (_ns, n) => (n === 's' ? ({ metadata: { name: 's' }, data: { pw: Buffer.from('x').toString('base64') } } as Secret) : undefined),
  services: async () => [], persistentVolumeClaim: async () => undefined, persistentVolume: async () => undefined,
};
const pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u', labels: { a: 'b' } }, spec: { containers: [{ name: 'c' }] } } as Pod;
const ctx = { pod, objects, podIP: '10.42.0.3', hostIP: '10.0.0.1', token: async () => 'tok' };
const show = (m: Map<string, { content: Buffer; mode: number }>) => Object.fromEntries([...m].map(([k, v]) => [k, `${v.content.toString('hex')}/${v.mode.toString(8)}`]));

test('configMap: all keys (binaryData too) with defaultMode; items pick and rename, with their own mode', async () => {
  assert.deepEqual(show(await volumePayload(ctx, { name: 'v', configMap: { name: 'cm', defaultMode: 0o600 } })), { a: '31/600', b: '32/600', bin: '0001/600' });
  assert.deepEqual(show(await volumePayload(ctx, { name: 'v', configMap: { name: 'cm', items: [{ key: 'a', path: 'dir/x', mode: 0o400 }] } })), { 'dir/x': '31/400' });
});

test('missing objects and keys: errors naming them, unless optional', async () => {
  await assert.rejects(volumePayload(ctx, { name: 'v', configMap: { name: 'nope' } }), (e: Error) => e instanceof VolumeSetupError && /configmap "nope" not found/.test(e.message));
  await assert.rejects(volumePayload(ctx, { name: 'v', configMap: { name: 'cm', items: [{ key: 'zz', path: 'z' }] } }), /non-existent config key: zz/);
  assert.equal((await volumePayload(ctx, { name: 'v', secret: { secretName: 'nope', optional: true } })).size, 0);
});

test('secret, downwardAPI and projected (with the ServiceAccount token)', async () => {
  assert.deepEqual(show(await volumePayload(ctx, { name: 'v', secret: { secretName: 's' } })), { pw: '78/644' });
  const d = await volumePayload(ctx, { name: 'v', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'ip', fieldRef: { fieldPath: 'status.podIP' } }] } });
  assert.equal(d.get('labels')!.content.toString(), 'a="b"');
  assert.equal(d.get('ip')!.content.toString(), '10.42.0.3');
  const p = await volumePayload(ctx, { name: 'v', projected: { sources: [{ serviceAccountToken: { path: 'token' } }, { configMap: { name: 'cm', items: [{ key: 'b', path: 'b' }] } }] } });
  assert.equal(p.get('token')!.content.toString(), 'tok');
  assert.equal(p.get('b')!.content.toString(), '2');
});
