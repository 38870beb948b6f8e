/**
 * The embedded default: `--datastore-endpoint ""` opens `<dataDir>/server/db/state.db`;
 * `sqlite:///path/to/file.db` opens that file instead.
 */
import { join } from 'node:path';
import type { StoreDriver } from '../index.js';
import { SqliteStore } from './store.js';

export function defaultDatabaseFile(dataDir: string): string {
  return join(dataDir, 'server', 'db', 'state.db');
}

export const sqliteDriver: StoreDriver = {
  schemes: ['', 'sqlite'],
  async open(endpoint, dataDir) {
    const file = endpoint === '' ? defaultDatabaseFile(dataDir) : endpoint.slice('sqlite://'.length);
    const store = SqliteStore.open(file);
    return { store, description: `sqlite ${file}` };
  },
};
