import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SchedulerCache } from './cache.js';
import { PodInfo } from '../framework/pod-info.js';
import { makeNode, makePod } from '../testing/wrappers.js';
import { ManualClock } from '../util/clock.js';

function setup(ttlMs = 0) {
  const clock = new ManualClock();
  const cache = new SchedulerCache(clock, ttlMs);
  cache.addNode(makeNode('n1').obj());
  cache.addNode(makeNode('n2').obj());
  return { clock, cache };
}

test('assume then confirm: resources are counted once, on the confirmed node', () => {
  const { cache } = setup();
  const pod = makePod('p').req({ cpu: '1' }).obj();
  cache.assumePod(new PodInfo(pod).withNodeName('n1'));
  assert.equal(cache.get('n1')!.requested.milliCPU, 1000);
  assert.ok(cache.isAssumed(pod));
  // The API says it was bound to n1: confirmed, not doubled.
  cache.addPod({ ...pod, spec: { ...pod.spec!, nodeName: 'n1' } });
  assert.equal(cache.get('n1')!.requested.milliCPU, 1000);
  assert.equal(cache.get('n1')!.pods.length, 1);
  assert.ok(!cache.isAssumed(pod));
});

test('confirmation on another node moves the pod', () => {
  const { cache } = setup();
  const pod = makePod('p').req({ cpu: '1' }).obj();
  cache.assumePod(new PodInfo(pod).withNodeName('n1'));
  cache.addPod({ ...pod, spec: { ...pod.spec!, nodeName: 'n2' } });
  assert.equal(cache.get('n1')!.requested.milliCPU, 0);
  assert.equal(cache.get('n2')!.requested.milliCPU, 1000);
});

test('forget undoes an assumption; assuming twice is an error', () => {
  const { cache } = setup();
  const pod = makePod('p').req({ cpu: '1' }).hostPort(80).obj();
  const info = new PodInfo(pod).withNodeName('n1');
  cache.assumePod(info);
  assert.throws(() => cache.assumePod(info), /can't be assumed/);
  cache.forgetPod(pod);
  assert.equal(cache.get('n1')!.requested.milliCPU, 0);
  assert.equal(cache.get('n1')!.usedPorts.size, 0);
  assert.equal(cache.podCount(), 0);
});

test('assumed pods whose binding finished expire after the TTL if never confirmed', () => {
  const { clock, cache } = setup(30_000);
  const pod = makePod('p').req({ cpu: '1' }).obj();
  cache.assumePod(new PodInfo(pod).withNodeName('n1'));
  clock.advance(60_000);
  assert.equal(cache.cleanupAssumedPods(), 0, 'binding not finished: kept');
  cache.finishBinding(pod);
  clock.advance(29_000);
  assert.equal(cache.cleanupAssumedPods(), 0);
  clock.advance(1_000);
  assert.equal(cache.cleanupAssumedPods(), 1);
  assert.equal(cache.get('n1')!.requested.milliCPU, 0);
});

test('update and remove keep the aggregates incremental', () => {
  const { cache } = setup();
  const pod = makePod('p').node('n1').req({ cpu: '1', memory: '1Gi' }).obj();
  cache.addPod(pod);
  const bigger = { ...pod, spec: { ...pod.spec!, containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '2' } } }] } };
  cache.updatePod(pod, bigger);
  assert.equal(cache.get('n1')!.requested.milliCPU, 2000);
  assert.equal(cache.get('n1')!.requested.memory, 0);
  cache.removePod(bigger);
  assert.equal(cache.get('n1')!.requested.milliCPU, 0);
  assert.equal(cache.get('n1')!.pods.length, 0);
});

test('a pod may arrive before its node; a removed node is unlisted but its pods stay accounted', () => {
  const { cache } = setup();
  cache.addPod(makePod('early').node('n3').req({ cpu: '1' }).obj());
  assert.equal(cache.get('n3'), undefined, 'no node object yet');
  cache.addNode(makeNode('n3').obj());
  assert.equal(cache.get('n3')!.requested.milliCPU, 1000);
  assert.equal(cache.list().length, 3);
  cache.removeNode(makeNode('n3').obj());
  assert.equal(cache.list().length, 2);
  cache.addNode(makeNode('n3').obj());
  assert.equal(cache.get('n3')!.pods.length, 1);
});

test('image states count the nodes holding each image', () => {
  const { cache } = setup();
  cache.addNode(makeNode('n1').image('nginx:1', 100).obj());
  cache.addNode(makeNode('n2').image('nginx:1', 100).obj());
  assert.equal(cache.imageState('nginx:1')!.numNodes, 2);
  cache.removeNode(makeNode('n2').obj());
  assert.equal(cache.imageState('nginx:1')!.numNodes, 1);
  assert.equal(cache.get('n1')!.imageStates.get('nginx:1')!.numNodes, 1);
});

test('lists of nodes with affinity pods follow pod changes', () => {
  const { cache } = setup();
  assert.equal(cache.havePodsWithRequiredAntiAffinityList().length, 0);
  const pod = makePod('a').node('n2').podAffinity('anti', 'kubernetes.io/hostname', { app: 'x' }).obj();
  cache.addPod(pod);
  assert.deepEqual(cache.havePodsWithRequiredAntiAffinityList().map((n) => n.name), ['n2']);
  assert.deepEqual(cache.havePodsWithAffinityList().map((n) => n.name), ['n2']);
  cache.removePod(pod);
  assert.equal(cache.havePodsWithAffinityList().length, 0);
});
