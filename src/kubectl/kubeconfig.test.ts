import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { kubeconfigChain, loadKubeconfigAsync, localServerKubeconfig } from './kubeconfig.js';
import { haveRealKubectl, runOurs, runReal } from './testing/differential.js';

const home = mkdtempSync(join(tmpdir(), 'k8ts-kubeconfig-'));
after(() => rmSync(home, { recursive: true, force: true }));

const A = `apiVersion: v1
kind: Config
clusters:
- name: c1
  cluster: {server: 'https://127.0.0.1:6443', certificate-authority-data: QUJD}
- name: c2
  cluster: {server: 'https://10.0.0.1:6443', insecure-skip-tls-verify: true}
contexts:
- name: ctx1
  context: {cluster: c1, user: u1, namespace: team}
- name: ctx2
  context: {cluster: c2, user: u2}
current-context: ctx1
users:
- name: u1
  user: {token: secret-token}
- name: u2
  user: {client-certificate-data: QUJD, client-key-data: QUJD, username: bob, password: pw}
`;
const B = `apiVersion: v1
kind: Config
clusters:
- name: c1
  cluster: {server: 'https://overridden:1'}
- name: c3
  cluster: {server: 'https://c3:6443'}
contexts:
- name: ctx3
  context: {cluster: c3, user: u1}
current-context: ctx3
users: []
`;
writeFileSync(join(home, 'a.yaml'), A);
writeFileSync(join(home, 'b.yaml'), B);

test('file chain: flag, $KUBECONFIG, ~/.kube/config, then the local k8ts server kubeconfig', () => {
  assert.deepEqual(kubeconfigChain({ kubeconfigFlag: '/x', env: { KUBECONFIG: '/a:/b', HOME: home } }).chain, ['/x']);
  assert.deepEqual(kubeconfigChain({ env: { KUBECONFIG: '/a:/b:/a', HOME: home } }).chain, ['/a', '/b']);
  const local = localServerKubeconfig({ HOME: home });
  if (!local.startsWith('/var/lib/')) {
    assert.deepEqual(kubeconfigChain({ env: { HOME: home } }).chain, [join(home, '.kube', 'config')]);
    mkdirSync(join(home, '.k8ts', 'server', 'cred'), { recursive: true });
    writeFileSync(local, A);
    assert.deepEqual(kubeconfigChain({ env: { HOME: home } }).chain, [local]);
    mkdirSync(join(home, '.kube'), { recursive: true });
    writeFileSync(join(home, '.kube', 'config'), B);
    assert.deepEqual(kubeconfigChain({ env: { HOME: home } }).chain, [join(home, '.kube', 'config')]);
    rmSync(join(home, '.kube'), { recursive: true });
  } else {
    assert.equal(local, '/var/lib/k8ts/server/cred/admin.kubeconfig');
  }
});

test('merging: the first file to define a name or current-context wins; parsed files are cached as JSON', async () => {
  const cache = join(home, 'cache');
  const cfg = await loadKubeconfigAsync({ env: { KUBECONFIG: `${join(home, 'a.yaml')}:${join(home, 'b.yaml')}`, HOME: home }, cacheDir: cache });
  assert.equal(cfg.currentContext, 'ctx1');
  assert.equal(cfg.clusters.get('c1')!.value.server, 'https://127.0.0.1:6443');
  assert.equal(cfg.clusters.get('c3')!.file, join(home, 'b.yaml'));
  const again = await loadKubeconfigAsync({ env: { KUBECONFIG: join(home, 'a.yaml'), HOME: home }, cacheDir: cache });
  assert.equal(again.users.get('u1')!.value.token, 'secret-token');
});

const SAME: string[][] = [
  ['config', 'view'],
  ['config', 'view', '--minify'],
  ['config', 'view', '--raw', '-o', 'json'],
  ['config', 'view', '-o', 'jsonpath={.contexts[*].name}'],
  ['config', 'get-contexts'],
  ['config', 'get-contexts', 'ctx2', 'nope'],
  ['config', 'get-contexts', '-o', 'name'],
  ['config', 'current-context'],
  ['config', 'use-context', 'nope'],
  ['--context', 'ctx2', 'config', 'view', '--minify'],
];

for (const args of SAME) {
  test(`same as kubectl with merged files: ${args.join(' ')}`, { skip: !haveRealKubectl && 'no kubectl' }, async () => {
    const env = { HOME: home, KUBECONFIG: `${join(home, 'a.yaml')}:${join(home, 'b.yaml')}` };
    assert.deepEqual(await runOurs(args, env, home), await runReal(args, env, home));
  });
}

test('get-clusters and get-users list the same names as kubectl (kubectl prints them in map order)', { skip: !haveRealKubectl && 'no kubectl' }, async () => {
  const env = { HOME: home, KUBECONFIG: `${join(home, 'a.yaml')}:${join(home, 'b.yaml')}` };
  for (const sub of ['get-clusters', 'get-users']) {
    const sorted = (s: string) => s.split('\n').sort().join('\n');
    const real = await runReal(['config', sub], env, home);
    const ours = await runOurs(['config', sub], env, home);
    assert.equal(sorted(ours.stdout), sorted(real.stdout));
    assert.equal(ours.stdout.split('\n')[0], 'NAME');
  }
});

test('edits like kubectl: use-context, set-context, rename-context, delete-context', { skip: !haveRealKubectl && 'no kubectl' }, async () => {
  for (const who of ['real', 'ours'] as const) writeFileSync(join(home, `${who}.yaml`), A);
  const steps = [
    ['config', 'use-context', 'ctx2'],
    ['config', 'set-context', 'ctx2', '--namespace=prod'],
    ['config', 'set-context', 'new', '--cluster=c9', '--user=u9'],
    ['config', 'set-context', '--current', '--namespace=x'],
    ['config', 'rename-context', 'new', 'newer'],
    ['config', 'delete-context', 'ctx1'],
    ['config', 'view', '--raw'],
  ];
  for (const step of steps) {
    const real = await runReal(step, { HOME: home, KUBECONFIG: join(home, 'real.yaml') }, home);
    const ours = await runOurs(step, { HOME: home, KUBECONFIG: join(home, 'ours.yaml') }, home);
    assert.deepEqual({ ...ours, stdout: ours.stdout.replaceAll('ours.yaml', 'X') }, { ...real, stdout: real.stdout.replaceAll('real.yaml', 'X') }, step.join(' '));
  }
});
