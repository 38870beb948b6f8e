import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/types.js';
import type { ContainerStatus } from '../cri/types.js';
import { computePodStatus, qosClass, type Waiting } from './pod-status.js';

const NS = (ms: number) => String(BigInt(ms) * 1_000_000n);

function cri(name: string, state: ContainerStatus['state'], opts: { exitCode?: number; restart?: number; reason?: string } = {}): ContainerStatus {
  return {
    id: `${name}-${opts.restart ?? 0}`, metadata: { name }, state, createdAt: NS(1000), startedAt: NS(2000), finishedAt: state === 'CONTAINER_EXITED' ? NS(3000) : '0',
    exitCode: opts.exitCode ?? 0, image: { image: 'docker.io/library/busybox:latest' }, imageRef: 'sha256:abc', reason: opts.reason ?? '', message: '',
    labels: {}, annotations: { 'io.kubernetes.container.restartCount': String(opts.restart ?? 0) }, mounts: [], logPath: '', resources: null,
  };
}

function pod(restartPolicy: string, containers: string[], init: string[] = []): Pod {
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'u' },
    spec: { restartPolicy, containers: containers.map((name) => ({ name, image: 'busybox' })), ...(init.length ? { initContainers: init.map((name) => ({ name, image: 'busybox' })) } : {}) },
  } as Pod;
}

function status(p: Pod, containers: Record<string, ContainerStatus[]>, waiting: Record<string, Waiting> = {}) {
  return computePodStatus({
    pod: p, hostIP: '10.0.0.1', podIP: '10.42.0.5', sandboxReady: true,
    containers: new Map(Object.entries(containers)), waiting: new Map(Object.entries(waiting)),
    ready: () => true, started: () => true, now: '2026-01-01T00:00:00Z', startTime: '2026-01-01T00:00:00Z',
  });
}

test('phase table: pending, running, succeeded, failed, restarting', () => {
  assert.equal(status(pod('Always', ['a']), {}).phase, 'Pending');
  assert.equal(status(pod('Always', ['a']), { a: [cri('a', 'CONTAINER_RUNNING')] }).phase, 'Running');
  assert.equal(status(pod('Never', ['a']), { a: [cri('a', 'CONTAINER_EXITED')] }).phase, 'Succeeded');
  assert.equal(status(pod('Never', ['a']), { a: [cri('a', 'CONTAINER_EXITED', { exitCode: 1 })] }).phase, 'Failed');
  assert.equal(status(pod('OnFailure', ['a']), { a: [cri('a', 'CONTAINER_EXITED', { exitCode: 1 })] }).phase, 'Running');
  assert.equal(status(pod('Always', ['a']), { a: [cri('a', 'CONTAINER_EXITED')] }).phase, 'Running');
  assert.equal(status(pod('Never', ['a'], ['i']), { i: [cri('i', 'CONTAINER_EXITED', { exitCode: 2 })] }).phase, 'Failed');
  assert.equal(status(pod('Always', ['a'], ['i']), { i: [cri('i', 'CONTAINER_RUNNING')] }).phase, 'Pending');
});

test('a crash-looping container waits with CrashLoopBackOff and reports its last exit; OOMKilled is kept', () => {
  const s = status(pod('Always', ['a']), { a: [cri('a', 'CONTAINER_EXITED', { exitCode: 137, restart: 2, reason: 'OOMKilled' }), cri('a', 'CONTAINER_EXITED', { restart: 1 })] },
    { a: { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=a' } });
  const cs = s.containerStatuses![0]!;
  assert.equal(cs.state?.waiting?.reason, 'CrashLoopBackOff');
  assert.equal(cs.lastState?.terminated?.reason, 'OOMKilled');
  assert.equal(cs.lastState?.terminated?.exitCode, 137);
  assert.equal(cs.restartCount, 2);
  assert.equal(cs.containerID, 'containerd://a-2');
  assert.equal(s.conditions!.find((c) => c.type === 'Ready')!.status, 'False');
});

test('conditions of a running pod, and of an uninitialized one', () => {
  const s = status(pod('Always', ['a']), { a: [cri('a', 'CONTAINER_RUNNING')] });
  assert.deepEqual(Object.fromEntries(s.conditions!.map((c) => [c.type, c.status])),
    { PodReadyToStartContainers: 'True', Initialized: 'True', Ready: 'True', ContainersReady: 'True', PodScheduled: 'True' });
  assert.equal(s.podIP, '10.42.0.5');
  const init = status(pod('Always', ['a'], ['i']), {});
  const ini = init.conditions!.find((c) => c.type === 'Initialized')!;
  assert.equal(ini.status, 'False');
  assert.equal(ini.message, 'containers with incomplete status: [i]');
  assert.equal(init.containerStatuses![0]!.state?.waiting?.reason, 'PodInitializing');
});

test('QoS class', () => {
  const p = pod('Always', ['a']);
  assert.equal(qosClass(p), 'BestEffort');
  p.spec!.containers[0]!.resources = { limits: { cpu: '1', memory: '1Gi' } };
  assert.equal(qosClass(p), 'Guaranteed');
  p.spec!.containers[0]!.resources = { requests: { cpu: '100m' } };
  assert.equal(qosClass(p), 'Burstable');
});
