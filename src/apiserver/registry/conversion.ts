/**
 * Conversion between the stored form of a resource and the group-versions that serve it. Most
 * resources have one version, whose form is stored; converting is then only setting `apiVersion`.
 * Resources served by more than one version register a converter here.
 */
import type { KubeObject } from '../../api/types.js';
import { apiVersionOf, type ResourceEntry } from './catalog.js';

export interface Converter {
  /** Stored form → the form of `to`. Must not mutate `obj`. */
  out(obj: KubeObject, to: ResourceEntry): KubeObject;
  /** The form of `from` → stored form (mutates and returns `obj`). */
  in(obj: KubeObject, from: ResourceEntry): KubeObject;
}

const converters = new Map<string, Converter>();

export function registerConverter(storage: string, c: Converter): void {
  converters.set(storage, c);
}

/** True when objects of `entry` are served exactly as stored (so cached JSON text can be reused). */
export function servedAsStored(entry: ResourceEntry): boolean {
  return entry.storageVersion;
}

export function toServed(obj: KubeObject, entry: ResourceEntry): KubeObject {
  if (entry.storageVersion) return obj;
  const c = converters.get(entry.storage);
  const out = c ? c.out(obj, entry) : { ...obj };
  out.apiVersion = apiVersionOf(entry);
  out.kind = entry.kind;
  return out;
}

export function toStored(obj: KubeObject, entry: ResourceEntry, storageEntry: ResourceEntry): KubeObject {
  if (entry.storageVersion) return obj;
  const c = converters.get(entry.storage);
  const out = c ? c.in(obj, entry) : obj;
  out.apiVersion = apiVersionOf(storageEntry);
  out.kind = storageEntry.kind;
  return out;
}
