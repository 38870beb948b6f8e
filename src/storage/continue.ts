/**
 * Continue tokens for paged lists. A token names the revision of the first page and the last key
 * returned, so every page is served at that one revision and resumes just after that key.
 */
import { StoreError } from './store.js';

export interface ContinuePoint {
  revision: number;
  /** The last key the previous page returned. */
  lastKey: string;
  /**
   * How many keys followed that page. The revision is fixed, so the next page's `remaining` is this
   * minus its own length, with no need to count again.
   */
  remaining?: number;
}

export function encodeContinue(p: ContinuePoint): string {
  return Buffer.from(JSON.stringify({ rev: p.revision, last: p.lastKey, left: p.remaining })).toString('base64url');
}

/** Throws InvalidKey for a token this store did not hand out. */
export function decodeContinue(token: string, prefix: string): ContinuePoint {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const p = parsed as { rev?: unknown; last?: unknown; left?: unknown } | undefined;
  if (!p || typeof p.rev !== 'number' || !Number.isInteger(p.rev) || p.rev <= 0 || typeof p.last !== 'string'
    || !p.last.startsWith(prefix)) {
    throw new StoreError('InvalidKey', `invalid continue token for prefix "${prefix}"`);
  }
  const left = typeof p.left === 'number' && Number.isInteger(p.left) && p.left >= 0 ? p.left : undefined;
  return { revision: p.rev, lastKey: p.last, remaining: left };
}
