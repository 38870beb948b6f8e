import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FitError, fitErrorMessage, newDiagnosis } from './fit-error.js';
import { Status } from './status.js';
import { makePod } from '../testing/wrappers.js';

test('FitError message: histogram of reasons, sorted as strings', () => {
  const d = newDiagnosis();
  d.nodeToStatus.set('a', Status.unresolvable('node(s) were unschedulable'));
  d.nodeToStatus.set('b', Status.unschedulable('Insufficient cpu'));
  d.nodeToStatus.set('c', Status.unschedulable('Insufficient cpu'));
  assert.equal(fitErrorMessage(3, d), '0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.');
  d.postFilterMsg = 'preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';
  assert.equal(new FitError(makePod('p').info(), 3, d).message, '0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..');
});

test('FitError message: every reason of a multi-reason status counts', () => {
  const d = newDiagnosis();
  d.nodeToStatus.set('a', Status.unschedulable('Insufficient cpu', 'Insufficient memory'));
  d.nodeToStatus.set('b', Status.unschedulable('Insufficient memory'));
  d.nodeToStatus.set('c', Status.unschedulable('Too many pods'));
  assert.equal(fitErrorMessage(3, d), '0/3 nodes are available: 1 Insufficient cpu, 1 Too many pods, 2 Insufficient memory.');
});

test('FitError message: a PreFilter rejection is printed once, not per node', () => {
  const d = newDiagnosis();
  d.preFilterMsg = 'persistentvolumeclaim "data" not found';
  d.nodeToStatus.set('a', Status.unresolvable('persistentvolumeclaim "data" not found'));
  assert.equal(fitErrorMessage(11, d), '0/11 nodes are available: persistentvolumeclaim "data" not found.');
});

test('FitError message: nodes excluded by a PreFilter result are counted', () => {
  const d = newDiagnosis();
  d.nodeToStatus.set('c', Status.unresolvable('node(s) had untolerated taint {a: b}'));
  d.absentStatus = { reasons: ["node(s) didn't satisfy plugin(s) [NodeAffinity]"], count: 2 };
  assert.equal(fitErrorMessage(3, d), "0/3 nodes are available: 1 node(s) had untolerated taint {a: b}, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].");
});
