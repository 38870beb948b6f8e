import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { runStoreConformance } from '../testing/conformance.js';
import { SqliteStore } from './store.js';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

runStoreConformance('sqlite', async () => SqliteStore.open(join(dir, `db${n++}`, 'state.db')));

runStoreConformance('sqlite :memory:', async () => SqliteStore.open(':memory:'));
