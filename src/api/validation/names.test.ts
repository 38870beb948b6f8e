import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, isValidPathSegmentName,
  nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain, regexError,
} from './names.js';

const SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

test('regexError formats like upstream', () => {
  assert.equal(regexError('m', 'f'), "m (regex used for validation is 'f')");
  assert.equal(regexError('m', 'f', 'a'), "m (e.g. 'a', regex used for validation is 'f')");
  assert.equal(regexError('m', 'f', 'a', 'b'), "m (e.g. 'a',  or 'b', regex used for validation is 'f')");
});

test('DNS-1123 subdomain', () => {
  for (const ok of ['a', 'ab', 'a-b', 'a.b', '0', 'a.b.c-d', '1.2.3.4', 'x'.repeat(253)]) assert.deepEqual(isDNS1123Subdomain(ok), [], ok);
  for (const bad of ['', 'A', 'a_b', '-a', 'a-', '.a', 'a.', 'a..b', 'a b', 'ä']) assert.deepEqual(isDNS1123Subdomain(bad), [SUBDOMAIN_MSG], bad);
  assert.deepEqual(isDNS1123Subdomain('x'.repeat(254)), ['must be no more than 253 characters']);
});

test('DNS-1123 label', () => {
  for (const ok of ['a', 'a-b', '0a', 'x'.repeat(63)]) assert.deepEqual(isDNS1123Label(ok), [], ok);
  for (const bad of ['', 'A', '-a', 'a-', 'a_b']) assert.deepEqual(isDNS1123Label(bad), [LABEL_MSG], bad);
  assert.deepEqual(isDNS1123Label('a.b'), ['must not contain dots']);
  assert.deepEqual(isDNS1123Label('x'.repeat(64)), ['must be no more than 63 characters']);
});

test('DNS-1035 label', () => {
  for (const ok of ['a', 'a-b', 'a0', 'x'.repeat(63)]) assert.deepEqual(isDNS1035Label(ok), [], ok);
  for (const bad of ['', '0a', '-a', 'a-', 'A', 'a.b']) assert.deepEqual(isDNS1035Label(bad), [DNS1035_MSG], bad);
  assert.deepEqual(isDNS1035Label('x'.repeat(64)), ['must be no more than 63 characters']);
});

test('qualified names', () => {
  for (const ok of ['a', 'A', 'a.b_c-D', 'example.com/a', 'kubernetes.io/x', 'x'.repeat(63), `${'p'.repeat(253)}/n`]) assert.deepEqual(isQualifiedName(ok), [], ok);
  assert.equal(isQualifiedName('').length, 2);
  assert.equal(isQualifiedName('')[0], 'name part must be non-empty');
  assert.match(isQualifiedName('_a')[0]!, /^name part must consist of alphanumeric/);
  assert.deepEqual(isQualifiedName('x'.repeat(64)), ['name part must be no more than 63 characters']);
  assert.deepEqual(isQualifiedName('/a'), ['prefix part must be non-empty']);
  assert.deepEqual(isQualifiedName('A/a'), [`prefix part ${SUBDOMAIN_MSG}`]);
  assert.match(isQualifiedName('a/b/c')[0]!, /^a qualified name must consist .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/);
});

test('label values', () => {
  for (const ok of ['', 'a', 'A_b.c-D', '0', 'x'.repeat(63)]) assert.deepEqual(isValidLabelValue(ok), [], ok);
  for (const bad of ['-a', 'a-', '_', 'a b', 'a/b']) assert.equal(isValidLabelValue(bad).length, 1, bad);
  assert.deepEqual(isValidLabelValue('x'.repeat(64)), ['must be no more than 63 characters']);
});

test('path segment names', () => {
  assert.deepEqual(isValidPathSegmentName('.'), ["may not be '.'"]);
  assert.deepEqual(isValidPathSegmentName('..'), ["may not be '..'"]);
  assert.deepEqual(isValidPathSegmentName('a/b%c'), ["may not contain '/'", "may not contain '%'"]);
  assert.deepEqual(isValidPathSegmentName('system:admin'), []);
});

test('name validators: generateName prefixes may end in a dash', () => {
  assert.deepEqual(nameIsDNSSubdomain('web-', true), []);
  assert.deepEqual(nameIsDNSSubdomain('web-', false), [SUBDOMAIN_MSG]);
  assert.deepEqual(nameIsDNSLabel('ns-', true), []);
  assert.deepEqual(nameIsDNS1035Label('svc-', true), []);
  assert.deepEqual(nameIsDNS1035Label('1svc', false), [DNS1035_MSG]);
  assert.deepEqual(nameIsDNSSubdomain('Web-', true), [SUBDOMAIN_MSG]);
});
