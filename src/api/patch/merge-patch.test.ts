import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBadRequest } from '../errors.js';
import { applyMergePatch, createMergePatch, mergePatchValue } from './merge-patch.js';

test('RFC 7386 appendix A', () => {
  const cases: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, want] of cases) assert.deepEqual(mergePatchValue(target, patch), want, JSON.stringify(patch));
});

test('applyMergePatch: objects only, inputs untouched', () => {
  const doc = { metadata: { labels: { a: '1', b: '2' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
  const out = applyMergePatch(doc, { metadata: { labels: { a: null, c: '3' } }, spec: { containers: [{ name: 'd' }] } });
  assert.deepEqual(out, { metadata: { labels: { b: '2', c: '3' } }, spec: { containers: [{ name: 'd' }] } });
  assert.deepEqual(doc.metadata.labels, { a: '1', b: '2' });
  for (const bad of [[], 'x', 3, null]) assert.throws(() => applyMergePatch(doc, bad), isBadRequest);
});

test('createMergePatch round trips', () => {
  const pairs: [unknown, unknown][] = [
    [{ a: 1, b: { c: 2, d: 3 } }, { a: 1, b: { c: 4 } }],
    [{ a: [1, 2] }, { a: [2] }],
    [{}, { x: { y: 'z' } }],
    [{ x: { y: 'z' } }, {}],
    [{ a: 'same' }, { a: 'same' }],
  ];
  for (const [o, m] of pairs) assert.deepEqual(mergePatchValue(o, createMergePatch(o, m)), m);
  assert.deepEqual(createMergePatch({ a: 'same' }, { a: 'same' }), {});
  assert.deepEqual(createMergePatch({ a: 1, b: 2 }, { a: 1 }), { b: null });
});

test('three-way JSON merge patch (kubectl apply of custom resources)', async () => {
  const { createThreeWayJsonMergePatch } = await import('./merge-patch.js');
  const original = { spec: { a: 1, b: 2, list: [1, 2] }, metadata: { labels: { x: '1', y: '2' } } };
  const modified = { spec: { a: 1, c: 3, list: [2] }, metadata: { labels: { x: '1' } } };
  const current = { spec: { a: 5, b: 2, list: [1, 2], server: true }, metadata: { labels: { x: '1', y: '2', other: 'o' } }, status: { ok: true } };
  const patch = createThreeWayJsonMergePatch(original, modified, current);
  assert.deepEqual(patch, { spec: { a: 1, b: null, c: 3, list: [2] }, metadata: { labels: { y: null } } });
  assert.deepEqual(mergePatchValue(current, patch), { spec: { a: 1, c: 3, list: [2], server: true }, metadata: { labels: { x: '1', other: 'o' } }, status: { ok: true } });
  assert.deepEqual(createThreeWayJsonMergePatch(modified, modified, mergePatchValue(current, patch)), {});
  // first apply: no original, nothing deleted
  assert.deepEqual(createThreeWayJsonMergePatch(undefined, { spec: { a: 1 } }, { spec: { a: 2, b: 3 } }), { spec: { a: 1 } });
  // an empty object in the configuration is an addition
  assert.deepEqual(createThreeWayJsonMergePatch({}, { spec: { empty: {} } }, {}), { spec: { empty: {} } });
});
