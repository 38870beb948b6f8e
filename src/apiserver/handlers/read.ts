/**
 * GET of one object and LIST, with upstream's resourceVersion semantics:
 *
 * - get: no resourceVersion → a consistent read from the store; `0` → from the watch cache.
 * - list: no resourceVersion → consistent (the cache first catches up with the store's current
 *   revision); `0` → whatever the cache holds; `N` (NotOlderThan) → once the cache reached N;
 *   `resourceVersionMatch=Exact` → from the store at revision N.
 * - limit/continue page through one revision: from the cache while it is still at that revision,
 *   otherwise from the store at that revision (410 Expired when compacted).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errors } from '../../api/errors.js';
import { decodeContinue, encodeContinue } from '../../storage/continue.js';
import { isStoreError } from '../../storage/store.js';
import { CachedObject } from '../watchcache/cached-object.js';
import type { ApiContext, ResourceRequest } from './context.js';
import { buildFilter } from './filter.js';
import { writeList, writeObject } from './respond.js';

export async function handleGet(api: ApiContext, r: ResourceRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const rs = api.resourceStore(r.entry.storage);
  const ns = r.entry.namespaced ? r.info.namespace : '';
  let obj: CachedObject | undefined;
  if (r.query.get('resourceVersion') === '0') obj = api.cache.get(rs.key(ns, r.info.name));
  obj ??= await rs.get(ns, r.info.name, { entry: r.entry });
  writeObject(res, 200, r.entry, obj.obj, req.headers.accept, r.query, api.now());
}

function parseLimit(q: URLSearchParams): number {
  const v = q.get('limit');
  if (!v) return 0;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw errors.badRequest(`invalid limit "${v}"`);
  return n;
}

export function parseResourceVersion(v: string | null): number | undefined {
  if (v === null || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw new ApiError('BadRequest', `Invalid value: "${v}": resourceVersion must be a number`);
  return Number(v);
}

const EXPIRED_CONTINUE = 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export async function handleList(api: ApiContext, r: ResourceRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const rs = api.resourceStore(r.entry.storage);
  const { filter } = buildFilter(r.query, rs.strategy);
  const ns = r.entry.namespaced && r.info.namespace ? r.info.namespace : undefined;
  const limit = parseLimit(r.query);
  const cont = r.query.get('continue') || undefined;
  const rvParam = r.query.get('resourceVersion');
  const rv = parseResourceVersion(rvParam);
  const match = r.query.get('resourceVersionMatch');
  const prefix = rs.prefix(ns);
  const now = api.now();

  if (cont && rv !== undefined) throw errors.badRequest('specifying resource version is not allowed when using continue');
  let contPoint: { revision: number; lastKey: string } | undefined;
  if (cont) {
    try {
      contPoint = decodeContinue(cont, prefix);
    } catch {
      throw errors.badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
    }
  }

  const fromStore = async (revision: number | undefined, token: string | undefined) => {
    try {
      const page = await api.store.list(prefix, { limit: limit || undefined, continue: token, revision });
      const items = page.kvs.map((kv) => CachedObject.fromStore(kv.key, kv.value, kv.modRevision)).filter((c) => !filter || filter(c.obj));
      writeList(res, r.entry, items, { resourceVersion: String(page.revision), continue: page.continue, remainingItemCount: filter ? undefined : page.remaining },
        req.headers.accept, r.query, now);
    } catch (err) {
      if (isStoreError(err, 'Compacted')) {
        if (token) throw new ApiError('Expired', EXPIRED_CONTINUE);
        throw errors.gone(`too old resource version: ${revision} (${err.compactedRevision ?? ''})`);
      }
      throw err;
    }
  };

  if (match === 'Exact') {
    if (rv === undefined || rv === 0) throw errors.badRequest('resourceVersionMatch "Exact" requires a non-zero resourceVersion');
    return fromStore(rv, undefined);
  }
  if (match && match !== 'NotOlderThan') throw errors.badRequest(`invalid resourceVersionMatch "${match}"`);

  // Serve from the cache.
  if (contPoint) {
    if (api.cache.revision !== contPoint.revision) return fromStore(undefined, cont);
  } else if (rv === undefined) {
    await api.cache.waitFor(await api.store.currentRevision());
  } else if (rv > 0) {
    await api.cache.waitFor(rv);
  }
  const revision = api.cache.revision;
  let all = api.cache.list(r.entry.storage, ns);
  if (contPoint) {
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (all[mid]!.key <= contPoint.lastKey) lo = mid + 1;
      else hi = mid;
    }
    all = all.slice(lo);
  }
  let items: typeof all;
  let next: string | undefined;
  let remaining: number | undefined;
  if (limit > 0) {
    items = [];
    let i = 0;
    for (; i < all.length && items.length < limit; i++) if (!filter || filter(all[i]!.obj)) items.push(all[i]!);
    if (i < all.length && items.length > 0) {
      next = encodeContinue({ revision, lastKey: items[items.length - 1]!.key });
      remaining = filter ? undefined : all.length - i;
    }
  } else {
    items = filter ? all.filter((c) => filter(c.obj)) : all;
  }
  writeList(res, r.entry, items, { resourceVersion: String(revision), continue: next, remainingItemCount: remaining }, req.headers.accept, r.query, now);
}
