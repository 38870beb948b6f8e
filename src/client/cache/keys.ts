/**
 * Object keys, as client-go's `MetaNamespaceKeyFunc`: `namespace/name` for namespaced objects, `name`
 * for cluster-scoped ones. Work queues hold these keys, never objects.
 */
import type { KubeObject } from '../../api/types.js';

/**
 * What an informer hands to `onDelete` when it learned of a deletion only by relisting: the last state it
 * had, which may be stale (client-go `DeletedFinalStateUnknown`, a "tombstone").
 */
export class DeletedFinalStateUnknown<T = KubeObject> {
  constructor(readonly key: string, readonly obj: T) {}
}

export function metaNamespaceKey(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '';
  return ns ? `${ns}/${name}` : name;
}

/** Like `metaNamespaceKey`, but also accepts a tombstone (its key is used). */
export function deletionHandlingKey(obj: KubeObject | DeletedFinalStateUnknown<KubeObject>): string {
  return obj instanceof DeletedFinalStateUnknown ? obj.key : metaNamespaceKey(obj);
}

/** `ns/name` → `{namespace: 'ns', name}`; `name` → `{namespace: '', name}`. Throws on more than one '/'. */
export function splitMetaNamespaceKey(key: string): { namespace: string; name: string } {
  const parts = key.split('/');
  if (parts.length === 1) return { namespace: '', name: parts[0]! };
  if (parts.length === 2) return { namespace: parts[0]!, name: parts[1]! };
  throw new Error(`unexpected key format: "${key}"`);
}

/** The object itself, or the last known state inside a tombstone. */
export function unwrapTombstone<T>(obj: T | DeletedFinalStateUnknown<T>): T {
  return obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
}
