import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/types.js';
import { podStatus } from './printers/pods.js';
import { humanDuration, printerFor } from './table.js';
import './printers/index.js';

test('ages print as upstream HumanDuration does', () => {
  const s = 1000;
  assert.equal(humanDuration(5 * s), '5s');
  assert.equal(humanDuration(119 * s), '119s');
  assert.equal(humanDuration(302 * s), '5m2s');
  assert.equal(humanDuration(600 * s), '10m');
  assert.equal(humanDuration(3 * 3600 * s + 5 * 60 * s), '3h5m');
  assert.equal(humanDuration(13 * 3600 * s), '13h');
  assert.equal(humanDuration(3 * 86400 * s), '3d');
  assert.equal(humanDuration(3 * 86400 * s + 4 * 3600 * s), '3d4h');
  assert.equal(humanDuration(40 * 86400 * s), '40d');
  assert.equal(humanDuration(-5 * s), '<invalid>');
});

const now = new Date('2026-01-01T00:10:00Z');
const pod = (p: Partial<Pod>): Pod => ({ metadata: { name: 'p', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { containers: [{ name: 'c' }] }, ...p });

test('pod STATUS reasons: waiting reasons, Completed, Terminating, init progress', () => {
  assert.equal(podStatus(pod({ status: { phase: 'Pending' } }), now).reason, 'Pending');
  const crash = podStatus(pod({ status: { phase: 'Running', containerStatuses: [{ name: 'c', image: '', imageID: '', ready: false, restartCount: 4,
    state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: '2026-01-01T00:08:00Z' } } }] } }), now);
  assert.deepEqual(crash, { reason: 'CrashLoopBackOff', ready: '0/1', restarts: '4 (2m ago)' });
  assert.equal(podStatus(pod({ status: { phase: 'Succeeded', containerStatuses: [{ name: 'c', image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] } }), now).reason, 'Completed');
  assert.equal(podStatus(pod({ metadata: { name: 'p', deletionTimestamp: '2026-01-01T00:09:00Z' }, status: { phase: 'Running' } }), now).reason, 'Terminating');
  const init = pod({ spec: { containers: [{ name: 'c' }], initContainers: [{ name: 'i' }] }, status: { phase: 'Pending', initContainerStatuses: [{ name: 'i', image: '', imageID: '', ready: false, restartCount: 0, state: { running: {} } }] } });
  assert.equal(podStatus(init, now).reason, 'Init:0/1');
  const running = pod({ status: { phase: 'Running', containerStatuses: [{ name: 'c', image: '', imageID: '', ready: true, restartCount: 0, state: { running: {} } }] } });
  assert.deepEqual(podStatus(running, now), { reason: 'Running', ready: '1/1', restarts: '0' });
});

test('every printer gives one cell per column', () => {
  for (const [g, k] of [['', 'Pod'], ['', 'Service'], ['', 'Node'], ['', 'Event'], ['apps', 'Deployment'], ['batch', 'Job'], ['batch', 'CronJob'], ['', 'Namespace']]) {
    const p = printerFor(g!, k!);
    assert.equal(p.cells({ metadata: { name: 'x' } }, now).length, p.columns.length, `${g}/${k}`);
  }
});
