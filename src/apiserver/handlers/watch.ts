/**
 * WATCH: a long response of newline-delimited JSON events `{"type":…,"object":…}`.
 *
 * - From resourceVersion N: every change after N, from the watch cache's ring, or straight from the store
 *   when the ring no longer reaches back that far; 410 Gone arrives as an ERROR event when the store has
 *   compacted N away.
 * - Without a resourceVersion (or 0): first a synthetic ADDED per existing object, then changes.
 * - `sendInitialEvents=true`: the same, ended by a BOOKMARK annotated `k8s.io/initial-events-end`.
 * - `allowWatchBookmarks`: a BOOKMARK every BOOKMARK_INTERVAL_MS carrying the newest revision.
 * - `timeoutSeconds` ends the response cleanly; so does the client going away (`res.on('close')`).
 * - A reader that falls more than MAX_BUFFERED_BYTES behind is disconnected, so it cannot hold memory or
 *   slow anyone else; fan-out itself never waits for a socket.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errors } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { isStoreError } from '../../storage/store.js';
import { apiVersionOf } from '../registry/catalog.js';
import { servedAsStored, toServed } from '../registry/conversion.js';
import { partialMetadata, toTable } from '../tables/table.js';
import { type CacheEvent, CachedObject } from '../watchcache/cached-object.js';
import { type CacheWatcher, TooOldError } from '../watchcache/watch-cache.js';
import type { ApiContext, ResourceRequest } from './context.js';
import { buildFilter } from './filter.js';
import { negotiate } from './negotiate.js';
import { includeObjectOf } from './respond.js';
import { parseResourceVersion } from './read.js';

export const BOOKMARK_INTERVAL_MS = 30_000;
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export async function handleWatch(api: ApiContext, r: ResourceRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const rs = api.resourceStore(r.entry.storage);
  const { filter } = buildFilter(r.query, rs.strategy);
  const form = negotiate(req.headers.accept);
  const ns = r.entry.namespaced && r.info.namespace ? r.info.namespace : undefined;
  const nameOnly = r.info.name || undefined;
  const rv = parseResourceVersion(r.query.get('resourceVersion'));
  const bookmarks = r.query.get('allowWatchBookmarks') === 'true';
  const sendInitial = r.query.get('sendInitialEvents') === 'true';
  if (sendInitial && r.query.get('resourceVersionMatch') !== 'NotOlderThan') {
    throw errors.invalid('meta.k8s.io', 'ListOptions', '', [{ field: 'resourceVersionMatch', type: 'FieldValueForbidden', detail: 'Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan' }]);
  }
  const tq = r.query.get('timeoutSeconds');
  const timeoutMs = tq ? Number(tq) * 1000 : (1800 + Math.random() * 1800) * 1000;
  const include = includeObjectOf(r.query);
  const entry = r.entry;

  const matches = (o: KubeObject): boolean => {
    if (ns !== undefined && o.metadata?.namespace !== ns) return false;
    if (nameOnly !== undefined && o.metadata?.name !== nameOnly) return false;
    return !filter || filter(o);
  };

  let tableHeaderSent = false;
  const encodeObject = (c: CachedObject | KubeObject): string => {
    const obj = c instanceof CachedObject ? c.obj : c;
    if (form === 'table') {
      const t = toTable(entry.group, entry.kind, [toServed(obj, entry)], api.now(), include, { resourceVersion: obj.metadata?.resourceVersion });
      if (tableHeaderSent) t.columnDefinitions = [];
      tableHeaderSent = true;
      return JSON.stringify(t);
    }
    if (form === 'partial') return JSON.stringify(partialMetadata(toServed(obj, entry)));
    if (c instanceof CachedObject && servedAsStored(entry)) return c.json;
    return JSON.stringify(toServed(obj, entry));
  };

  let closed = false;
  let lastRv = rv ?? 0;
  const cleanups: (() => void)[] = [];
  const close = () => {
    if (closed) return;
    closed = true;
    for (const c of cleanups) c();
    res.end();
  };
  const write = (type: string, objectJson: string) => {
    if (closed) return;
    res.write(`{"type":"${type}","object":${objectJson}}\n`);
    if (res.writableLength > MAX_BUFFERED_BYTES) close();
  };
  const sendEvent = (ev: CacheEvent) => {
    if (ev.rv <= lastRv) return;
    lastRv = ev.rv;
    const now = matches(ev.object.obj);
    const before = ev.prev ? matches(ev.prev.obj) : false;
    if (ev.type === 'DELETED') {
      if (before || (!ev.prev && now)) write('DELETED', encodeObject(ev.object));
    } else if (now && (ev.type === 'ADDED' || before)) write(ev.type, encodeObject(ev.object));
    else if (now) write('ADDED', encodeObject(ev.object));
    else if (before) write('DELETED', encodeObject(ev.object));
  };
  const bookmark = (rev: number, initialEnd = false) => {
    const meta: Record<string, unknown> = { resourceVersion: String(rev) };
    if (initialEnd) meta.annotations = { 'k8s.io/initial-events-end': 'true' };
    write('BOOKMARK', JSON.stringify({ kind: entry.kind, apiVersion: apiVersionOf(entry), metadata: meta }));
  };
  const sendError = (err: ApiError) => {
    write('ERROR', JSON.stringify(err.toStatus()));
    close();
  };

  let startRv: number;
  const initial: CachedObject[] = [];
  if (rv === undefined || rv === 0 || sendInitial) {
    if (rv === undefined) await api.cache.waitFor(await api.store.currentRevision());
    else if (rv > 0) await api.cache.waitFor(rv);
    startRv = api.cache.revision;
    for (const c of api.cache.list(entry.storage, ns)) if (matches(c.obj)) initial.push(c);
  } else {
    startRv = rv;
  }
  lastRv = startRv;

  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  res.on('close', close);

  const watcher: CacheWatcher = {
    deliver: sendEvent,
    terminate: () => close(),
  };
  let backlog: CacheEvent[] = [];
  let followsStore = false;
  try {
    const reg = api.cache.watch(entry.storage, startRv, watcher);
    backlog = reg.backlog;
    cleanups.push(reg.cancel);
  } catch (err) {
    if (!(err instanceof TooOldError)) throw err;
    // The cache's ring does not reach back to `startRv`: follow the store directly.
    followsStore = true;
    const prefix = rs.prefix(ns);
    const w = api.store.watch(prefix, startRv, (evs) => {
      for (const e of evs) {
        if (e.type === 'put') {
          const o = CachedObject.fromStore(e.kv.key, e.kv.value, e.kv.modRevision);
          const prev = e.prev ? CachedObject.fromStore(e.prev.key, e.prev.value, e.prev.modRevision) : undefined;
          sendEvent({ type: e.kv.createRevision === e.kv.modRevision ? 'ADDED' : 'MODIFIED', object: o, prev, rv: e.kv.modRevision });
        } else if (e.prev) {
          const prev = CachedObject.fromStore(e.prev.key, e.prev.value, e.prev.modRevision);
          const obj = { ...prev.obj, metadata: { ...prev.obj.metadata, resourceVersion: String(e.kv.modRevision) } };
          sendEvent({ type: 'DELETED', object: new CachedObject(e.kv.key, obj, e.kv.modRevision), prev, rv: e.kv.modRevision });
        }
      }
    }, (e) => {
      if (isStoreError(e, 'Compacted')) sendError(errors.gone(`too old resource version: ${startRv} (${e.compactedRevision ?? ''})`));
      else sendError(errors.internal((e as Error).message));
    });
    cleanups.push(() => w.close());
  }

  for (const c of initial) write('ADDED', encodeObject(c));
  if (sendInitial) bookmark(startRv, true);
  for (const ev of backlog) sendEvent(ev);

  const timer = setTimeout(close, timeoutMs);
  cleanups.push(() => clearTimeout(timer));
  if (bookmarks) {
    // A cache watcher has seen every event up to the cache's revision; a store watcher only up to lastRv.
    const t = setInterval(() => bookmark(followsStore ? lastRv : Math.max(lastRv, api.cache.revision)), BOOKMARK_INTERVAL_MS);
    cleanups.push(() => clearInterval(t));
  }
}
