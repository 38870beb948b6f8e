/**
 * Checks shared by every backend: the key layout and the value size limit of the store contract.
 * Keys are printable ASCII, start with `/`, and are at most 1 KiB; values are at most MAX_VALUE_BYTES.
 */
import { MAX_VALUE_BYTES, StoreError } from './store.js';

export const MAX_KEY_BYTES = 1024;

function badChar(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return i;
  }
  return -1;
}

/** Throws InvalidKey unless `key` is a valid store key. */
export function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.charCodeAt(0) !== 0x2f) {
    throw new StoreError('InvalidKey', `invalid key ${JSON.stringify(key)}: must start with "/"`);
  }
  if (key.length > MAX_KEY_BYTES) {
    throw new StoreError('InvalidKey', `invalid key "${key.slice(0, 40)}…": ${key.length} bytes, at most ${MAX_KEY_BYTES} allowed`);
  }
  const at = badChar(key);
  if (at >= 0) {
    throw new StoreError('InvalidKey', `invalid key ${JSON.stringify(key)}: character ${at} is not printable ASCII`);
  }
}

/** Throws InvalidKey unless `prefix` can name a range of keys (same rules as a key). */
export function checkPrefix(prefix: string): void {
  checkKey(prefix);
}

/** Throws ValueTooLarge when `value` exceeds the contract's limit. */
export function checkValue(key: string, value: Uint8Array): void {
  if (!(value instanceof Uint8Array)) {
    throw new StoreError('InvalidKey', `value for "${key}" must be bytes (Uint8Array)`);
  }
  if (value.byteLength > MAX_VALUE_BYTES) {
    throw new StoreError('ValueTooLarge',
      `value for "${key}" is ${value.byteLength} bytes, larger than the store's limit of ${MAX_VALUE_BYTES} bytes`);
  }
}

/** The first key after every key that starts with `prefix` (etcd's range_end for a prefix). */
export function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
