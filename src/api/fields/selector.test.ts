import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBadRequest } from '../errors.js';
import { escapeValue, fieldSelectorFromSet, parseFieldSelector, unescapeValue } from './selector.js';

function err(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(isBadRequest(e));
    return (e as Error).message;
  }
  assert.fail('expected an error');
}

test('parse: operators, AND, canonical string', () => {
  const cases: [string, string][] = [
    ['', ''],
    ['metadata.name=x', 'metadata.name=x'],
    ['metadata.name==x', 'metadata.name=x'],
    ['status.phase!=Running', 'status.phase!=Running'],
    ['spec.nodeName=n1,status.phase=Running', 'spec.nodeName=n1,status.phase=Running'],
    ['status.phase=Running,spec.nodeName=n1', 'spec.nodeName=n1,status.phase=Running'],
    ['a=', 'a='],
    ['a=b,', 'a=b'],
    [',a=b', 'a=b'],
    ['a=b\\,c', 'a=b\\,c'],
    ['a=b\\=c', 'a=b\\=c'],
    ['a=b\\\\c', 'a=b\\\\c'],
  ];
  for (const [input, want] of cases) {
    const s = parseFieldSelector(input);
    assert.equal(s.toString(), want, input);
    assert.equal(parseFieldSelector(s.toString()).toString(), want, `round trip ${input}`);
  }
  assert.deepEqual(parseFieldSelector('b!=2,a==1').requirements, [
    { field: 'a', operator: '=', value: '1' },
    { field: 'b', operator: '!=', value: '2' },
  ]);
  assert.deepEqual(parseFieldSelector('a=x\\,y').requirements, [{ field: 'a', operator: '=', value: 'x,y' }]);
  // whitespace is not trimmed: the field is "a " (the server then rejects it as unsupported)
  assert.deepEqual(parseFieldSelector('a = b').requirements, [{ field: 'a ', operator: '=', value: ' b' }]);
});

test('matches', () => {
  const obj: Record<string, string> = { 'metadata.name': 'p1', 'status.phase': 'Running', 'spec.nodeName': '' };
  const get = (f: string): string | undefined => obj[f];
  const cases: [string, boolean][] = [
    ['', true],
    ['metadata.name=p1', true],
    ['metadata.name==p1', true],
    ['metadata.name=p2', false],
    ['metadata.name!=p2', true],
    ['metadata.name!=p1', false],
    ['spec.nodeName=', true],
    ['spec.nodeName!=', false],
    ['unknown=', true],
    ['unknown!=x', true],
    ['metadata.name=p1,status.phase=Running', true],
    ['metadata.name=p1,status.phase!=Running', false],
  ];
  for (const [sel, want] of cases) assert.equal(parseFieldSelector(sel).matches(get), want, sel);
});

test('errors as upstream', () => {
  assert.equal(err(() => parseFieldSelector('abc')), "invalid selector: 'abc'; can't understand 'abc'");
  assert.equal(err(() => parseFieldSelector('a=b,xyz')), "invalid selector: 'a=b,xyz'; can't understand 'xyz'");
  assert.equal(err(() => parseFieldSelector('a!==b')), 'invalid field selector: unescaped character in value: 61');
  assert.equal(err(() => parseFieldSelector('a=b=c')), 'invalid field selector: unescaped character in value: 61');
  assert.equal(err(() => parseFieldSelector('a=b\\')), 'invalid field selector: invalid escape sequence: \\');
  assert.equal(err(() => parseFieldSelector('a=b\\x')), 'invalid field selector: invalid escape sequence: \\x');
  assert.equal(err(() => parseFieldSelector('metadata.name=x').supportOnly(['metadata.namespace'])), 'field label not supported: metadata.name');
  assert.equal(parseFieldSelector('metadata.name=x').supportOnly(['metadata.name']).toString(), 'metadata.name=x');
});

test('escape and unescape round trip', () => {
  for (const v of ['', 'plain', 'a,b', 'a=b', 'a\\b', ',=\\', 'ünïcode']) {
    assert.equal(unescapeValue(escapeValue(v)), v, v);
    const s = parseFieldSelector(`f=${escapeValue(v)}`);
    assert.equal(s.requirements[0]!.value, v);
  }
});

test('requiresExactMatch, empty, fieldSelectorFromSet', () => {
  const s = parseFieldSelector('spec.nodeName=n1,status.phase!=Failed');
  assert.equal(s.requiresExactMatch('spec.nodeName'), 'n1');
  assert.equal(s.requiresExactMatch('status.phase'), undefined);
  assert.equal(s.empty(), false);
  assert.equal(parseFieldSelector('').empty(), true);
  assert.equal(fieldSelectorFromSet({ b: 'x,y', a: '1' }).toString(), 'a=1,b=x\\,y');
});
