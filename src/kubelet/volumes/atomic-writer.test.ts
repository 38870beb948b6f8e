import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readlink, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writePayload } from './atomic-writer.js';

test('payload written through ..data, swapped atomically on change, unchanged payload is a no-op', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'k8ts-atomic-'));
  try {
    const f = (s: string, mode = 0o644) => ({ content: Buffer.from(s), mode });
    assert.equal(await writePayload(dir, new Map([['a', f('1')], ['sub/b', f('2', 0o600)]])), true);
    assert.equal(await readFile(path.join(dir, 'a'), 'utf8'), '1');
    assert.equal(await readFile(path.join(dir, 'sub', 'b'), 'utf8'), '2');
    assert.equal((await stat(path.join(dir, 'sub', 'b'))).mode & 0o777, 0o600);
    assert.equal(await readlink(path.join(dir, 'a')), '..data/a');
    const first = await readlink(path.join(dir, '..data'));
    assert.equal(await writePayload(dir, new Map([['a', f('1')], ['sub/b', f('2', 0o600)]])), false);
    assert.equal(await writePayload(dir, new Map([['a', f('changed')]])), true);
    assert.equal(await readFile(path.join(dir, 'a'), 'utf8'), 'changed');
    assert.notEqual(await readlink(path.join(dir, '..data')), first);
    const entries = (await readdir(dir)).sort();
    assert.deepEqual(entries.filter((e) => !e.startsWith('..2')), ['..data', 'a']);
    assert.equal(entries.length, 3, `old payload folders left: ${entries}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
