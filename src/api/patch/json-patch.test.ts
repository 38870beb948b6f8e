import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, isBadRequest, isInvalid } from '../errors.js';
import { applyJsonPatch } from './json-patch.js';

function rejected(doc: unknown, ops: unknown, reason?: RegExp): void {
  assert.throws(() => applyJsonPatch(doc, ops), (e: unknown) => {
    assert.ok(isInvalid(e), `expected Invalid, got ${String(e)}`);
    assert.equal((e as ApiError).code, 422);
    assert.equal((e as Error).message, 'the server rejected our request due to an error in our request');
    if (reason) assert.match(String(((e as Error).cause as Error).message), reason);
    return true;
  });
}

test('RFC 6902 appendix A examples', () => {
  const cases: [unknown, unknown[], unknown][] = [
    [{ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }], { baz: 'qux', foo: 'bar' }],
    [{ foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }], { foo: ['bar', 'qux', 'baz'] }],
    [{ baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
    [{ foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }], { foo: ['bar', 'baz'] }],
    [{ baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }], { baz: 'boo', foo: 'bar' }],
    [{ foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } }, [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
      { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } }],
    [{ foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }], { foo: ['all', 'cows', 'eat', 'grass'] }],
    [{ baz: 'qux', foo: ['a', 2, 'c'] }, [{ op: 'test', path: '/baz', value: 'qux' }, { op: 'test', path: '/foo/1', value: 2 }], { baz: 'qux', foo: ['a', 2, 'c'] }],
    [{ foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }], { foo: 'bar', child: { grandchild: {} } }],
    [{ foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }], { foo: ['bar', ['abc', 'def']] }],
    [{ '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }], { '/': 9, '~1': 10 }],
    [{ '/': 9 }, [{ op: 'replace', path: '/~1', value: 1 }], { '/': 1 }],
    [{ a: 1 }, [{ op: 'copy', from: '/a', path: '/b' }], { a: 1, b: 1 }],
    [{ a: { x: [1] } }, [{ op: 'copy', from: '/a', path: '/b' }, { op: 'add', path: '/b/x/-', value: 2 }], { a: { x: [1] }, b: { x: [1, 2] } }],
    [{ a: 1 }, [{ op: 'test', path: '', value: { a: 1 } }], { a: 1 }],
    [{ a: [1, 2, 3] }, [{ op: 'remove', path: '/a/-1' }], { a: [1, 2] }],
    [{ a: [1, 2, 3] }, [{ op: 'add', path: '/a/3', value: 4 }], { a: [1, 2, 3, 4] }],
    [{ a: [1, 2, 3] }, [{ op: 'replace', path: '/a/0', value: 0 }], { a: [0, 2, 3] }],
    [{ a: 1 }, [{ op: 'test', path: '/missing', value: null }], { a: 1 }],
    [{ a: 1 }, [{ op: 'move', from: '/a', path: '/a' }], { a: 1 }],
    [{ a: { b: 1 } }, [{ op: 'test', path: '/a', value: { b: 1 } }], { a: { b: 1 } }],
    [{ metadata: { labels: { a: 'b' } } }, [{ op: 'add', path: '/metadata/labels/c', value: 'd' }], { metadata: { labels: { a: 'b', c: 'd' } } }],
    [{ x: 1 }, [], { x: 1 }],
  ];
  for (const [doc, ops, want] of cases) {
    const before = JSON.stringify(doc);
    assert.deepEqual(applyJsonPatch(doc, ops), want, JSON.stringify(ops));
    assert.equal(JSON.stringify(doc), before, 'input not mutated');
  }
});

test('failures are 422 with upstream message, nothing applied', () => {
  rejected({ foo: 'bar' }, [{ op: 'test', path: '/foo', value: 'baz' }], /testing value \/foo failed/);
  rejected({ foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }], /doc is missing path/);
  rejected({ foo: 'bar' }, [{ op: 'remove', path: '/nope' }], /doc is missing key/);
  rejected({ foo: 'bar' }, [{ op: 'replace', path: '/nope', value: 1 }], /doc is missing key/);
  rejected({ a: [1] }, [{ op: 'add', path: '/a/5', value: 1 }], /invalid index/);
  rejected({ a: [1] }, [{ op: 'remove', path: '/a/1' }], /invalid index/);
  rejected({ a: [1] }, [{ op: 'remove', path: '/a/x' }], /invalid index/);
  rejected({ a: [1] }, [{ op: 'add', path: '/a/-3', value: 1 }], /invalid index/);
  rejected({ a: 1 }, [{ op: 'move', from: '/b', path: '/c' }], /missing from path/);
  rejected({ a: { b: 1 } }, [{ op: 'move', from: '/a', path: '/a/b/c' }], /own child/);
  rejected({ a: 1 }, [{ op: 'copy', from: '/b', path: '/c' }], /missing from path/);
  rejected({ a: 1 }, [{ op: 'frobnicate', path: '/a' }], /Unexpected kind/);
  rejected({ a: 1 }, [{ op: 'add', value: 1 }], /missing path/);
  rejected({ a: 1 }, [{ op: 'add', path: 'a', value: 1 }], /invalid path/);
  rejected({ a: 1 }, [{ op: 'add', path: '/b' }], /missing value/);
  // the document itself is not a target (as upstream's library)
  rejected({ a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }], /missing path/);
  rejected({ a: 1 }, [{ op: 'add', path: '', value: [1] }], /missing path/);
  rejected({ a: 1 }, [{ op: 'remove', path: '' }], /missing path/);
  rejected({ a: 1 }, [{ op: 'test', path: '', value: { a: 2 } }], /failed/);
  rejected({ a: 'x' }, [{ op: 'add', path: '/a/b', value: 1 }], /missing path/);
  // atomic: a later failure leaves the input as it was
  const doc = { a: 1 };
  rejected(doc, [{ op: 'replace', path: '/a', value: 2 }, { op: 'test', path: '/a', value: 3 }]);
  assert.deepEqual(doc, { a: 1 });
});

test('copy growth is bounded', () => {
  const ops = [{ op: 'add', path: '/a', value: 'x'.repeat(1024 * 1024) }];
  for (let i = 0; i < 5; i++) ops.push({ op: 'copy', from: '/a', path: `/b${i}` } as never);
  rejected({}, ops, /accumulated size increase/);
});

test('bad bodies are 400, too many operations 413', () => {
  for (const body of [{}, 'x', 1, null]) {
    assert.throws(() => applyJsonPatch({}, body), (e: unknown) => isBadRequest(e) && /cannot unmarshal .* into Go value of type jsonpatch.Patch/.test((e as Error).message));
  }
  assert.throws(() => applyJsonPatch({}, ['x']), (e: unknown) => isBadRequest(e) && (e as Error).message === 'json: cannot unmarshal string into Go value of type jsonpatch.Operation');
  const many = Array.from({ length: 10001 }, () => ({ op: 'test', path: '', value: {} }));
  assert.throws(() => applyJsonPatch({}, many), (e: unknown) => (e as ApiError).code === 413 && (e as Error).message === 'The allowed maximum operations in a JSON patch is 10000, got 10001');
  assert.deepEqual(applyJsonPatch({}, many.slice(0, 10000)), {});
});
