import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLatestTag, normalizeImageReference, parseImageReference } from './reference.js';

test('normalises references as Docker does', () => {
  const cases: [string, string][] = [
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.22', 'docker.io/library/nginx:1.22'],
    ['user/app', 'docker.io/user/app:latest'],
    ['docker.io/library/busybox:latest', 'docker.io/library/busybox:latest'],
    ['registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.10'],
    ['127.0.0.1:5000/library/nginx', '127.0.0.1:5000/library/nginx:latest'],
    ['localhost/app:v1', 'localhost/app:v1'],
    [`nginx@sha256:${'a'.repeat(64)}`, `docker.io/library/nginx@sha256:${'a'.repeat(64)}`],
    [`nginx:1.22@sha256:${'b'.repeat(64)}`, `docker.io/library/nginx:1.22@sha256:${'b'.repeat(64)}`],
  ];
  for (const [input, want] of cases) assert.equal(normalizeImageReference(input), want, input);
});

test('rejects invalid references', () => {
  for (const bad of ['', 'Nginx', 'nginx:', 'nginx@sha256:xyz', 'a//b', 'nginx:bad tag']) {
    assert.throws(() => parseImageReference(bad), /invalid image reference/, bad);
  }
});

test('latest is implied when there is neither tag nor digest', () => {
  assert.equal(isLatestTag('nginx'), true);
  assert.equal(isLatestTag('nginx:latest'), true);
  assert.equal(isLatestTag('nginx:1.22'), false);
  assert.equal(isLatestTag(`nginx@sha256:${'c'.repeat(64)}`), false);
});
