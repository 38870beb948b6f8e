import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calculatePriority, factory, MAX_CONTAINER_THRESHOLD, MIN_THRESHOLD, normalizedImageName } from './image-locality.js';
import { SchedulerCache } from '../../cache/cache.js';
import { instantiate, scoreAll } from '../../testing/plugin-harness.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import { ManualClock } from '../../util/clock.js';

const MB = 1024 * 1024;

test('normalizedImageName adds :latest only when there is no tag', () => {
  assert.equal(normalizedImageName('nginx'), 'nginx:latest');
  assert.equal(normalizedImageName('nginx:1.25'), 'nginx:1.25');
  assert.equal(normalizedImageName('localhost:5000/app'), 'localhost:5000/app:latest');
  assert.equal(normalizedImageName('repo/app@sha256:abc'), 'repo/app@sha256:abc');
});

test('calculatePriority maps [23 MB, 1000 MB × containers] to [0, 100]', () => {
  assert.equal(calculatePriority(0, 1), 0);
  assert.equal(calculatePriority(MIN_THRESHOLD, 1), 0);
  assert.equal(calculatePriority(MAX_CONTAINER_THRESHOLD, 1), 100);
  assert.equal(calculatePriority(5000 * MB, 1), 100);
  assert.equal(calculatePriority(Math.round((MIN_THRESHOLD + MAX_CONTAINER_THRESHOLD) / 2), 1), 50);
});

test('ImageLocality scores nodes holding the images, scaled by spread', () => {
  // Image states are kept by the cache (shared summaries with node counts).
  const cache = new SchedulerCache(new ManualClock());
  cache.addNode(makeNode('has-big').image('big:1', 500 * MB).obj());
  cache.addNode(makeNode('has-both').image('big:1', 500 * MB).image('small:1', 30 * MB).obj());
  cache.addNode(makeNode('empty').obj());
  cache.addNode(makeNode('also-empty').obj());
  const nodes = [...cache.list()];
  const p = instantiate(factory, nodes);
  const got = scoreAll(p, makePod('p').container('big:1').info(), nodes) as Record<string, number>;
  // big:1 on 2 of 4 nodes: 250 MB effective → 100 × (250 − 23) / (1000 − 23) = 23.
  assert.deepEqual(got, { 'has-big': 23, 'has-both': 23, empty: 0, 'also-empty': 0 });
  // Images absent everywhere (or too small to count): skipped.
  assert.equal(scoreAll(p, makePod('q').container('nginx').info(), nodes), 'skip');
});
