import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { haveRealKubectl, runOurs, runReal } from './testing/differential.js';

const home = mkdtempSync(join(tmpdir(), 'k8ts-kubectl-run-'));
after(() => rmSync(home, { recursive: true, force: true }));
const env = { HOME: home, KUBECONFIG: '/dev/null' };

const SAME_AS_KUBECTL: string[][] = [
  ['get', '--foo'],
  ['get', '-x'],
  ['get', '-Ax'],
  ['get', '-n'],
  ['get', '--namespace'],
  ['get', '-L'],
  ['get', '--all-namespaces=x'],
  ['get', '--v=x'],
  ['--foo'],
  ['foo'],
  ['ge'],
  ['zzzzzz'],
  ['-n', 'x', 'get', '--foo'],
  ['config', 'foo'],
  ['config', 'view', '--foo'],
  ['config', 'view'],
  ['config', 'current-context'],
  ['config', 'get-contexts'],
  ['version', '--client', '-o', 'xx'],
  ['get'],
  ['create', 'service', 'clusterip', 'web', '--tcp=80:8080', '--tcp=443', '--dry-run=client', '-o', 'json'],
  ['create', 'service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080', '--dry-run=client', '-o', 'yaml'],
  ['create', 'service', 'clusterip', 'hl', '--clusterip=None', '--dry-run=client', '-o', 'json'],
  ['create', 'service', 'externalname', 'ex', '--external-name=example.com', '--dry-run=client', '-o', 'json'],
  ['create', 'svc', 'loadbalancer', 'lb', '--tcp=5678:8080', '--dry-run=client', '-o', 'json'],
  ['create', 'service', 'clusterip', 'web', '--dry-run=client'],
  ['create', 'deployment', 'web', '--image=nginx:1.27', '--image=reg.io/a/busy-box:1', '--port=80', '--replicas=2', '--dry-run=client', '-o', 'json'],
  ['create', 'deployment', 'w2', '--image=nginx', '--dry-run=client', '-o', 'yaml', '--', 'sleep', '10'],
  ['create', 'namespace', 'x', '--dry-run=client', '-o', 'json'],
  ['create', 'configmap', 'c', '--from-literal=b=2', '--from-literal=a=1', '--dry-run=client', '-o', 'json'],
  ['create', 'secret', 'generic', 's', '--from-literal=a=b', '--type=Opaque', '--dry-run=client', '-o', 'json'],
  ['create', 'deployment', 'w', '--dry-run=client'],
  ['create', 'job', 'j', '--image=busybox', '--dry-run=client', '-o', 'json', '--', 'echo', 'hi'],
  ['create', 'job', 'j', '--dry-run=client'],
  ['create', 'cronjob', 'c', '--image=busybox', '--schedule=*/5 * * * *', '--dry-run=client', '-o', 'yaml', '--', 'date'],
  ['create', 'cronjob', 'c', '--image=x', '--dry-run=client'],
  ['create', 'deployment', 'w', '--image=nginx', '--dry-run=client'],
];

for (const args of SAME_AS_KUBECTL) {
  test(`same as kubectl: ${args.join(' ')}`, { skip: !haveRealKubectl && 'no kubectl' }, async () => {
    const real = await runReal(args, env);
    const ours = await runOurs(args, env);
    assert.deepEqual(ours, real);
  });
}

test('kubectl --help lists commands by group; a command --help has Options and Usage', async () => {
  const root = await runOurs(['--help'], env);
  assert.equal(root.code, 0);
  assert.match(root.stdout, /^Basic Commands \(Intermediate\):\n {2}get +Display one or many resources$/m);
  const get = await runOurs(['get', '--help'], env);
  assert.match(get.stdout, /^Options:\n {4}-A, --all-namespaces=false:\n\tIf present/m);
  assert.match(get.stdout, /\nUsage:\n {2}kubectl get \[/);
  const opts = await runOurs(['options'], env);
  assert.match(opts.stdout, /^ {4}-n, --namespace='':$/m);
});
