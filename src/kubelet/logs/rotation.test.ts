import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FakeRuntime } from '../cri/fake.js';
import { MANAGED_LABEL } from '../pods/labels.js';
import { rotateLogs } from './rotation.js';

test('a log over the limit is renamed, the runtime reopens it, old rotations beyond maxFiles are removed', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'k8ts-rotate-'));
  try {
    const fake = new FakeRuntime();
    fake.addImage('docker.io/library/busybox:latest');
    const sb = { metadata: { name: 'p', uid: 'u', namespace: 'default' }, logDirectory: dir };
    const sbId = await fake.runPodSandbox(sb);
    const id = await fake.createContainer(sbId, { metadata: { name: 'c' }, image: { image: 'busybox' }, logPath: 'c/0.log', labels: { [MANAGED_LABEL]: 'true' } }, sb);
    await fake.startContainer(id);
    const file = (await fake.containerStatus(id)).status.logPath;
    assert.equal(file, path.join(dir, 'c', '0.log'));
    await mkdir(path.dirname(file), { recursive: true });
    for (const old of ['20240101-000000', '20240102-000000']) await writeFile(`${file}.${old}`, 'old');
    await writeFile(file, 'x'.repeat(100));
    const rotated = await rotateLogs(fake, { maxBytes: 50, maxFiles: 3, now: () => new Date('2026-01-01T00:00:00Z') });
    assert.deepEqual(rotated, [`${file}.20260101-000000`]);
    assert.ok(fake.calls.some((c) => c.method === 'ReopenContainerLog' && c.arg === id));
    assert.deepEqual((await readdir(path.dirname(file))).sort(), ['0.log.20240102-000000', '0.log.20260101-000000']);
    assert.deepEqual(await rotateLogs(fake, { maxBytes: 50 }), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
