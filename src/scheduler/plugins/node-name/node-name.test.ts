import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factory } from './node-name.js';
import { filterAll, instantiate } from '../../testing/plugin-harness.js';
import { makeNode, makePod } from '../../testing/wrappers.js';

test('NodeName: only the named node fits; no name fits everywhere', () => {
  const nodes = [makeNode('a').info(), makeNode('b').info()];
  const p = instantiate(factory, nodes);
  assert.deepEqual(filterAll(p, makePod('x').node('b').info(), nodes), { a: "node(s) didn't match the requested node name", b: 'ok' });
  assert.deepEqual(filterAll(p, makePod('y').info(), nodes), { a: 'ok', b: 'ok' });
});
