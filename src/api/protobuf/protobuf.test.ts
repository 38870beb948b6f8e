import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeProtobufRequest, encodeProtobuf } from './index.js';
import { ApiError } from '../errors.js';
import type { KubeObject } from '../types.js';

/* A tiny hand encoder for the protobuf wire format, independent of protobufjs and of our schema table,
   so that these tests check our decoder against upstream's field numbers and not against itself. */
const varint = (n: number): number[] => {
  const out: number[] = [];
  let v = BigInt.asUintN(64, BigInt(n));
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
};
const bytesOf = (s: string | number[]) => (typeof s === 'string' ? [...Buffer.from(s)] : s);
/** Field `n`, length-delimited. */
const ld = (n: number, body: string | number[]) => [...varint((n << 3) | 2), ...varint(bytesOf(body).length), ...bytesOf(body)];
/** Field `n`, varint. */
const vi = (n: number, v: number) => [...varint(n << 3), ...varint(v)];
const envelope = (apiVersion: string, kind: string, raw: number[]) =>
  Uint8Array.from([0x6b, 0x38, 0x73, 0x00, ...ld(1, [...ld(1, apiVersion), ...ld(2, kind)]), ...ld(2, raw), ...ld(3, ''), ...ld(4, '')]);

test('hand-assembled ConfigMap (upstream field numbers) decodes to its JSON form', () => {
  // ConfigMap{metadata=1{name=1,generateName=2,namespace=3,labels=11}, data=2 map, binaryData=3 map<string,bytes>}
  const meta = [...ld(1, 'cfg'), ...ld(2, ''), ...ld(3, 'ns1'), ...vi(7, 0), ...ld(8, []), ...ld(11, [...ld(1, 'app'), ...ld(2, 'web')])];
  const raw = [...ld(1, meta), ...ld(2, [...ld(1, 'a'), ...ld(2, 'b')]), ...ld(2, [...ld(1, 'c'), ...ld(2, 'd')]), ...ld(3, [...ld(1, 'bin'), ...ld(2, [0, 1, 255])])];
  assert.deepEqual(decodeProtobufRequest(envelope('v1', 'ConfigMap', raw)), {
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: 'cfg', namespace: 'ns1', creationTimestamp: null, labels: { app: 'web' } },
    data: { a: 'b', c: 'd' },
    binaryData: { bin: Buffer.from([0, 1, 255]).toString('base64') },
  });
});

test('hand-assembled Secret: bytes map values become base64, type is kept', () => {
  // Secret{metadata=1, data=2 map<string,bytes>, type=3, stringData=4, immutable=5}
  const raw = [...ld(1, ld(1, 's')), ...ld(2, [...ld(1, 'password'), ...ld(2, 'hunter2')]), ...ld(3, 'Opaque')];
  assert.deepEqual(decodeProtobufRequest(envelope('v1', 'Secret', raw)), {
    apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: Buffer.from('hunter2').toString('base64') }, type: 'Opaque',
  });
});

test('hand-assembled Deployment: pointer zero kept (replicas 0), value zeros dropped, Time as RFC 3339, empty structs kept', () => {
  // Time{seconds=1,nanos=2}; ObjectMeta.creationTimestamp=8; DeploymentSpec{replicas=1,selector=2,template=3,strategy=4,minReadySeconds=5}
  const container = [...ld(1, 'nginx'), ...ld(2, 'nginx:1.27'), ...ld(8, []), ...ld(14, ''), ...ld(13, ''), ...vi(16, 0), ...vi(18, 0)];
  const podSpec = [...ld(2, container), ...ld(3, ''), ...ld(6, '')];
  const template = [...ld(1, [...ld(1, ''), ...ld(8, []), ...ld(11, [...ld(1, 'app'), ...ld(2, 'x')])]), ...ld(2, podSpec)];
  const selector = ld(1, [...ld(1, 'app'), ...ld(2, 'x')]);
  const spec = [...vi(1, 0), ...ld(2, selector), ...ld(3, template), ...ld(4, []), ...vi(5, 0), ...vi(7, 0)];
  const meta = [...ld(1, 'x'), ...ld(8, vi(1, 1700000000))];
  const raw = [...ld(1, meta), ...ld(2, spec), ...ld(3, [])];
  assert.deepEqual(decodeProtobufRequest(envelope('apps/v1', 'Deployment', raw)), {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'x', creationTimestamp: '2023-11-14T22:13:20Z' },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'x' } },
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'x' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', resources: {} }] },
      },
      strategy: {},
    },
    status: {},
  });
});

