import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factory } from './node-ports.js';
import { filterAll, instantiate } from '../../testing/plugin-harness.js';
import { makeNode, makePod } from '../../testing/wrappers.js';

const CONFLICT = "node(s) didn't have free ports for the requested pod ports";

test('NodePorts: a host port conflicts on same protocol and port when host IPs overlap', () => {
  const cases: { name: string; existing: [number, string, string]; wanted: [number, string, string]; ok: boolean }[] = [
    { name: 'same port, both any IP', existing: [80, 'TCP', ''], wanted: [80, 'TCP', ''], ok: false },
    { name: 'other port', existing: [80, 'TCP', ''], wanted: [81, 'TCP', ''], ok: true },
    { name: 'other protocol', existing: [53, 'TCP', ''], wanted: [53, 'UDP', ''], ok: true },
    { name: 'different specific IPs', existing: [80, 'TCP', '10.0.0.1'], wanted: [80, 'TCP', '10.0.0.2'], ok: true },
    { name: 'same specific IP', existing: [80, 'TCP', '10.0.0.1'], wanted: [80, 'TCP', '10.0.0.1'], ok: false },
    { name: 'wanted any IP vs existing specific', existing: [80, 'TCP', '10.0.0.1'], wanted: [80, 'TCP', '0.0.0.0'], ok: false },
    { name: 'wanted specific vs existing any', existing: [80, 'TCP', ''], wanted: [80, 'TCP', '10.0.0.1'], ok: false },
  ];
  for (const c of cases) {
    const ni = makeNode('n').info(makePod('old').hostPort(...c.existing).obj());
    const p = instantiate(factory, [ni]);
    assert.deepEqual(filterAll(p, makePod('new').hostPort(...c.wanted).info(), [ni]), { n: c.ok ? 'ok' : CONFLICT }, c.name);
  }
});

test('NodePorts: freed when the pod leaves the node', () => {
  const old = makePod('old').hostPort(8080).info();
  const ni = makeNode('n').info();
  ni.addPod(old);
  const p = instantiate(factory, [ni]);
  assert.deepEqual(filterAll(p, makePod('new').hostPort(8080).info(), [ni]), { n: CONFLICT });
  ni.removePod(old);
  assert.deepEqual(filterAll(p, makePod('new').hostPort(8080).info(), [ni]), { n: 'ok' });
});
