import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { credentialsFor, loadRegistriesFile, validateRegistries } from './registries.js';

test('loads a k3s registries.yaml; a missing file means no settings', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'k8ts-registries-'));
  try {
    const file = path.join(dir, 'registries.yaml');
    await writeFile(
      file,
      [
        'mirrors:',
        '  docker.io:',
        '    endpoint:',
        '      - "http://127.0.0.1:5000"',
        'configs:',
        '  "reg.example:5443":',
        '    auth:',
        '      username: alice',
        '      password: secret',
        '    tls:',
        '      insecure_skip_verify: true',
        '',
      ].join('\n'),
    );
    assert.deepEqual(await loadRegistriesFile(file), {
      mirrors: { 'docker.io': { endpoint: ['http://127.0.0.1:5000'] } },
      configs: { 'reg.example:5443': { auth: { username: 'alice', password: 'secret' }, tls: { insecure_skip_verify: true } } },
    });
    assert.deepEqual(await loadRegistriesFile(path.join(dir, 'absent.yaml')), {});
    await writeFile(file, 'mirrors: [1, 2]\n');
    await assert.rejects(loadRegistriesFile(file), /registries config .*"mirrors" must be a mapping/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('rejects malformed settings with the offending key named', () => {
  assert.throws(() => validateRegistries({ mirrorz: {} }), /unknown key\(s\) mirrorz/);
  assert.throws(() => validateRegistries({ mirrors: { 'docker.io': { endpoint: ['ftp://x'] } } }), /must be http or https/);
  assert.throws(() => validateRegistries({ mirrors: { 'docker.io': { endpoint: 'http://x' } } }), /endpoint must be a list/);
  assert.throws(() => validateRegistries({ configs: { r: { tls: { cert_file: '/c' } } } }), /cert_file and key_file go together/);
  assert.throws(() => validateRegistries({ configs: { r: { tls: { insecure_skip_verify: 'yes' } } } }), /true or false/);
  assert.deepEqual(validateRegistries(null), {});
});

test('credentials are found by the image registry', () => {
  const reg = validateRegistries({
    configs: { 'reg.example:5443': { auth: { username: 'alice', password: 'secret' } }, 'docker.io': { auth: { auth: 'Ym9iOnB3' } } },
  });
  assert.deepEqual(credentialsFor(reg, 'reg.example:5443/team/app:1'), {
    username: 'alice',
    password: 'secret',
    auth: '',
    identityToken: '',
    serverAddress: 'reg.example:5443',
  });
  assert.equal(credentialsFor(reg, 'nginx')?.auth, 'Ym9iOnB3');
  assert.equal(credentialsFor(reg, 'quay.io/x/y'), undefined);
});
