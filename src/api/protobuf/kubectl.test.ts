/**
 * The real kubectl 1.32 against a recording server: every `kubectl create <kind>` body it sends (protobuf
 * for built-in kinds) must decode to exactly the JSON kubectl itself prints for the same object with
 * `--dry-run=client -o json`.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { KubectlBench, KUBECTL } from '../openapi/testing/kubectl-bench.js';
import { decodeProtobufRequest, PROTOBUF_CONTENT_TYPE } from './index.js';

const bench = new KubectlBench();
const skip = existsSync(KUBECTL) ? false : 'kubectl is not installed';

before(async () => { if (!skip) await bench.start(); });
after(async () => { if (!skip) await bench.stop(); });

/** [args of `kubectl create`, must the body be protobuf?] (kubectl 1.32 sends protobuf for all of these) */
const CASES: [string[], boolean][] = [
  [['deployment', 'web', '--image=nginx:1.27', '--replicas=0', '--port=80'], true],
  [['configmap', 'cfg', '--from-literal=a=b', '--from-literal=greeting=hello world'], true],
  [['secret', 'generic', 'sec', '--from-literal=password=hunter2', '--type=Opaque'], true],
  [['namespace', 'team-a'], true],
  [['service', 'clusterip', 'svc', '--tcp=80:8080', '--tcp=443:https'], true],
  [['service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080'], true],
  [['job', 'once', '--image=busybox', '--', 'sh', '-c', 'echo hi'], true],
  [['serviceaccount', 'robot'], true],
  [['cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date'], true],
  [['priorityclass', 'high', '--value=1000', '--description=important', '--preemption-policy=Never'], true],
  [['quota', 'q', '--hard=pods=2,cpu=1,memory=1Gi'], true],
  [['role', 'reader', '--verb=get,list', '--resource=pods,deployments.apps'], true],
  [['rolebinding', 'rb', '--role=reader', '--user=alice', '--serviceaccount=default:robot'], true],
  [['poddisruptionbudget', 'pdb', '--selector=app=web', '--min-available=50%'], true],
  [['ingress', 'ing', '--rule=example.com/path*=svc:80'], true],
];

for (const [args, mustBeProtobuf] of CASES) {
  test(`kubectl create ${args.slice(0, 2).join(' ')}: body decodes to kubectl's own JSON`, { skip }, async () => {
    const dash = args.indexOf('--');
    const withFlags = dash < 0 ? [...args, '--dry-run=client', '-o', 'json'] : [...args.slice(0, dash), '--dry-run=client', '-o', 'json', ...args.slice(dash)];
    const expected = await bench.kubectl('create', ...withFlags);
    assert.equal(expected.code, 0, expected.stderr);
    const before = bench.writes().length;
    const r = await bench.kubectl('create', ...args);
    assert.equal(r.code, 0, r.stderr);
    const sent = bench.writes().slice(before);
    assert.equal(sent.length, 1, `one POST expected, got ${sent.map((s) => s.url).join(', ')}`);
    const { contentType, body, url } = sent[0];
    assert.match(url, /fieldManager=kubectl-create/);
    const isProtobuf = contentType.startsWith(PROTOBUF_CONTENT_TYPE);
    if (mustBeProtobuf) assert.ok(isProtobuf, `expected a protobuf body, got ${contentType}`);
    else if (!isProtobuf) assert.match(contentType, /application\/json/);
    const decoded = isProtobuf ? decodeProtobufRequest(body) : JSON.parse(body.toString());
    assert.deepEqual(decoded, JSON.parse(expected.stdout));
  });
}
