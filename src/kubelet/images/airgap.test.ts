import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { importAirgapImages } from './airgap.js';

test('imports new and changed tarballs (plain and gzip) once, through ctr in the k8s.io namespace', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'k8ts-airgap-'));
  try {
    // A stand-in for ctr: records its arguments and what it read on stdin.
    const ctr = path.join(dir, 'fake-ctr');
    const seen = path.join(dir, 'seen.log');
    await writeFile(ctr, `#!/bin/sh\necho "$* <$(cat)>" >> '${seen}'\necho "unpacking image"\n`);
    await chmod(ctr, 0o755);
    const images = path.join(dir, 'images');
    execFileSync('mkdir', [images]);
    await writeFile(path.join(images, 'a.tar'), 'AAA');
    execFileSync('sh', ['-c', `printf BBB | gzip > '${path.join(images, 'b.tar.gz')}'`]);
    await writeFile(path.join(images, 'notes.txt'), 'not an image');
    const opts = { dir: images, socket: '/run/k8ts.sock', ctr };

    assert.deepEqual(await importAirgapImages(opts), ['a.tar', 'b.tar.gz']);
    const lines = (await readFile(seen, 'utf8')).trim().split('\n');
    assert.deepEqual(lines, [
      '--address /run/k8ts.sock --namespace k8s.io images import --digests --snapshotter overlayfs - <AAA>',
      '--address /run/k8ts.sock --namespace k8s.io images import --digests --snapshotter overlayfs - <BBB>',
    ]);
    assert.deepEqual(await importAirgapImages(opts), []);
    await writeFile(path.join(images, 'a.tar'), 'AAAA');
    assert.deepEqual(await importAirgapImages(opts), ['a.tar']);
    assert.deepEqual(await importAirgapImages({ ...opts, dir: path.join(dir, 'absent') }), []);

    await writeFile(ctr, '#!/bin/sh\ncat >/dev/null; echo "ctr: bad tarball" >&2; exit 1\n');
    await writeFile(path.join(images, 'c.tar'), 'CCC');
    await assert.rejects(importAirgapImages(opts), /importing c\.tar failed: ctr: bad tarball/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
