/**
 * JSON Patch (RFC 6902): add, remove, replace, move, copy, test — with the behaviour of the library
 * upstream's API server uses (evanphx/json-patch v4): array indices may be negative (counted from the end),
 * `-` appends, a failed `test` or a missing path fails the whole patch and nothing is changed.
 *
 * Errors, as the API server reports them:
 * - a body that is not a list of operation objects → BadRequest (400), Go's decoding message;
 * - more than 10,000 operations → RequestEntityTooLarge (413);
 * - any operation that cannot be applied (failed test, missing path, bad index, unknown op) → Invalid (422)
 *   with upstream's generic message "the server rejected our request due to an error in our request"; the
 *   specific reason is in the error's `cause`.
 */
import { ApiError } from '../errors.js';
import { clone, deepEqual, isObject, jsonTypeName, type JsonValue } from './json-value.js';

export const MAX_JSON_PATCH_OPERATIONS = 10000;
/** Bounds what `copy` may add in total, so a few operations cannot blow up memory. */
export const MAX_ACCUMULATED_COPY_BYTES = 3 * 1024 * 1024;

export interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

class PatchFailure extends Error {}

/** The 422 the API server answers for a patch that could not be applied. */
export function patchRejected(reason: string): ApiError {
  const err = new ApiError('Invalid', 'the server rejected our request due to an error in our request', { group: '', kind: '' });
  (err as Error).cause = new Error(reason);
  return err;
}

/** Checks the shape of a JSON Patch body (what upstream's `DecodePatch` checks) and returns its operations. */
export function decodeJsonPatch(body: unknown): JsonPatchOperation[] {
  if (!Array.isArray(body)) throw new ApiError('BadRequest', `json: cannot unmarshal ${jsonTypeName(body)} into Go value of type jsonpatch.Patch`);
  for (const op of body) {
    if (!isObject(op)) throw new ApiError('BadRequest', `json: cannot unmarshal ${jsonTypeName(op)} into Go value of type jsonpatch.Operation`);
  }
  if (body.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new ApiError('RequestEntityTooLarge', `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${body.length}`);
  }
  return body as unknown as JsonPatchOperation[];
}

