import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { resources } from '../../client/resource.js';
import { formatMilli, parseMilli } from '../../api/resource/quantity.js';
import { fakeEnv, shutDown } from '../testing/fake-env.js';
import { ResourceQuotaController } from './resource-quota-controller.js';

test('quantities: parsed to thousandths, written canonically', () => {
  assert.deepEqual(['500m', '1', '1.5', '2Ki', '1Gi', '1e3', '1k'].map(parseMilli), [500, 1000, 1500, 2048000, 1073741824000, 1000000, 1000000]);
  assert.equal(formatMilli(1500, 'DecimalSI'), '1500m');
  assert.equal(formatMilli(2000, 'DecimalSI'), '2');
  assert.equal(formatMilli(parseMilli('256Mi') * 2, 'BinarySI'), '512Mi');
  assert.throws(() => parseMilli('12 parsecs'));
});

test('status.used: pod counts and compute requests/limits of active pods, object counts', async () => {
  const env = fakeEnv();
  env.seed(resources.resourcequotas, { metadata: { name: 'q', namespace: 'team' }, spec: { hard: { pods: '10', 'requests.cpu': '2', 'requests.memory': '1Gi', 'limits.memory': '2Gi', configmaps: '5', 'count/deployments.apps': '3', 'unknown.thing': '1' } } });
  const pod = (name: string, cpu: string, mem: string, phase = 'Running'): KubeObject => ({
    metadata: { name, namespace: 'team' }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu, memory: mem }, limits: { memory: mem } } }] }, status: { phase },
  });
  env.seed(resources.pods, pod('a', '250m', '128Mi'), pod('b', '500m', '128Mi'), pod('done', '1', '1Gi', 'Succeeded'));
  env.seed(resources.configmaps, { metadata: { name: 'c1', namespace: 'team' } }, { metadata: { name: 'other-ns', namespace: 'default' } });
  const c = new ResourceQuotaController(env.ctx);
  await env.start();
  const { writes } = await env.syncOnce(c, 'team/q');
  assert.deepEqual((writes[0]!.body as { status: unknown }).status, {
    hard: { pods: '10', 'requests.cpu': '2', 'requests.memory': '1Gi', 'limits.memory': '2Gi', configmaps: '5', 'count/deployments.apps': '3', 'unknown.thing': '1' },
    used: { pods: '2', 'requests.cpu': '750m', 'requests.memory': '256Mi', 'limits.memory': '256Mi', configmaps: '1', 'count/deployments.apps': '0' },
  });
  shutDown(c);
  await env.stop();
});
