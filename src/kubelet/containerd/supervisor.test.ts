import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ContainerdSupervisor } from './supervisor.js';

const exited = (child: ReturnType<typeof spawn>) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((r) => child.once('exit', () => r()));

test('a containerd left running with our config is stopped before a new start; other PIDs are left alone', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'k8ts-supervisor-'));
  const sup = new ContainerdSupervisor({ dataDir, stopGraceMs: 500 });
  await mkdir(sup.paths.dir, { recursive: true });
  const pidFile = path.join(sup.paths.dir, 'containerd.pid');
  // Stands in for an orphaned containerd: its command line names our config file.
  const stale = spawn('sh', ['-c', 'trap "" TERM; sleep 1000', 'containerd', '--config', sup.paths.config], { stdio: 'ignore' });
  const other = spawn('sleep', ['1000'], { stdio: 'ignore' });
  try {
    await writeFile(pidFile, `${other.pid}\n`);
    await sup.stopStale();
    assert.equal(other.exitCode, null, 'an unrelated process was killed');
    assert.ok(!existsSync(pidFile));

    await writeFile(pidFile, `${stale.pid}\n`);
    await sup.stopStale(); // ignores SIGTERM, so this takes SIGKILL after the grace period
    await exited(stale);
    assert.equal(stale.signalCode, 'SIGKILL');
    assert.ok(!existsSync(pidFile));
  } finally {
    stale.kill('SIGKILL');
    other.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('start fails clearly when containerd cannot start, and leaves no process', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'k8ts-supervisor-'));
  let spawned = 0;
  const sup = new ContainerdSupervisor({
    dataDir,
    containerdBin: 'false',
    readyTimeoutMs: 5000,
    spawn: (cmd, args, opts) => (spawned++, spawn(cmd, args, opts)),
  });
  try {
    await assert.rejects(sup.start(), /containerd exited \(1\) while starting/);
    assert.equal(sup.pid, undefined);
    // A failed first start is not retried behind the caller's back (the restart back-off starts at 1 s).
    await new Promise((r) => setTimeout(r, 1300));
    assert.equal(spawned, 1);
  } finally {
    await sup.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
