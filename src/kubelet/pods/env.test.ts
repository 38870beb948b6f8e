import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap, Pod, Secret, Service } from '../../api/types.js';
import { containerEnv, CreateContainerConfigError, expandVars, serviceEnv } from './env.js';
import type { PodObjects } from './objects.js';

const objects = (cms: ConfigMap[], secrets: Secret[], services: Service[]): PodObjects => ({
  configMap: async (_ns, n) => cms.find((c) => c.metadata!.name === n),
  secret: async (_ns, n) => secrets.find((c) => c.metadata!.name === n),
  services: async (ns) => services.filter((s) => s.metadata!.namespace === ns),
  persistentVolumeClaim: async () => undefined,
  persistentVolume: async () => undefined,
});

test('$(VAR) expansion with $$ escapes', () => {
  assert.equal(expandVars('a $(X) $$(X) $(Y)', (n) => (n === 'X' ? '1' : undefined)), 'a 1 $(X) $(Y)');
});

test('service link variables', () => {
  const env = Object.fromEntries(serviceEnv([{ metadata: { name: 'my-svc' }, spec: { clusterIP: '10.43.0.9', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } } as Service]).map((e) => [e.key, e.value]));
  assert.equal(env.MY_SVC_SERVICE_HOST, '10.43.0.9');
  assert.equal(env.MY_SVC_SERVICE_PORT, '80');
  assert.equal(env.MY_SVC_SERVICE_PORT_HTTP, '80');
  assert.equal(env.MY_SVC_PORT, 'tcp://10.43.0.9:80');
  assert.equal(env.MY_SVC_PORT_80_TCP_ADDR, '10.43.0.9');
});

test('env: envFrom, configMap/secret keys, fieldRef, resourceFieldRef, later wins; missing required is a config error', async () => {
  const pod = {
    metadata: { name: 'p', namespace: 'ns', uid: 'u', labels: { app: 'x' } },
    spec: { enableServiceLinks: false, containers: [] },
  } as unknown as Pod;
  const c = {
    name: 'c', resources: { limits: { memory: '64Mi' } },
    envFrom: [{ configMapRef: { name: 'cm' }, prefix: 'CM_' }],
    env: [
      { name: 'A', value: 'lit-$(CM_k)' },
      { name: 'S', valueFrom: { secretKeyRef: { name: 's', key: 'pw' } } },
      { name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.labels[\'app\']' } } },
      { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      { name: 'OPT', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k', optional: true } } },
    ],
  };
  const objs = objects([{ metadata: { name: 'cm' }, data: { k: 'v' } }], [{ metadata: { name: 's' }, data: { pw: Buffer.from('pass').toString('base64') } }], []);
  const env = Object.fromEntries((await containerEnv({ pod, container: c as never, podIP: '10.42.0.7', hostIP: 'h', objects: objs })).map((e) => [e.key, e.value]));
  assert.deepEqual(env, { CM_k: 'v', A: 'lit-v', S: 'pass', N: 'x', IP: '10.42.0.7', MEM: '64' });
  await assert.rejects(containerEnv({ pod, container: { name: 'c', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'nope', key: 'k' } } }] } as never, podIP: '', hostIP: '', objects: objs }),
    (err: Error) => err instanceof CreateContainerConfigError && /secret "nope" not found/.test(err.message));
});
