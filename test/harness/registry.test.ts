import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createSealedNetns } from './netns.js';
import { ensureImages, startRegistry } from './registry.js';

test('ensureImages builds busybox, nginx and pause as OCI layouts, and a second call reuses them', async () => {
  const first = await ensureImages();
  assert.deepEqual(first.map((i) => i.name), ['busybox', 'nginx', 'pause']);
  for (const img of first) assert.ok(existsSync(`${img.layout}/index.json`), img.layout);
  assert.deepEqual(first.find((i) => i.name === 'pause')!.tags, ['3.10', 'latest']);
  const again = await ensureImages(['nginx']);
  assert.deepEqual(again, [first[1]]);
});

test('a registry inside a sealed netns serves library/nginx, and stop removes it', async () => {
  const ns = await createSealedNetns();
  try {
    const reg = await startRegistry({ netns: ns });
    assert.equal(reg.address, '127.0.0.1:5000');
    assert.ok(reg.references.includes('library/nginx:latest'));
    assert.ok(reg.references.includes('library/pause:3.10'));
    assert.ok(reg.references.includes('pause:3.10'), 'pause is not served as registry.k8s.io would');
    const tags = await ns.run('curl', ['-sf', `http://${reg.address}/v2/library/nginx/tags/list`]);
    assert.deepEqual(JSON.parse(tags.stdout).tags.sort(), ['1.22', 'latest']);
    const manifest = await ns.run('curl', ['-sf', '-H', 'Accept: application/vnd.oci.image.manifest.v1+json',
      `http://${reg.address}/v2/library/busybox/manifests/latest`]);
    assert.equal(JSON.parse(manifest.stdout).layers.length, 1);
    await reg.stop();
    const after = await ns.run('curl', ['-s', '--max-time', '1', `http://${reg.address}/v2/`]);
    assert.notEqual(after.code, 0);
  } finally {
    await ns.destroy();
  }
});
