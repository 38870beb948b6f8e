/**
 * Adoption and release (upstream `ControllerRefManager.ClaimPods`): a controller owns the objects that
 * match its selector. An orphan that matches is adopted (its controller ownerReference added); an
 * object it owns that no longer matches is released (the reference removed). Objects controlled by
 * someone else are never touched, and nothing is adopted by an owner that is being deleted.
 *
 * Both writes are JSON patches guarded by a `test` of the object's uid, so a recreated object of the
 * same name is never patched by mistake.
 */
import { isConflict, isInvalid, isNotFound } from '../../api/errors.js';
import type { KubeObject, OwnerReference } from '../../api/types.js';
import type { Client } from '../../client/client.js';
import { controllerRef } from '../../client/controller.js';
import { inNamespace, type ResourceRef } from '../../client/resource.js';
import type { LabelMatcher } from '../../client/cache/lister.js';

export interface ClaimOptions<T extends KubeObject> {
  client: Client;
  /** The owned resource, e.g. pods. */
  ref: ResourceRef;
  owner: KubeObject;
  ownerRef: OwnerReference;
  selector: LabelMatcher;
  candidates: T[];
  /** Re-reads the owner from the API before the first adoption: adoption is refused if it is being deleted (upstream `RecheckDeletionTimestamp`). */
  recheckOwner?: () => Promise<KubeObject | undefined>;
}

export function adoptPatch(obj: KubeObject, ref: OwnerReference): unknown[] {
  const uidTest = { op: 'test', path: '/metadata/uid', value: obj.metadata!.uid };
  return obj.metadata?.ownerReferences?.length
    ? [uidTest, { op: 'add', path: '/metadata/ownerReferences/-', value: ref }]
    : [uidTest, { op: 'add', path: '/metadata/ownerReferences', value: [ref] }];
}

export function releasePatch(obj: KubeObject, ownerUid: string): unknown[] {
  const refs = obj.metadata?.ownerReferences ?? [];
  const i = refs.findIndex((r) => r.uid === ownerUid);
  return [
    { op: 'test', path: '/metadata/uid', value: obj.metadata!.uid },
    { op: 'test', path: `/metadata/ownerReferences/${i}/uid`, value: ownerUid },
    { op: 'remove', path: `/metadata/ownerReferences/${i}` },
  ];
}

/** Returns the objects the owner controls after adopting and releasing as needed. */
export async function claimObjects<T extends KubeObject>(o: ClaimOptions<T>): Promise<T[]> {
  const claimed: T[] = [];
  const ownerUid = o.owner.metadata!.uid!;
  const ownerDeleting = Boolean(o.owner.metadata?.deletionTimestamp);
  let canAdopt: boolean | undefined;
  for (const obj of o.candidates) {
    const ref = controllerRef(obj);
    const matches = o.selector.matches(obj.metadata?.labels);
    const ns = inNamespace(o.ref, obj.metadata?.namespace);
    if (ref) {
      if (ref.uid !== ownerUid) continue;
      if (matches) {
        claimed.push(obj);
        continue;
      }
      if (ownerDeleting) continue;
      try {
        await o.client.patch(ns, obj.metadata!.name!, 'json', releasePatch(obj, ownerUid));
      } catch (err) {
        // Gone, or no longer ours: nothing to release.
        if (!isNotFound(err) && !isInvalid(err) && !isConflict(err)) throw err;
      }
      continue;
    }
    if (!matches || ownerDeleting || obj.metadata?.deletionTimestamp) continue;
    if (canAdopt === undefined) {
      const fresh = o.recheckOwner ? await o.recheckOwner() : o.owner;
      canAdopt = Boolean(fresh && fresh.metadata?.uid === ownerUid && !fresh.metadata?.deletionTimestamp);
    }
    if (!canAdopt) continue;
    try {
      const adopted = await o.client.patch<T>(ns, obj.metadata!.name!, 'json', adoptPatch(obj, o.ownerRef));
      claimed.push(adopted);
    } catch (err) {
      if (isNotFound(err)) continue;
      throw err;
    }
  }
  return claimed;
}