/** Splits an RFC 6901 pointer into unescaped tokens. */
function parsePointer(path: unknown, what: string): string[] {
  if (typeof path !== 'string') throw new PatchFailure(`operation missing ${what} field`);
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchFailure(`invalid path: ${path}`);
  return path.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = JsonValue[] | Record<string, JsonValue>;

/** The container that holds the last token of `tokens`, or a failure naming the op. */
function parent(doc: JsonValue, tokens: string[], op: string, path: string): Container {
  let cur: JsonValue = doc;
  for (const t of tokens.slice(0, -1)) {
    let next: JsonValue | undefined;
    if (Array.isArray(cur)) {
      const i = arrayIndex(t, cur.length, false);
      next = i === undefined ? undefined : cur[i];
    } else if (isObject(cur)) {
      next = Object.hasOwn(cur, t) ? cur[t] : undefined;
    }
    if (next === undefined || next === null || typeof next !== 'object') throw new PatchFailure(`${op} operation does not apply: doc is missing path: "${path}"`);
    cur = next;
  }
  if (cur === null || typeof cur !== 'object') throw new PatchFailure(`${op} operation does not apply: doc is missing path: "${path}"`);
  return cur as Container;
}

/** An index into an array of length `len`; negative counts from the end; `forAdd` allows `len` itself. */
function arrayIndex(token: string, len: number, forAdd: boolean): number | undefined {
  if (!/^-?\d+$/.test(token)) return undefined;
  let i = Number(token);
  if (i < 0) {
    if (-i > len) return undefined;
    i += len;
  }
  if (i > len || (!forAdd && i === len)) return undefined;
  return i;
}

function get(doc: JsonValue, tokens: string[]): JsonValue | undefined {
  let cur: JsonValue | undefined = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) {
      const i = arrayIndex(t, cur.length, false);
      cur = i === undefined ? undefined : cur[i];
    } else if (isObject(cur)) {
      cur = Object.hasOwn(cur, t) ? cur[t] : undefined;
    } else {
      return undefined;
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Applies one operation to `root` (mutating it) and returns it. */
function applyOne(root: JsonValue, o: JsonPatchOperation, budget: { copied: number }): JsonValue {
  const op = o.op;
  const tokens = parsePointer(o.path, 'path');
  const path = o.path;
  const last = tokens[tokens.length - 1]!;

  const add = (value: JsonValue): JsonValue => {
    // like upstream's library, the document itself cannot be added, replaced, moved or copied onto
    if (tokens.length === 0) throw new PatchFailure(`${op} operation does not apply: doc is missing path: "${path}"`);
    const c = parent(root, tokens, op, path);
    if (Array.isArray(c)) {
      const i = last === '-' ? c.length : arrayIndex(last, c.length, true);
      if (i === undefined) throw new PatchFailure(`Unable to access invalid index: ${last}`);
      c.splice(i, 0, value);
    } else {
      c[last] = value;
    }
    return root;
  };
  const remove = (): JsonValue => {
    if (tokens.length === 0) throw new PatchFailure(`${op} operation does not apply: doc is missing path: "${path}"`);
    const c = parent(root, tokens, op, path);
    if (Array.isArray(c)) {
      const i = arrayIndex(last, c.length, false);
      if (i === undefined) throw new PatchFailure(`Unable to access invalid index: ${last}`);
      return c.splice(i, 1)[0]!;
    }
    if (!Object.hasOwn(c, last)) throw new PatchFailure(`${op} operation does not apply: doc is missing key: ${path}`);
    const v = c[last]!;
    delete c[last];
    return v;
  };

  switch (op) {
    case 'add':
      if (!('value' in o)) throw new PatchFailure('add operation missing value');
      return add(clone(o.value as JsonValue));
    case 'remove':
      remove();
      return root;
    case 'replace': {
      if (!('value' in o)) throw new PatchFailure('replace operation missing value');
      if (tokens.length === 0) throw new PatchFailure(`replace operation does not apply: doc is missing path: "${path}"`);
      const c = parent(root, tokens, op, path);
      if (Array.isArray(c)) {
        const i = arrayIndex(last, c.length, false);
        if (i === undefined) throw new PatchFailure(`Unable to access invalid index: ${last}`);
        c[i] = clone(o.value as JsonValue);
      } else {
        if (!Object.hasOwn(c, last)) throw new PatchFailure(`replace operation does not apply: doc is missing key: ${path}`);
        c[last] = clone(o.value as JsonValue);
      }
      return root;
    }
    case 'move': {
      const from = parsePointer(o.from, 'from');
      if (get(root, from) === undefined) throw new PatchFailure(`move operation does not apply: doc is missing from path: ${o.from}`);
      if (path === o.from) return root;
      if (path.startsWith(`${o.from}/`)) throw new PatchFailure(`move operation does not apply: cannot move "${o.from}" into its own child "${path}"`);
      return add(applyRemoveAt(root, from, o.from as string));
    }
    case 'copy': {
      const from = parsePointer(o.from, 'from');
      const v = get(root, from);
      if (v === undefined) throw new PatchFailure(`copy operation does not apply: doc is missing from path: ${o.from}`);
      budget.copied += JSON.stringify(v).length;
      if (budget.copied > MAX_ACCUMULATED_COPY_BYTES) {
        throw new PatchFailure(`Unable to complete the copy, the accumulated size increase of copy is ${budget.copied}, exceeding the limit ${MAX_ACCUMULATED_COPY_BYTES}`);
      }
      return add(clone(v));
    }
    case 'test': {
      const actual = get(root, tokens);
      const expected = o.value === undefined ? null : o.value;
      // Like upstream's library, a missing value tests equal to null.
      if (actual === undefined ? expected === null : deepEqual(actual, expected)) return root;
      throw new PatchFailure(`testing value ${path} failed: test failed`);
    }
    default:
      throw new PatchFailure(`Unexpected kind: ${String(op)}`);
  }
}

function applyRemoveAt(root: JsonValue, tokens: string[], path: string): JsonValue {
  if (tokens.length === 0) throw new PatchFailure(`move operation does not apply: doc is missing from path: ${path}`);
  const c = parent(root, tokens, 'move', path);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(c)) {
    const i = arrayIndex(last, c.length, false);
    if (i === undefined) throw new PatchFailure(`Unable to access invalid index: ${last}`);
    return c.splice(i, 1)[0]!;
  }
  const v = c[last]!;
  delete c[last];
  return v;
}

/**
 * Applies an RFC 6902 patch to a copy of `doc` and returns it; `doc` itself is never changed.
 * `ops` is the parsed request body (checked with `decodeJsonPatch`).
 */
export function applyJsonPatch<T = unknown>(doc: T, ops: unknown): T {
  const operations = decodeJsonPatch(ops);
  let root = clone(doc) as unknown as JsonValue;
  const budget = { copied: 0 };
  try {
    for (const o of operations) root = applyOne(root, o, budget);
  } catch (e) {
    if (e instanceof PatchFailure) throw patchRejected(e.message);
    throw e;
  }
  return root as unknown as T;
}
