import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PATCH_META } from './patch-meta.js';
import { hasType, typeFields } from './index.js';

test('every entry of the patch metadata names a type of the table and a field that type declares', () => {
  for (const [type, fields] of Object.entries(PATCH_META)) {
    assert.ok(hasType(type), `${type} is not in the schema table`);
    // Fields of an embedded type are declared by that type, not by the one embedding it.
    const declared = new Set(typeFields(type).filter((f) => !f.inline).map((f) => f.name));
    for (const name of Object.keys(fields)) {
      if (name !== '_') assert.ok(declared.has(name), `${type} declares no field ${name}`);
    }
  }
});

test('list map keys and their defaults go with associative lists only', () => {
  for (const [type, fields] of Object.entries(PATCH_META)) {
    for (const [name, m] of Object.entries(fields)) {
      const at = `${type}.${name}`;
      if (m.listMapKeys) assert.equal(m.listType, 'map', at);
      if (m.listType === 'map') assert.ok(m.listMapKeys?.length, at);
      for (const k of Object.keys(m.keyDefaults ?? {})) assert.ok(m.listMapKeys?.includes(k), `${at}: default for ${k}, not a key`);
      if (m.patchMergeKey && m.listType === 'map') assert.ok(m.listMapKeys?.includes(m.patchMergeKey), at);
    }
  }
});
