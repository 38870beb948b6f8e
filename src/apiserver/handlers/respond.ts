/**
 * Writing objects and lists in the negotiated form: plain JSON (reusing the watch cache's JSON text when
 * the object is served as stored), a Table, or PartialObjectMetadata.
 */
import type { ServerResponse } from 'node:http';
import type { KubeObject } from '../../api/types.js';
import { apiVersionOf, type ResourceEntry } from '../registry/catalog.js';
import { servedAsStored, toServed } from '../registry/conversion.js';
import { type ObjectInRow, partialMetadata, toTable } from '../tables/table.js';
import type { CachedObject } from '../watchcache/cached-object.js';
import { writeText } from './io.js';
import { negotiate, type ResponseForm } from './negotiate.js';

export interface ListMeta {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export function includeObjectOf(query: URLSearchParams): ObjectInRow {
  const v = query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

/** The JSON text of one object in the form `form`. */
export function renderObject(entry: ResourceEntry, obj: KubeObject, form: ResponseForm, query: URLSearchParams, now: Date): string {
  const served = toServed(obj, entry);
  if (form === 'table') return JSON.stringify(toTable(entry.group, entry.kind, [served], now, includeObjectOf(query), { resourceVersion: obj.metadata?.resourceVersion }));
  if (form === 'partial') return JSON.stringify(partialMetadata(served));
  return JSON.stringify(served);
}

export function writeObject(res: ServerResponse, code: number, entry: ResourceEntry, obj: KubeObject, accept: string | undefined,
  query: URLSearchParams, now: Date, extraHeaders?: Record<string, string>): void {
  const form = negotiate(accept);
  writeText(res, code, renderObject(entry, obj, form, query, now), 'application/json', extraHeaders);
}

function listMetaJson(meta: ListMeta): string {
  const m: Record<string, unknown> = { resourceVersion: meta.resourceVersion };
  if (meta.continue) m.continue = meta.continue;
  if (meta.remainingItemCount !== undefined && meta.continue) m.remainingItemCount = meta.remainingItemCount;
  return JSON.stringify(m);
}

/** Writes a list of cached objects. */
export function writeList(res: ServerResponse, entry: ResourceEntry, items: CachedObject[], meta: ListMeta, accept: string | undefined,
  query: URLSearchParams, now: Date): void {
  const form = negotiate(accept);
  let body: string;
  if (form === 'table') {
    const objs = items.map((c) => toServed(c.obj, entry));
    body = JSON.stringify(toTable(entry.group, entry.kind, objs, now, includeObjectOf(query), JSON.parse(listMetaJson(meta))));
  } else if (form === 'partial') {
    body = `{"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1","metadata":${listMetaJson(meta)},"items":[${items.map((c) => JSON.stringify(partialMetadata(toServed(c.obj, entry)))).join(',')}]}`;
  } else {
    const texts = servedAsStored(entry) ? items.map((c) => c.json) : items.map((c) => JSON.stringify(toServed(c.obj, entry)));
    body = `{"kind":"${entry.kind}List","apiVersion":"${apiVersionOf(entry)}","metadata":${listMetaJson(meta)},"items":[${texts.join(',')}]}`;
  }
  writeText(res, 200, body);
}
