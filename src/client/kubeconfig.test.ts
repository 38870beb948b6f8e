import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';
import { KubeconfigError, loadKubeconfig, parseKubeconfig, resolveRestConfig, restConfigFromKubeconfig, stringifyKubeconfig } from './kubeconfig.js';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-kubeconfig-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, typeof content === 'string' ? content : stringify(content));
  return path;
}

const fileA = write('a.yaml', {
  'current-context': 'ctx-a',
  clusters: [{ name: 'shared', cluster: { server: 'https://a.example:6443', 'insecure-skip-tls-verify': true } }],
  users: [{ name: 'shared-user', user: { token: 'token-a' } }],
  contexts: [{ name: 'ctx-a', context: { cluster: 'shared', user: 'shared-user', namespace: 'ns-a' } }],
});
const fileB = write('sub/b.yaml', {
  'current-context': 'ctx-b',
  clusters: [
    { name: 'shared', cluster: { server: 'https://b.example:6443' } },
    { name: 'only-b', cluster: { server: 'https://only-b:6443', 'certificate-authority': 'ca.crt', 'tls-server-name': 'api.internal' } },
  ],
  users: [
    { name: 'shared-user', user: { token: 'token-b' } },
    { name: 'file-user', user: { tokenFile: 'token.txt' } },
  ],
  contexts: [
    { name: 'ctx-b', context: { cluster: 'only-b', user: 'file-user' } },
    { name: 'ctx-a', context: { cluster: 'only-b', user: 'file-user' } },
  ],
});
write('sub/ca.crt', '-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n');
write('sub/token.txt', 'file-token\n');

test('$KUBECONFIG merge: first file to set a value wins; missing files are skipped', () => {
  const missing = join(dir, 'missing.yaml');
  const { config, files } = loadKubeconfig({ env: { KUBECONFIG: [fileA, missing, fileB].join(delimiter) } });
  assert.deepEqual(files, [fileA, fileB]);
  assert.equal(config['current-context'], 'ctx-a');
  assert.equal(config.clusters.find((c) => c.name === 'shared')!.cluster.server, 'https://a.example:6443');
  assert.equal(config.users.find((u) => u.name === 'shared-user')!.user.token, 'token-a');
  assert.equal(config.contexts.find((c) => c.name === 'ctx-a')!.context.namespace, 'ns-a');
  assert.ok(config.clusters.some((c) => c.name === 'only-b'), 'names only b has are kept');
  const rc = resolveRestConfig(config);
  assert.equal(rc.server, 'https://a.example:6443');
  assert.equal(rc.namespace, 'ns-a');
  assert.equal(rc.token, 'token-a');
  assert.equal(rc.insecureSkipTLSVerify, true);
});

test('the order of $KUBECONFIG decides', () => {
  const { config } = loadKubeconfig({ env: { KUBECONFIG: [fileB, fileA].join(delimiter) } });
  assert.equal(config['current-context'], 'ctx-b');
  assert.equal(config.clusters.find((c) => c.name === 'shared')!.cluster.server, 'https://b.example:6443');
});

test('relative paths are relative to the file naming them; tokenFile is read; overrides pick context and namespace', () => {
  const rc = restConfigFromKubeconfig({ explicitPath: fileB, namespace: 'override' });
  assert.equal(rc.server, 'https://only-b:6443');
  assert.equal(rc.ca?.toString(), '-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n');
  assert.equal(rc.tlsServerName, 'api.internal');
  assert.equal(rc.token, 'file-token');
  assert.equal(rc.tokenFile, join(dir, 'sub', 'token.txt'));
  assert.equal(rc.namespace, 'override');
  const viaUser = restConfigFromKubeconfig({ explicitPath: fileB, user: 'shared-user', cluster: 'shared' });
  assert.equal(viaUser.server, 'https://b.example:6443');
  assert.equal(viaUser.token, 'token-b');
  assert.equal(viaUser.namespace, 'default');
});

