/**
 * Turns SQLite's errors into the store's vocabulary, with one line naming the file and the cause.
 */
import { StoreError } from '../store.js';

/** Maps an error thrown by better-sqlite3 while using `file` to a StoreError. */
export function sqliteError(file: string, err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const code = (err as { code?: unknown }).code;
  const msg = err instanceof Error ? err.message : String(err);
  const c = typeof code === 'string' ? code : '';
  if (c === 'SQLITE_NOTADB' || c.startsWith('SQLITE_CORRUPT')) {
    return new StoreError('Corrupt', `sqlite ${file}: database file is corrupt or not a SQLite database (${c}: ${msg})`);
  }
  if (c.startsWith('SQLITE_BUSY') || c.startsWith('SQLITE_LOCKED')) {
    return new StoreError('Unavailable', `sqlite ${file}: database is locked by another process (${c})`);
  }
  if (c.startsWith('SQLITE_CANTOPEN')) {
    return new StoreError('Unavailable', `sqlite ${file}: cannot open the database file (${c}: ${msg})`);
  }
  if (c.startsWith('SQLITE_READONLY') || c.startsWith('SQLITE_PERM')) {
    return new StoreError('Unavailable', `sqlite ${file}: database file is not writable (${c}: ${msg})`);
  }
  if (c === 'SQLITE_FULL') {
    return new StoreError('Unavailable', `sqlite ${file}: disk is full (${c})`);
  }
  return new StoreError('Unavailable', `sqlite ${file}: ${c ? `${c}: ` : ''}${msg}`);
}
