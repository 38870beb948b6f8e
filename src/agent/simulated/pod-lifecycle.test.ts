import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/types.js';
import { nextAction, runningStatus, succeededStatus } from './pod-lifecycle.js';

const T0 = Date.UTC(2026, 0, 1);
const pod = (over: Partial<Pod> = {}): Pod => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u1' },
  spec: { nodeName: 'n', containers: [{ name: 'app', image: 'nginx' }], ...over.spec },
  status: { phase: 'Pending', ...over.status },
  ...(over.metadata ? { metadata: { name: 'p', namespace: 'default', uid: 'u1', ...over.metadata } } : {}),
});
const running = (restartPolicy: string, startedAt: string): Pod => pod({
  spec: { containers: [{ name: 'app', image: 'nginx' }], restartPolicy },
  status: { phase: 'Running', containerStatuses: [{ name: 'app', image: 'nginx', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt } } }] },
});

test('the decision table', () => {
  assert.deepEqual(nextAction(pod(), T0, 5), { kind: 'run' });
  assert.deepEqual(nextAction(pod({ status: {} }), T0, 5), { kind: 'run' });
  assert.deepEqual(nextAction(pod({ metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' } }), T0, 5), { kind: 'delete' });
  assert.deepEqual(nextAction(pod({ status: { phase: 'Succeeded' } }), T0, 5), { kind: 'none' });
  assert.deepEqual(nextAction(pod({ status: { phase: 'Failed' } }), T0, 5), { kind: 'none' });
  assert.deepEqual(nextAction(running('Always', '2026-01-01T00:00:00Z'), T0 + 3_600_000, 5), { kind: 'none' });
  assert.deepEqual(nextAction(running('Never', '2026-01-01T00:00:00Z'), T0 + 2000, 5), { kind: 'wait', ms: 3000 });
  assert.deepEqual(nextAction(running('OnFailure', '2026-01-01T00:00:00Z'), T0 + 5000, 5), { kind: 'succeed' });
});

test('running status: phase, all five conditions, container running and ready, IPs, start time', () => {
  const p = pod({ status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: 'earlier' }] } });
  const s = runningStatus(p, '127.1.0.1', '10.42.0.2', 'now');
  assert.equal(s.phase, 'Running');
  assert.deepEqual(s.conditions?.map((c) => `${c.type}=${c.status}`), ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
  assert.equal(s.conditions?.find((c) => c.type === 'PodScheduled')?.lastTransitionTime, 'earlier');
  assert.equal(s.hostIP, '127.1.0.1');
  assert.equal(s.podIP, '10.42.0.2');
  assert.deepEqual(s.podIPs, [{ ip: '10.42.0.2' }]);
  assert.equal(s.startTime, 'now');
  const c = s.containerStatuses![0]!;
  assert.equal(c.ready, true);
  assert.equal(c.restartCount, 0);
  assert.equal(c.image, 'nginx');
  assert.match(c.imageID, /^simulated:\/\//);
  assert.match(c.containerID!, /^simulated:\/\/[0-9a-f]{64}$/);
  assert.deepEqual(c.state, { running: { startedAt: 'now' } });
});

test('succeeded status: containers terminated with exit 0, reason Completed; Ready false with PodCompleted', () => {
  const p = running('Never', 'start');
  const s = succeededStatus(p, 'end');
  assert.equal(s.phase, 'Succeeded');
  assert.deepEqual(s.containerStatuses![0]!.state, { terminated: { exitCode: 0, reason: 'Completed', startedAt: 'start', finishedAt: 'end', containerID: s.containerStatuses![0]!.containerID } });
  const ready = s.conditions?.find((c) => c.type === 'Ready');
  assert.equal(ready?.status, 'False');
  assert.equal(ready?.reason, 'PodCompleted');
});
