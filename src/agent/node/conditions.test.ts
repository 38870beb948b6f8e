import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conditionsChanged, desiredConditions, HEALTHY, stampConditions } from './conditions.js';

test('a healthy node reports upstream reasons and messages, Ready last', () => {
  assert.deepEqual(desiredConditions(HEALTHY), [
    { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
    { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
    { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
    { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
  ]);
  const sick = desiredConditions({ memoryPressure: true, diskPressure: false, pidPressure: false, notReadyReason: 'container runtime is down' });
  assert.deepEqual(sick[0], { type: 'MemoryPressure', status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' });
  assert.deepEqual(sick[3], { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'container runtime is down' });
});

test('heartbeat time moves on every report, transition time only on a change; foreign conditions stay', () => {
  const first = stampConditions(undefined, desiredConditions(HEALTHY), 't1');
  assert.ok(first.every((c) => c.lastHeartbeatTime === 't1' && c.lastTransitionTime === 't1'));
  const foreign = { type: 'NetworkUnavailable', status: 'False', reason: 'RouteCreated' };
  const second = stampConditions([foreign, ...first], desiredConditions({ ...HEALTHY, notReadyReason: 'PLEG is not healthy' }), 't2');
  assert.deepEqual(second[0], foreign);
  const ready = second.find((c) => c.type === 'Ready')!;
  assert.equal(ready.lastTransitionTime, 't2');
  const mem = second.find((c) => c.type === 'MemoryPressure')!;
  assert.equal(mem.lastHeartbeatTime, 't2');
  assert.equal(mem.lastTransitionTime, 't1');
  assert.equal(conditionsChanged(first, desiredConditions(HEALTHY)), false);
  assert.equal(conditionsChanged(first, desiredConditions({ ...HEALTHY, diskPressure: true })), true);
  assert.equal(conditionsChanged(undefined, desiredConditions(HEALTHY)), true);
});
