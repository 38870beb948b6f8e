/**
 * ControllerRevisions (upstream `history` package): the StatefulSet and DaemonSet controllers keep
 * each pod template they have run as an immutable `apps/v1` ControllerRevision named
 * `<owner>-<hash>`, numbered by `revision`, owned by the workload. A pod's `controller-revision-hash`
 * label names the revision it was made from, which is how rolling updates tell old pods from new.
 */
import { isAlreadyExists } from '../../api/errors.js';
import type { ControllerRevision, KubeObject, PodTemplateSpec } from '../../api/types.js';
import type { Client } from '../../client/client.js';
import { controllerRef } from '../../client/controller.js';
import { inNamespace, resources } from '../../client/resource.js';
import { computeHash } from './hash.js';
import { controllerOwnerRef } from './pods.js';

export type RevisionObj = ControllerRevision & KubeObject;
export const REVISION_HASH_LABEL = 'controller-revision-hash';

/** The template a revision holds (its `data.spec.template`, as upstream's patch form stores it). */
export function revisionTemplate(r: RevisionObj): PodTemplateSpec | undefined {
  return (r.data as { spec?: { template?: PodTemplateSpec } } | undefined)?.spec?.template;
}

/**
 * The revision for `template`: the existing one with that name, or a new one numbered after the
 * highest. Resolves to the revision object (from the cache or as created).
 */
export async function ensureRevision(client: Client, owner: KubeObject, ownerKind: string, template: PodTemplateSpec | undefined, owned: RevisionObj[], collisionCount?: number): Promise<RevisionObj> {
  const hash = computeHash(template, collisionCount);
  const name = `${owner.metadata!.name}-${hash}`;
  const found = owned.find((r) => r.metadata?.name === name);
  if (found) return found;
  const next = owned.reduce((m, r) => Math.max(m, r.revision ?? 0), 0) + 1;
  const rev: RevisionObj = {
    apiVersion: 'apps/v1', kind: 'ControllerRevision',
    metadata: {
      name, namespace: owner.metadata!.namespace!,
      labels: { ...template?.metadata?.labels, [REVISION_HASH_LABEL]: hash },
      ownerReferences: [controllerOwnerRef(owner, 'apps/v1', ownerKind)],
    },
    data: { spec: { template: structuredClone(template ?? {}) } },
    revision: next,
  };
  try {
    return await client.create<RevisionObj>(inNamespace(resources.controllerrevisions, owner.metadata!.namespace), rev);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    return client.get<RevisionObj>(inNamespace(resources.controllerrevisions, owner.metadata!.namespace), name);
  }
}

/** Revisions controlled by `owner`, oldest revision first. */
export function ownedRevisions(all: RevisionObj[], owner: KubeObject): RevisionObj[] {
  return all.filter((r) => controllerRef(r)?.uid === owner.metadata?.uid).sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
}

/** Deletes the oldest revisions no pod uses, keeping `limit` (revisionHistoryLimit, default 10). */
export async function truncateHistory(client: Client, revisions: RevisionObj[], inUse: Set<string>, limit = 10): Promise<void> {
  const unused = revisions.filter((r) => !inUse.has(r.metadata!.name!));
  for (const r of unused.slice(0, Math.max(0, unused.length - limit))) {
    await client.delete(inNamespace(resources.controllerrevisions, r.metadata!.namespace), r.metadata!.name!).catch(() => {});
  }
}