test('~/.kube/config is the default; none at all is an empty config', () => {
  const home = join(dir, 'home');
  write('home/.kube/config', { 'current-context': 'h', clusters: [{ name: 'c', cluster: { server: 'http://127.0.0.1:8080' } }], contexts: [{ name: 'h', context: { cluster: 'c' } }] });
  assert.equal(restConfigFromKubeconfig({ env: {}, homeDir: home }).server, 'http://127.0.0.1:8080');
  const empty = loadKubeconfig({ env: {}, homeDir: join(dir, 'nohome') });
  assert.deepEqual(empty.files, []);
  assert.throws(() => resolveRestConfig(empty.config), /no configuration has been provided/);
});

test('client certificate data and files; inline data decoded', () => {
  const cfg = parseKubeconfig(stringify({
    'current-context': 'x',
    clusters: [{ name: 'c', cluster: { server: 'https://h:1', 'certificate-authority-data': Buffer.from('CA').toString('base64') } }],
    users: [{ name: 'u', user: { 'client-certificate-data': Buffer.from('CERT').toString('base64'), 'client-key-data': Buffer.from('KEY').toString('base64') } }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
  }), join(dir, 'inline.yaml'));
  const rc = resolveRestConfig(cfg);
  assert.equal(rc.ca?.toString(), 'CA');
  assert.equal(rc.cert?.toString(), 'CERT');
  assert.equal(rc.key?.toString(), 'KEY');
  const back = parseKubeconfig(stringifyKubeconfig(cfg), join(dir, 'again.yaml'));
  assert.deepEqual(back.users, cfg.users);
});

test('clear errors for bad files and bad choices', () => {
  assert.throws(() => loadKubeconfig({ explicitPath: join(dir, 'nope.yaml') }), (e) => e instanceof KubeconfigError && /stat .*nope\.yaml: no such file or directory/.test(e.message));
  const bad = write('bad.yaml', 'clusters: [\n  - name: x\n  cluster: {');
  assert.throws(() => loadKubeconfig({ explicitPath: bad }), new RegExp(`error loading config file "${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
  const wrongKind = write('kind.yaml', { kind: 'Pod' });
  assert.throws(() => loadKubeconfig({ explicitPath: wrongKind }), /is not "Config"/);
  const noName = write('noname.yaml', { clusters: [{ cluster: {} }] });
  assert.throws(() => loadKubeconfig({ explicitPath: noName }), /clusters\[0\] has no name/);
  const { config } = loadKubeconfig({ explicitPath: fileB });
  assert.throws(() => resolveRestConfig(config, { context: 'nope' }), /context was not found for specified context: nope/);
  assert.throws(() => resolveRestConfig(config, { cluster: 'nope' }), /cluster "nope" does not exist/);
  assert.throws(() => resolveRestConfig(config, { user: 'nope' }), /user "nope" does not exist/);
  const both = parseKubeconfig(stringify({
    'current-context': 'x', clusters: [{ name: 'c', cluster: { server: 'https://h', 'insecure-skip-tls-verify': true, 'certificate-authority-data': 'Q0E=' } }],
    contexts: [{ name: 'x', context: { cluster: 'c' } }],
  }), join(dir, 'both.yaml'));
  assert.throws(() => resolveRestConfig(both), /root certificates file with the insecure flag is not allowed/);
  const missingCa = parseKubeconfig(stringify({
    'current-context': 'x', clusters: [{ name: 'c', cluster: { server: 'https://h', 'certificate-authority': '/nonexistent/ca.crt' } }],
    contexts: [{ name: 'x', context: { cluster: 'c' } }],
  }), join(dir, 'missing-ca.yaml'));
  assert.throws(() => resolveRestConfig(missingCa), /unable to read certificate-authority \/nonexistent\/ca.crt for cluster "c"/);
  const halfCert = parseKubeconfig(stringify({
    'current-context': 'x', clusters: [{ name: 'c', cluster: { server: 'https://h' } }], users: [{ name: 'u', user: { 'client-certificate-data': 'Q0U=' } }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
  }), join(dir, 'half.yaml'));
  assert.throws(() => resolveRestConfig(halfCert), /client-cert-data and client-key-data must both be specified/);
  const noServer = parseKubeconfig(stringify({ 'current-context': 'x', clusters: [{ name: 'c', cluster: {} }], contexts: [{ name: 'x', context: { cluster: 'c' } }] }), join(dir, 'ns.yaml'));
  assert.throws(() => resolveRestConfig(noServer), /no server found for cluster "c"/);
});
