import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatLabels, printTable, type Table } from './table.js';

const table: Table = {
  kind: 'Table', apiVersion: 'meta.k8s.io/v1',
  columnDefinitions: [{ name: 'Name', type: 'string', format: 'name' }, { name: 'Note', type: 'string', priority: 1 }, { name: 'Age', type: 'string' }],
  rows: [{ cells: ['a', 'x\ny', '1d'], object: { metadata: { name: 'a', namespace: 'ns', labels: { 'app.kubernetes.io/name': 'n', app: 'a' } } } }],
};

test('priority columns only when wide; cells cut at line breaks; kind prefix; labels', () => {
  assert.equal(printTable(table), 'NAME   AGE\na      1d\n');
  assert.equal(printTable(table, { wide: true }), 'NAME   NOTE   AGE\na      x...   1d\n');
  assert.equal(printTable(table, { kindPrefix: 'pod', withNamespace: true }), 'NAMESPACE   NAME    AGE\nns          pod/a   1d\n');
  assert.equal(printTable(table, { labelColumns: ['app.kubernetes.io/name', 'x'], showLabels: true }),
    'NAME   AGE   NAME   X     LABELS\na      1d    n            app.kubernetes.io/name=n,app=a\n');
  assert.equal(formatLabels({}), '<none>');
});

test('bold header only for terminals', () => {
  assert.equal(printTable(table, { color: true }), '\x1b[1mNAME   AGE\x1b[0m\na      1d\n');
  assert.equal(printTable(table, { color: true, noHeaders: true }), 'a     1d\n');
});
