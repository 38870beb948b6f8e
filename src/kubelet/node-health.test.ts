import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { FakeRuntime } from './cri/fake.js';
import { measureNodeHealth } from './node-health.js';

test('node health: this machine is not under pressure; a runtime that fails its Status call makes the node NotReady', async () => {
  const fake = new FakeRuntime();
  const ok = await measureNodeHealth(fake, tmpdir());
  assert.equal(ok.notReadyReason, '');
  assert.equal(ok.pidPressure, false);
  fake.failNext('Status');
  const down = await measureNodeHealth(fake, tmpdir());
  assert.equal(down.notReadyReason, 'container runtime is down');
});
