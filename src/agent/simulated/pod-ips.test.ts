import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PodIpAllocator } from './pod-ips.js';

test('IPs come from the CIDR past network and gateway, round robin, without duplicates', () => {
  const a = new PodIpAllocator('10.42.3.0/24');
  assert.equal(a.allocate('ns/a'), '10.42.3.2');
  assert.equal(a.allocate('ns/b'), '10.42.3.3');
  assert.equal(a.allocate('ns/a'), '10.42.3.2', 'a key keeps its IP');
  a.release('ns/a');
  assert.equal(a.allocate('ns/c'), '10.42.3.4', 'a freed IP is not reused at once');
  assert.equal(a.allocated, 2);
});

test('a full range answers undefined; reserve() keeps the IPs pods already have', () => {
  const a = new PodIpAllocator('192.168.7.8/30'); // .8 network, .9 gateway, .10 the one pod IP, .11 broadcast
  assert.equal(a.allocate('p1'), '192.168.7.10');
  assert.equal(a.allocate('p2'), undefined);
  const b = new PodIpAllocator('10.42.0.0/24');
  assert.equal(b.reserve('ns/old', '10.42.0.2'), true);
  assert.equal(b.reserve('ns/other', '10.42.0.2'), false, 'held by another pod');
  assert.equal(b.reserve('ns/x', '10.43.0.5'), false, 'outside the range');
  assert.equal(b.allocate('ns/new'), '10.42.0.3');
  assert.throws(() => new PodIpAllocator('10.42.0.0'), /invalid IPv4 pod CIDR/);
});
