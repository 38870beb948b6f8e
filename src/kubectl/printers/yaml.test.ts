import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { chooseStyle, formatNumber, toYAML } from './yaml.js';

/** The real kubectl 1.32 binary (not the dispatcher, which needs a server). */
const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
const hasKubectl = existsSync(KUBECTL);

function realKubectl(args: string[]): string {
  return execFileSync(KUBECTL, args, { env: { ...process.env, KUBECONFIG: '/dev/null' }, encoding: 'utf8' });
}

const TRICKY = [
  'b', '123', '-1', '+1', '1.5', '.5', '1e3', '0x1F', '0o17', '017', '08', '1_000', '1:20', '12:61', 'true', 'True', 'y', 'n', 'yes', 'No',
  'on', 'OFF', 'null', '~', '', ' ', ' lead', 'trail ', 'a b', 'a: b', 'a:b', 'key:', 'a #b', 'a#b', '#x', '*x', '&x', '!x', '%x', '@x', '`x',
  '|x', '>x', "'x", '"x', 'x"y', "x'y", '- x', '-x', '-', '? x', '?x', ':x', ', x', '[x]', '{x}', 'a, b', '---', '--- x', '...', '.inf', '-.Inf',
  '.nan', '<<', '2024-01-02', '2024-01-02T03:04:05Z', '2024-1-2 3:04:05', '1234-x', 'tab\there', 'bell\u0007', 'uni é ü 日本', 'emoji 😀',
  'nbsp\u00a0x', 'line1\nline2', 'line1\nline2\n', 'line1\nline2\n\n', '\nlead', ' lead\nx', 'x\n y', 'x \ny', 'x\n\ny', 'cr\r\nlf',
  'a '.repeat(60), `${'word '.repeat(30)}end`, `'${'q '.repeat(50)}'`, `tab\t${' long'.repeat(30)}`, `${'x'.repeat(100)} y`, '0b101', '-0b1',
  '1e', '1.2.3', '+.5', '0.', '.', '..', 'e5', '1E+10', '0x', 'FALSE', 'Off', 'NULL', 'Null',
];

test('string styles match go-yaml for tricky values (live kubectl)', { skip: !hasKubectl && 'no kubectl' }, () => {
  const args = ['create', 'configmap', 'x', '--dry-run=client'];
  TRICKY.forEach((v, i) => args.push(`--from-literal=k${String(i).padStart(3, '0')}=${v}`));
  const json = JSON.parse(realKubectl([...args, '-o', 'json']));
  const want = realKubectl([...args, '-o', 'yaml']);
  const got = toYAML(json);
  const wl = want.split('\n');
  const gl = got.split('\n');
  for (let i = 0; i < Math.max(wl.length, gl.length); i++) assert.equal(gl[i], wl[i], `line ${i + 1}`);
});

test('tricky map keys (live kubectl)', { skip: !hasKubectl && 'no kubectl' }, () => {
  const keys = ['y', 'n', '123', 'true', 'a.b', '-x', '_x', 'x_', '1.5', 'a-b', 'on'];
  const args = ['create', 'configmap', 'x', '--dry-run=client', ...keys.map((k) => `--from-literal=${k}=v`)];
  const json = JSON.parse(realKubectl([...args, '-o', 'json']));
  assert.equal(toYAML(json), realKubectl([...args, '-o', 'yaml']));
});

test('nested lists and maps (live kubectl)', { skip: !hasKubectl && 'no kubectl' }, () => {
  const cmds = [
    ['create', 'service', 'nodeport', 'web', '--tcp=80:8080', '--tcp=443:8443', '--dry-run=client'],
    ['create', 'ingress', 'ing', '--rule=foo.com/bar*=svc:8080,tls=my-cert', '--rule=x.io/=other:http', '--dry-run=client'],
    ['create', 'poddisruptionbudget', 'p', '--selector=app=x', '--min-available=50%', '--dry-run=client'],
  ];
  for (const args of cmds) assert.equal(toYAML(JSON.parse(realKubectl([...args, '-o', 'json']))), realKubectl([...args, '-o', 'yaml']));
  const dep = ['create', 'deployment', 'web', '--image=nginx', '--image=busybox', '--replicas=3', '--dry-run=client'];
  assert.equal(toYAML(JSON.parse(realKubectl([...dep, '-o', 'json']))), realKubectl([...dep, '-o', 'yaml']));
});

test('layout without kubectl', () => {
  assert.equal(toYAML({ b: [1, { x: 'y', a: [] }, [2, 3]], a: {}, c: null, d: true }),
    'a: {}\nb:\n- 1\n- a: []\n  x: "y"\n- - 2\n  - 3\nc: null\nd: true\n');
  assert.equal(toYAML({ s: 'l1\nl2\n', t: 'x' }), 's: |\n  l1\n  l2\nt: x\n');
  assert.equal(chooseStyle('123', false), 'double');
  assert.equal(chooseStyle('a: b', false), 'single');
  assert.equal(formatNumber(1.5), '1.5');
  assert.equal(formatNumber(1234567.5), '1.2345675e+06');
  assert.equal(formatNumber(0.00001), '1e-05');
});
