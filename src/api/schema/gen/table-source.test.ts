import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { buildTableSource, DEFAULT_KUBECTL_BINARY, TABLE_FILE } from './table-source.js';

test('the committed schema table is exactly what the generator makes from kubectl 1.32', { skip: existsSync(DEFAULT_KUBECTL_BINARY) ? false : 'kubectl 1.32 is not installed' }, () => {
  const { text } = buildTableSource();
  assert.ok(text === readFileSync(TABLE_FILE, 'utf8'), 'src/api/schema/generated/types.ts is stale: run node dist/src/api/schema/gen/generate.js');
});
