import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { resources } from '../../client/resource.js';
import { fakeEnv, shutDown } from '../testing/fake-env.js';
import { EndpointsController } from './endpoints-controller.js';
import { EndpointSliceController } from '../endpointslice/endpointslice-controller.js';
import { ServiceAccountsController } from '../serviceaccount/serviceaccounts-controller.js';

const pod = (name: string, ip: string, ready: boolean, port: number): KubeObject => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { app: 'web' } },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }] }] },
  status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const svc: KubeObject = { metadata: { name: 'web', namespace: 'default', uid: 'svc-uid' }, spec: { selector: { app: 'web' }, clusterIP: '10.43.0.10', ports: [{ name: 'web', port: 80, targetPort: 'http', protocol: 'TCP' }] } };
const addr = (name: string, ip: string) => ({ ip, nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name, uid: `uid-${name}` } });

test('Endpoints: ready and not-ready addresses, grouped by the port each pod resolves', async () => {
  const env = fakeEnv();
  env.seed(resources.services, svc);
  env.seed(resources.pods, pod('b', '10.0.0.2', true, 8080), pod('a', '10.0.0.1', true, 8080), pod('c', '10.0.0.3', false, 9090), { ...pod('gone', '10.0.0.4', true, 8080), status: { phase: 'Succeeded', podIP: '10.0.0.4' } });
  const c = new EndpointsController(env.ctx);
  await env.start();
  const { writes } = await env.syncOnce(c, 'default/web');
  assert.deepEqual(writes, [{
    verb: 'create', resource: 'endpoints', namespace: 'default', name: 'web',
    body: {
      apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default', labels: {} },
      subsets: [
        { ports: [{ name: 'web', port: 8080, protocol: 'TCP' }], addresses: [addr('a', '10.0.0.1'), addr('b', '10.0.0.2')] },
        { ports: [{ name: 'web', port: 9090, protocol: 'TCP' }], notReadyAddresses: [addr('c', '10.0.0.3')] },
      ],
    },
  }]);
  await env.settle();
  assert.deepEqual((await env.syncOnce(c, 'default/web')).writes, [], 'unchanged: no write');
  shutDown(c);
  await env.stop();
});

test('EndpointSlices: one per port set, labelled and owned by the Service', async () => {
  const env = fakeEnv();
  env.seed(resources.services, svc);
  env.seed(resources.pods, pod('a', '10.0.0.1', true, 8080), pod('c', '10.0.0.3', false, 9090));
  const c = new EndpointSliceController(env.ctx);
  await env.start();
  const { writes } = await env.syncOnce(c, 'default/web');
  assert.equal(writes.length, 2);
  assert.deepEqual(writes[0], {
    verb: 'create', resource: 'endpointslices.discovery.k8s.io', namespace: 'default',
    body: {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: {
        generateName: 'web-', namespace: 'default',
        labels: { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }],
      },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' }, nodeName: 'n1' }],
      ports: [{ name: 'web', port: 8080, protocol: 'TCP' }],
    },
  });
  await env.settle();
  assert.deepEqual((await env.syncOnce(c, 'default/web')).writes, [], 'unchanged: no write');
  shutDown(c);
  await env.stop();
});

test('ServiceAccount: a default ServiceAccount in an active namespace that lacks one', async () => {
  const env = fakeEnv();
  env.seed(resources.namespaces, { metadata: { name: 'team' }, status: { phase: 'Active' } }, { metadata: { name: 'going', deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['x'] }, status: { phase: 'Terminating' } });
  env.seed(resources.serviceaccounts, { metadata: { name: 'default', namespace: 'kube-system' } });
  const c = new ServiceAccountsController(env.ctx);
  await env.start();
  assert.deepEqual((await env.syncOnce(c, 'team')).writes, [{ verb: 'create', resource: 'serviceaccounts', namespace: 'team', name: 'default', body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } } }]);
  assert.deepEqual((await env.syncOnce(c, 'going')).writes, []);
  shutDown(c);
  await env.stop();
});

test('EndpointSlices hold at most 100 endpoints each', async () => {
  const { desiredSlices } = await import('../endpointslice/endpointslice-controller.js');
  const eps = Array.from({ length: 250 }, (_, i) => ({
    pod: { metadata: { name: `p${i}`, namespace: 'default', uid: `u${i}` }, spec: {} } as never,
    ip: `10.0.${Math.floor(i / 250)}.${i % 250}`, ready: true, terminating: false, ports: [{ port: 80, protocol: 'TCP' }],
  }));
  assert.deepEqual(desiredSlices(eps).map((s) => s.endpoints.length), [100, 100, 50]);
});