test('hand-assembled Service: IntOrString as number and as string, ports list', () => {
  // ServicePort{name=1,protocol=2,port=3,targetPort=4 IntOrString{type=1,intVal=2,strVal=3},nodePort=5}
  const p1 = [...ld(1, 'http'), ...ld(2, 'TCP'), ...vi(3, 80), ...ld(4, [...vi(1, 0), ...vi(2, 8080)])];
  const p2 = [...ld(1, 'metrics'), ...ld(2, 'TCP'), ...vi(3, 9090), ...ld(4, [...vi(1, 1), ...ld(3, 'prom')])];
  const spec = [...ld(1, p1), ...ld(1, p2), ...ld(2, [...ld(1, 'app'), ...ld(2, 'x')]), ...ld(4, 'ClusterIP')];
  const raw = [...ld(1, ld(1, 'svc')), ...ld(2, spec)];
  const obj = decodeProtobufRequest(envelope('v1', 'Service', raw));
  assert.deepEqual(obj.spec, {
    ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }, { name: 'metrics', protocol: 'TCP', port: 9090, targetPort: 'prom' }],
    selector: { app: 'x' },
    type: 'ClusterIP',
  });
});

test('hand-assembled Pod: inline embedded structs (Volume.volumeSource, Probe.handler) and Quantity', () => {
  // Volume{name=1, volumeSource=2 VolumeSource{emptyDir=2 EmptyDirVolumeSource{medium=1,sizeLimit=2 Quantity{string=1}}}}
  const volume = [...ld(1, 'cache'), ...ld(2, ld(2, [...ld(1, ''), ...ld(2, ld(1, '1Gi'))]))];
  // Probe{handler=1 ProbeHandler{exec=1 ExecAction{command=1}}, initialDelaySeconds=2}
  const probe = [...ld(1, ld(1, [...ld(1, 'true')])), ...vi(2, 5)];
  // ResourceRequirements{limits=1 map<string,Quantity>}
  const resources = ld(1, [...ld(1, 'cpu'), ...ld(2, ld(1, '500m'))]);
  const container = [...ld(1, 'c'), ...ld(2, 'busybox'), ...ld(8, resources), ...ld(10, probe)];
  const spec = [...ld(1, volume), ...ld(2, container)];
  const obj = decodeProtobufRequest(envelope('v1', 'Pod', [...ld(1, ld(1, 'p')), ...ld(2, spec)]));
  assert.deepEqual(obj.spec, {
    volumes: [{ name: 'cache', emptyDir: { sizeLimit: '1Gi' } }],
    containers: [{ name: 'c', image: 'busybox', resources: { limits: { cpu: '500m' } }, livenessProbe: { exec: { command: ['true'] }, initialDelaySeconds: 5 } }],
  });
});

test('our encoder round-trips a full Job, CronJob, Namespace, ServiceAccount', () => {
  const objects: Record<string, unknown>[] = [
    { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'default', labels: { a: 'b' }, annotations: { x: 'y' }, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'cj', uid: 'u-1', controller: true }] },
      spec: { backoffLimit: 0, completions: 3, parallelism: 1, suspend: false, template: { metadata: { creationTimestamp: null }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo hi'], env: [{ name: 'A', value: '1' }, { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'k', optional: true } } }], resources: {} }] } } },
      status: {} },
    { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj', creationTimestamp: '2024-05-06T07:08:09Z' }, spec: { schedule: '*/1 * * * *', jobTemplate: { metadata: { name: 'cj', creationTimestamp: null }, spec: { template: { metadata: { creationTimestamp: null }, spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox', resources: {} }] } } } } }, status: {} },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', creationTimestamp: null }, spec: {}, status: {} },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa', namespace: 'n', creationTimestamp: null }, automountServiceAccountToken: false },
  ];
  for (const o of objects as KubeObject[]) assert.deepEqual(decodeProtobufRequest(encodeProtobuf(o)), o);
});

test('MicroTime, managedFields (FieldsV1) and deletionGracePeriodSeconds round-trip', () => {
  const o: KubeObject = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l', creationTimestamp: '2024-01-01T00:00:00Z', deletionGracePeriodSeconds: 0,
    managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '2024-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:holderIdentity': {} } } }] },
  spec: { holderIdentity: 'me', leaseDurationSeconds: 15, renewTime: '2024-01-01T00:00:01.123456Z' } };
  assert.deepEqual(decodeProtobufRequest(encodeProtobuf(o)), o);
});

test('bad magic and garbage are BadRequest; unknown kinds are UnsupportedMediaType', () => {
  const isReason = (reason: string) => (e: unknown) => e instanceof ApiError && e.reason === reason;
  assert.throws(() => decodeProtobufRequest(Buffer.from('{"kind":"Pod"}')), isReason('BadRequest'));
  assert.throws(() => decodeProtobufRequest(Uint8Array.from([0x6b, 0x38, 0x73, 0, 0x0a, 0x50, 1])), isReason('BadRequest'));
  assert.throws(() => decodeProtobufRequest(envelope('example.com/v1', 'Widget', [])), (e: unknown) => isReason('UnsupportedMediaType')(e) && /Widget/.test((e as Error).message));
  assert.throws(() => decodeProtobufRequest(envelope('v1', 'Pod', [0x0a, 0x05, 1])), isReason('BadRequest'));
});
