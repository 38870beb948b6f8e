/**
 * Figures of the schema-driven codecs: protobuf request decode/encode rate for a typical Deployment, and
 * the cost of building every OpenAPI v3 document (done once per process, then cached).
 * Run: `node dist/bench/api/codecs.js`.
 */
import { performance } from 'node:perf_hooks';
import { decodeProtobufRequest, encodeProtobuf } from '../../src/api/protobuf/index.js';
import { openapiV3Paths, openapiV3DocumentJSON } from '../../src/api/openapi/index.js';

const t0 = performance.now();
const paths = openapiV3Paths();
let bytes = 0;
for (const p of Object.keys(paths)) bytes += openapiV3DocumentJSON(p)!.length;
const buildMs = performance.now() - t0;

const deployment = {
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web', tier: 'frontend' }, annotations: { note: 'x'.repeat(64) } },
  spec: {
    replicas: 3, selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }],
        env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], resources: { requests: { cpu: '100m', memory: '64Mi' } },
        readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 5 } }] },
    },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
  },
};
const body = encodeProtobuf(deployment);
for (let i = 0; i < 2000; i++) decodeProtobufRequest(body); // warm-up

const rate = (fn: () => void, n: number) => {
  const s = performance.now();
  for (let i = 0; i < n; i++) fn();
  return n / ((performance.now() - s) / 1000);
};
const decodes = rate(() => decodeProtobufRequest(body), 20_000);
const encodes = rate(() => encodeProtobuf(deployment), 20_000);

console.log(`openapi v3: ${Object.keys(paths).length} documents, ${(bytes / 1024).toFixed(0)} KiB of JSON, built in ${buildMs.toFixed(0)} ms (once per process)`);
console.log(`protobuf Deployment (${body.length} bytes): decode ${decodes.toFixed(0)}/s, encode ${encodes.toFixed(0)}/s`);
