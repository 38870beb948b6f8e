/**
 * The garbage collector's view of ownership: a uid → object index over every watched resource, a
 * reverse index owner uid → dependents, and the resolution of an ownerReference (apiVersion + kind)
 * to the resource it names. Upstream keeps a full dependency graph (`graph_builder.go`); k8ts keeps
 * these two indexes, fed by the informers' handlers, which is all the sync needs.
 */
import type { KubeObject, OwnerReference } from '../../api/types.js';
import type { ResourceRef } from '../../client/resource.js';
import type { DiscoveredResource } from '../util/discovery.js';

/** One object as the GC tracks it: where it lives, and the object. */
export interface Node {
  resource: DiscoveredResource;
  obj: KubeObject;
}

export const gvrKey = (r: Pick<ResourceRef, 'group' | 'version' | 'resource'>): string => `${r.group}/${r.version}/${r.resource}`;

/** The work-queue key of an object: `group/version/resource|namespace/name`. */
export function nodeKey(r: DiscoveredResource, obj: KubeObject): string {
  return `${gvrKey(r)}|${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

export function parseNodeKey(key: string): { gvr: string; namespace: string; name: string } {
  const [gvr, rest] = key.split('|') as [string, string];
  const slash = rest.indexOf('/');
  return { gvr, namespace: rest.slice(0, slash), name: rest.slice(slash + 1) };
}

export class OwnershipIndex {
  private readonly byUid = new Map<string, Node>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly keyOfUid = new Map<string, string>();
  private kinds = new Map<string, DiscoveredResource>();

  setResources(list: DiscoveredResource[]): void {
    this.kinds = new Map(list.map((r) => [`${r.group}/${r.kind}`, r]));
  }

  /** The resource an ownerReference names, by its group (from apiVersion) and kind. */
  resolve(ref: Pick<OwnerReference, 'apiVersion' | 'kind'>): DiscoveredResource | undefined {
    const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0]! : '';
    return this.kinds.get(`${group}/${ref.kind}`);
  }

  get(uid: string): Node | undefined {
    return this.byUid.get(uid);
  }

  /** Keys of the objects that name `uid` as an owner. */
  dependentsOf(uid: string): string[] {
    return [...(this.dependents.get(uid) ?? [])];
  }

  upsert(resource: DiscoveredResource, obj: KubeObject): void {
    const uid = obj.metadata?.uid;
    if (!uid) return;
    const key = nodeKey(resource, obj);
    const old = this.byUid.get(uid);
    if (old) for (const r of old.obj.metadata?.ownerReferences ?? []) this.dependents.get(r.uid)?.delete(key);
    this.byUid.set(uid, { resource, obj });
    this.keyOfUid.set(uid, key);
    for (const r of obj.metadata?.ownerReferences ?? []) {
      let set = this.dependents.get(r.uid);
      if (!set) this.dependents.set(r.uid, (set = new Set()));
      set.add(key);
    }
  }

  remove(obj: KubeObject): void {
    const uid = obj.metadata?.uid;
    if (!uid) return;
    const node = this.byUid.get(uid);
    const key = this.keyOfUid.get(uid);
    for (const r of (node?.obj ?? obj).metadata?.ownerReferences ?? []) if (key) this.dependents.get(r.uid)?.delete(key);
    this.byUid.delete(uid);
    this.keyOfUid.delete(uid);
  }
}
