import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { containerdPaths, renderCniConfig, renderContainerdConfig, renderRegistryHosts } from './config.js';
import { hasCapability } from './supervisor.js';

const run = promisify(execFile);

test('paths all live under <dataDir>/agent, the socket at agent/containerd/containerd.sock', () => {
  const p = containerdPaths('/var/lib/k8ts');
  assert.equal(p.socket, '/var/lib/k8ts/agent/containerd/containerd.sock');
  for (const v of Object.values(p)) assert.ok(v.startsWith('/var/lib/k8ts/agent/'), v);
});

test('containerd itself reads our config.toml back with the intended settings', async (t) => {
  const which = await run('sh', ['-c', 'command -v containerd']).catch(() => undefined);
  if (!which) return t.skip('containerd is not installed');
  const dir = await mkdtemp(path.join(tmpdir(), 'k8ts-config-'));
  try {
    const paths = containerdPaths(dir);
    const file = path.join(dir, 'config.toml');
    await writeFile(file, renderContainerdConfig({ paths, sandboxImage: 'registry.k8s.io/pause:3.10', cniBinDir: '/usr/lib/cni', restrictOomScoreAdj: true }));
    const { stdout } = await run('containerd', ['--config', file, 'config', 'dump']);
    const want = [
      `root = "${paths.root}"`,
      `state = "${paths.state}"`,
      `address = "${paths.socket}"`,
      'sandbox_image = "registry.k8s.io/pause:3.10"',
      'snapshotter = "overlayfs"',
      'SystemdCgroup = false',
      'restrict_oom_score_adj = true',
      'bin_dir = "/usr/lib/cni"',
      `conf_dir = "${paths.cniConfDir}"`,
      `config_path = "${paths.certsDir}"`,
      `Root = "${path.join(paths.state, 'runc')}"`,
    ];
    for (const line of want) assert.ok(stdout.includes(line), `config dump lacks ${line}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('registry mirrors become hosts.toml files; docker.io falls back to registry-1.docker.io', () => {
  const files = renderRegistryHosts({
    mirrors: { 'docker.io': { endpoint: ['http://127.0.0.1:5000/', 'https://mirror.example.com'] }, 'quay.io': { endpoint: ['https://q.example'] } },
    configs: { '127.0.0.1:5000': { tls: { insecure_skip_verify: true } } },
  });
  assert.deepEqual([...files.keys()].sort(), ['127.0.0.1:5000/hosts.toml', 'docker.io/hosts.toml', 'quay.io/hosts.toml']);
  // The mirror's own settings also apply when it is pulled from directly; loopback registries speak HTTP.
  assert.match(files.get('127.0.0.1:5000/hosts.toml')!, /^server = "http:\/\/127\.0\.0\.1:5000"$/m);
  const docker = files.get('docker.io/hosts.toml')!;
  assert.match(docker, /^server = "https:\/\/registry-1\.docker\.io"$/m);
  assert.match(docker, /\[host\."http:\/\/127\.0\.0\.1:5000"\]\n {2}capabilities = \["pull", "resolve"\]\n {2}skip_verify = true/);
  assert.match(docker, /\[host\."https:\/\/mirror\.example\.com"\]\n {2}capabilities = \["pull", "resolve"\]\n$/);
  assert.ok(docker.indexOf('127.0.0.1') < docker.indexOf('mirror.example.com'), 'mirrors keep their order');
  assert.match(files.get('quay.io/hosts.toml')!, /^server = "https:\/\/quay\.io"$/m);
  assert.equal(renderRegistryHosts({}).size, 0);
});

test('TLS settings of a registry without mirrors give it its own hosts.toml', () => {
  const files = renderRegistryHosts({
    configs: {
      'reg.example:5443': { tls: { ca_file: '/ca.pem', cert_file: '/c.pem', key_file: '/k.pem' } },
      'auth-only.example': { auth: { username: 'u', password: 'p' } },
    },
  });
  assert.deepEqual([...files.keys()], ['reg.example:5443/hosts.toml']);
  assert.equal(
    files.get('reg.example:5443/hosts.toml'),
    [
      '# Written by k8ts from the registries config.',
      'server = "https://reg.example:5443"',
      '',
      '[host."https://reg.example:5443"]',
      '  capabilities = ["pull", "resolve", "push"]',
      '  ca = "/ca.pem"',
      '  client = [["/c.pem", "/k.pem"]]',
      '',
    ].join('\n'),
  );
});

test('the CNI network: bridge with host-local IPAM on the pod CIDR, then portmap', () => {
  const conf = JSON.parse(renderCniConfig({ podCidr: '10.42.3.0/24', bridge: 'k8ts0', ipamDataDir: '/d/cni' }));
  assert.equal(conf.name, 'k8ts');
  assert.deepEqual(conf.plugins.map((p: { type: string }) => p.type), ['bridge', 'portmap']);
  const bridge = conf.plugins[0];
  assert.equal(bridge.bridge, 'k8ts0');
  assert.equal(bridge.isGateway, true);
  assert.deepEqual(bridge.ipam, { type: 'host-local', ranges: [[{ subnet: '10.42.3.0/24' }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: '/d/cni' });
  assert.deepEqual(conf.plugins[1].capabilities, { portMappings: true });
});

test('hasCapability reads the effective set', async () => {
  // CAP_CHOWN (0) is held by root; a bit beyond the last capability never is.
  assert.equal(await hasCapability(0), process.getuid?.() === 0);
  assert.equal(await hasCapability(63), false);
});
