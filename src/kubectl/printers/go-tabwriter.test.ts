import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goTabwriter } from './go-tabwriter.js';

test('column blocks end at lines without the column', () => {
  const text = 'Name:\tweb\nNamespace:\tdefault\nIPs:\n  IP:\t10.0.0.1\nQoS Class:\tBurstable\n';
  assert.equal(goTabwriter(text), 'Name:       web\nNamespace:  default\nIPs:\n  IP:       10.0.0.1\nQoS Class:  Burstable\n');
});

test('nested columns and unpadded last cells', () => {
  const text = '  Type\tStatus\n  Ready \tTrue \nx\n';
  assert.equal(goTabwriter(text), '  Type    Status\n  Ready   True \nx\n');
  assert.equal(goTabwriter('a\tb\tc\naaaa\tb\n', 6, 3), 'a      b     c\naaaa   b\n');
});
