import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { hostNodeDescription, prettyName } from './host.js';

test('PRETTY_NAME is read with or without quotes', () => {
  assert.equal(prettyName('NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n'), 'Debian GNU/Linux 12 (bookworm)');
  assert.equal(prettyName('PRETTY_NAME=Alpine\n'), 'Alpine');
  assert.equal(prettyName(''), 'Linux');
});

test('a real node describes this machine: capacity, allocatable below it, system info, addresses', () => {
  const d = hostNodeDescription({ name: 'host-a', nodeIp: '10.0.0.5', dataDir: tmpdir(), containerRuntimeVersion: 'containerd://1.6.20', labels: {}, taints: [] });
  assert.match(d.capacity.cpu!, /^[1-9]\d*$/);
  assert.match(d.capacity.memory!, /^\d+Ki$/);
  assert.match(d.capacity['ephemeral-storage']!, /^\d+Ki$/);
  assert.equal(d.capacity.pods, '110');
  assert.ok(parseInt(d.allocatable.memory!) < parseInt(d.capacity.memory!));
  assert.ok(Number(d.allocatable['ephemeral-storage']) < parseInt(d.capacity['ephemeral-storage']!) * 1024);
  assert.equal(d.nodeInfo.kubeletVersion, 'v1.32.0+k8ts');
  assert.equal(d.nodeInfo.containerRuntimeVersion, 'containerd://1.6.20');
  assert.equal(d.nodeInfo.operatingSystem, 'linux');
  assert.ok(d.nodeInfo.osImage.length > 0 && d.nodeInfo.kernelVersion.length > 0);
  assert.deepEqual(d.addresses, [{ type: 'InternalIP', address: '10.0.0.5' }, { type: 'Hostname', address: 'host-a' }]);
});
