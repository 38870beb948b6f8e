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

/**
 * Go's JSON writes a nil list that lacks `omitempty` as `null` (ClusterRole.rules); the protobuf form
 * cannot tell nil from empty and we leave such lists out. Both mean "no items" to the server, so the
 * comparison drops `null` values except the ones Go writes for unset times (kept on both sides).
 */
function withoutNullLists(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => withoutNullLists(x));
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.entries(v)
    .filter(([k, x]) => x !== null || /Timestamp$|Time$/.test(k))
    .map(([k, x]) => [k, withoutNullLists(x)]));
}

/** [kubectl arguments, must the body be protobuf?] (kubectl 1.32 sends protobuf for typed built-in kinds; run/expose send JSON) */
const CASES: [string[], boolean][] = [
  [['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=0', '--port=80'], true],
  [['create', 'configmap', 'cfg', '--from-literal=a=b', '--from-literal=greeting=hello world'], true],
  [['create', 'secret', 'generic', 'sec', '--from-literal=password=hunter2', '--type=Opaque'], true],
  [['create', 'secret', 'docker-registry', 'reg', '--docker-server=registry.example', '--docker-username=u', '--docker-password=p'], true],
  [['create', 'namespace', 'team-a'], true],
  [['create', 'service', 'clusterip', 'svc', '--tcp=80:8080', '--tcp=443:https'], true],
  [['create', 'service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080'], true],
  [['create', 'job', 'once', '--image=busybox', '--', 'sh', '-c', 'echo hi'], true],
  [['create', 'serviceaccount', 'robot'], true],
  [['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date'], true],
  [['create', 'priorityclass', 'high', '--value=1000', '--description=important', '--preemption-policy=Never'], true],
  [['create', 'quota', 'q', '--hard=pods=2,cpu=1,memory=1Gi'], true],
  [['create', 'role', 'reader', '--verb=get,list', '--resource=pods,deployments.apps'], true],
  [['create', 'rolebinding', 'rb', '--role=reader', '--user=alice', '--serviceaccount=default:robot'], true],
  [['create', 'clusterrole', 'cr', '--verb=get', '--resource=nodes', '--non-resource-url=/healthz'], true],
  [['create', 'clusterrole', 'agg', '--aggregation-rule=rbac.example/aggregate=true'], true],
  [['create', 'clusterrolebinding', 'crb', '--clusterrole=cr', '--group=devs'], true],
  [['create', 'poddisruptionbudget', 'pdb', '--selector=app=web', '--min-available=50%'], true],
  [['create', 'ingress', 'ing', '--rule=example.com/path*=svc:80'], true],
  [['autoscale', 'deployment', 'web', '--min=1', '--max=3', '--cpu-percent=50'], true],
  [['run', 'pod1', '--image=nginx', '--labels=a=b', '--env=X=1', '--port=80'], false],
  [['expose', 'deployment', 'web', '--port=80', '--target-port=8080', '--name=web-svc'], false],
];

for (const [args, mustBeProtobuf] of CASES) {
  test(`kubectl ${args.slice(0, 3).join(' ')}: body decodes to kubectl's own JSON`, { skip }, async () => {
    const dash = args.indexOf('--');
    const withFlags = dash < 0 ? [...args, '--dry-run=client', '-o', 'json'] : [...args.slice(0, dash), '--dry-run=client', '-o', 'json', ...args.slice(dash)];
    const expected = await bench.kubectl(...withFlags);
    assert.equal(expected.code, 0, expected.stderr);
    const before = bench.writes().length;
    const r = await bench.kubectl(...args);
    assert.equal(r.code, 0, r.stderr);
    const sent = bench.writes().slice(before);
    assert.equal(sent.length, 1, `one POST expected, got ${sent.map((s) => s.url).join(', ')}`);
    const { contentType, body, url } = sent[0];
    assert.match(url, /fieldManager=kubectl-/);
    const isProtobuf = contentType.startsWith(PROTOBUF_CONTENT_TYPE);
    if (mustBeProtobuf) assert.ok(isProtobuf, `expected a protobuf body, got ${contentType}`);
    else if (!isProtobuf) assert.match(contentType, /application\/json/);
    const decoded = isProtobuf ? decodeProtobufRequest(body) : JSON.parse(body.toString());
    assert.deepEqual(withoutNullLists(decoded), withoutNullLists(JSON.parse(expected.stdout)));
  });
}

test('kubectl create token: the TokenRequest body (a subresource kind) decodes', { skip }, async () => {
  const before = bench.writes().length;
  await bench.kubectl('create', 'token', 'robot', '--duration=10m', '--audience=a1');
  const sent = bench.writes().slice(before);
  assert.equal(sent.length, 1);
  assert.match(sent[0].url, /^\/api\/v1\/namespaces\/default\/serviceaccounts\/robot\/token/);
  assert.ok(sent[0].contentType.startsWith(PROTOBUF_CONTENT_TYPE));
  assert.deepEqual(decodeProtobufRequest(sent[0].body), {
    apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: { creationTimestamp: null },
    spec: { audiences: ['a1'], expirationSeconds: 600 }, status: { token: '', expirationTimestamp: null },
  });
});
