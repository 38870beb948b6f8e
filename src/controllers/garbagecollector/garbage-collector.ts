/**
 * The garbage collector (upstream `garbagecollector.go`): cascading deletion by ownerReferences.
 *
 * It watches every resource discovery reports as listable, watchable and deletable (Events excepted;
 * discovery is read again every `discoveryResyncMs`),
 * indexes who owns whom (owners.ts), and syncs one object at a time, keyed `gvr|namespace/name`:
 *
 * | the object …                                             | the GC …                                                      |
 * | -------------------------------------------------------- | ------------------------------------------------------------- |
 * | is being deleted with the `orphan` finalizer              | removes its ownerReference from every dependent, then the finalizer |
 * | is being deleted with the `foregroundDeletion` finalizer  | deletes its dependents (foreground); once none that blocks (`blockOwnerDeletion`) is left, removes the finalizer |
 * | has owners, none of which exists (checked live)           | deletes it (Background, or Foreground when an owner waits for it) |
 * | has some owners that exist and some that do not           | removes the references to the missing ones                    |
 *
 * The API server adds the finalizers on DELETE according to `propagationPolicy` (Background: none, so
 * the owner goes at once and its dependents follow as orphans of a missing owner).
 */
import { isConflict, isNotFound } from '../../api/errors.js';
import type { KubeObject, OwnerReference } from '../../api/types.js';
import type { SharedIndexInformer } from '../../client/cache/shared-informer.js';
import { unwrapTombstone, type DeletedFinalStateUnknown } from '../../client/cache/keys.js';
import { Controller, type SyncResult } from '../../client/controller.js';
import { inNamespace } from '../../client/resource.js';
import type { ControllerContext } from '../context.js';
import type { DiscoveredResource } from '../util/discovery.js';
import { gvrKey, nodeKey, OwnershipIndex, parseNodeKey } from './owners.js';

export const FOREGROUND = 'foregroundDeletion';
export const ORPHAN = 'orphan';
export const GC_WORKERS = 5;

/** Resources the GC never watches: too many, and never owners. */
const IGNORED = new Set(['/v1/events', 'events.k8s.io/v1/events']);

export function collectable(r: DiscoveredResource): boolean {
  return ['list', 'watch', 'delete'].every((v) => r.verbs.includes(v)) && !IGNORED.has(gvrKey(r));
}

type OwnerState = 'solid' | 'dangling' | 'waiting';

export class GarbageCollector {
  readonly controller: Controller;
  readonly index = new OwnershipIndex();
  private readonly informers = new Map<string, { resource: DiscoveredResource; informer: SharedIndexInformer<KubeObject> }>();

  constructor(private readonly ctx: Pick<ControllerContext, 'client' | 'informers' | 'clock' | 'discovery' | 'options' | 'log'>, readonly workers = GC_WORKERS) {
    this.controller = new Controller({
      name: 'garbage-collector',
      sync: (key) => this.sync(key),
      clock: ctx.clock,
      log: (l) => ctx.log(`garbage-collector: ${l}`),
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.watchResources(signal);
    await this.ctx.informers.waitForCacheSync(signal);
    // Resources that appear later (new API groups) are picked up at each discovery resync.
    const resync = async () => {
      while (!signal.aborted) {
        await this.ctx.clock.sleep(this.ctx.options.discoveryResyncMs, signal).catch(() => {});
        if (signal.aborted) return;
        await this.watchResources(signal).catch((err) => this.ctx.log(`garbage-collector: discovery: ${(err as Error).message}`));
      }
    };
    await Promise.all([this.controller.run(signal, this.workers), resync()]);
  }

  /** Starts an informer for every collectable resource (once each). Exposed for tests. */
  async watchResources(signal: AbortSignal): Promise<void> {
    const all = await this.ctx.discovery.resources();
    this.index.setResources(all);
    for (const r of all.filter(collectable)) {
      const k = gvrKey(r);
      if (this.informers.has(k)) continue;
      const informer = this.ctx.informers.forResource<KubeObject>(r);
      this.informers.set(k, { resource: r, informer });
      informer.addEventHandler({
        onAdd: (o) => this.observe(r, undefined, o),
        onUpdate: (old, o) => this.observe(r, old, o),
        onDelete: (o) => this.gone(r, unwrapTombstone(o as KubeObject | DeletedFinalStateUnknown<KubeObject>)),
      });
    }
    this.ctx.informers.start(signal);
  }

  private observe(r: DiscoveredResource, old: KubeObject | undefined, obj: KubeObject): void {
    this.index.upsert(r, obj);
    const m = obj.metadata ?? {};
    const deleting = Boolean(m.deletionTimestamp);
    const fins = m.finalizers ?? [];
    if (deleting && (fins.includes(ORPHAN) || fins.includes(FOREGROUND))) {
      this.controller.enqueue(nodeKey(r, obj));
      // Dependents of an owner now waiting for them must go (foreground).
      if (fins.includes(FOREGROUND)) for (const k of this.index.dependentsOf(m.uid!)) this.controller.enqueue(k);
    }
    const refsChanged = !old || JSON.stringify(old.metadata?.ownerReferences ?? []) !== JSON.stringify(m.ownerReferences ?? []);
    if (m.ownerReferences?.length && refsChanged) this.controller.enqueue(nodeKey(r, obj));
  }

  private gone(_r: DiscoveredResource, obj: KubeObject): void {
    const uid = obj.metadata?.uid;
    this.index.remove(obj);
    if (!uid) return;
    for (const k of this.index.dependentsOf(uid)) this.controller.enqueue(k);
    // An owner waiting in foreground deletion re-checks whether anything still blocks it.
    for (const ref of obj.metadata?.ownerReferences ?? []) {
      const owner = this.index.get(ref.uid);
      if (owner?.obj.metadata?.deletionTimestamp) this.controller.enqueue(nodeKey(owner.resource, owner.obj));
    }
  }

  private current(key: string): { resource: DiscoveredResource; obj: KubeObject } | undefined {
    const { gvr, namespace, name } = parseNodeKey(key);
    const entry = this.informers.get(gvr);
    if (!entry) return undefined;
    const obj = namespace ? entry.informer.lister().namespaced(namespace).get(name) : entry.informer.lister().get(name);
    return obj ? { resource: entry.resource, obj } : undefined;
  }

  private refFor(r: DiscoveredResource, namespace: string | undefined) {
    return inNamespace(r, r.namespaced ? namespace : undefined);
  }

  async sync(key: string): Promise<SyncResult> {
    const cur = this.current(key);
    if (!cur) return;
    const { resource, obj } = cur;
    const m = obj.metadata!;
    const fins = m.finalizers ?? [];
    if (m.deletionTimestamp && fins.includes(ORPHAN)) return this.orphanDependents(resource, obj);
    if (m.deletionTimestamp && fins.includes(FOREGROUND)) return this.deleteDependentsInForeground(resource, obj);
    if (m.deletionTimestamp || !m.ownerReferences?.length) return;
    return this.attemptToDelete(resource, obj);
  }

  /** Classifies each owner: present (solid), gone or replaced (dangling), or being deleted in foreground (waiting). */
  private async ownerState(dependent: KubeObject, ref: OwnerReference): Promise<OwnerState> {
    const cached = this.index.get(ref.uid);
    if (cached && !cached.obj.metadata?.deletionTimestamp) return 'solid';
    const r = this.index.resolve(ref);
    if (!r) return 'solid'; // an owner of a kind we cannot look up is never assumed gone
    try {
      const live = await this.ctx.client.get(this.refFor(r, dependent.metadata?.namespace), ref.name);
      if (live.metadata?.uid !== ref.uid) return 'dangling';
      return live.metadata?.deletionTimestamp && live.metadata.finalizers?.includes(FOREGROUND) ? 'waiting' : 'solid';
    } catch (err) {
      if (isNotFound(err)) return 'dangling';
      throw err;
    }
  }

  private async attemptToDelete(resource: DiscoveredResource, obj: KubeObject): Promise<void> {
    const refs = obj.metadata!.ownerReferences!;
    const states = await Promise.all(refs.map((r) => this.ownerState(obj, r)));
    const apiRef = this.refFor(resource, obj.metadata?.namespace);
    if (states.includes('solid')) {
      const drop = refs.filter((_, i) => states[i] !== 'solid').map((r) => r.uid);
      if (drop.length === 0) return;
      await this.patchOwnerRefs(resource, obj, refs.filter((r) => !drop.includes(r.uid)));
      return;
    }
    // Every owner is gone or waiting: the object goes too. It blocks a waiting owner → foreground, so its
    // own dependents go before it and the owner keeps waiting.
    const blocksWaiting = refs.some((r, i) => states[i] === 'waiting' && r.blockOwnerDeletion);
    const policy = blocksWaiting ? 'Foreground' : 'Background';
    try {
      await this.ctx.client.delete(apiRef, obj.metadata!.name!, { propagationPolicy: policy, preconditions: { uid: obj.metadata!.uid! } });
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }

  private dependents(uid: string): { resource: DiscoveredResource; obj: KubeObject }[] {
    return this.index.dependentsOf(uid).map((k) => this.current(k)).filter((x): x is { resource: DiscoveredResource; obj: KubeObject } => x !== undefined);
  }

  private async orphanDependents(resource: DiscoveredResource, owner: KubeObject): Promise<void> {
    const uid = owner.metadata!.uid!;
    for (const d of this.dependents(uid)) {
      const refs = d.obj.metadata?.ownerReferences ?? [];
      if (!refs.some((r) => r.uid === uid)) continue;
      await this.patchOwnerRefs(d.resource, d.obj, refs.filter((r) => r.uid !== uid));
    }
    await this.removeFinalizer(resource, owner, ORPHAN);
  }

  private async deleteDependentsInForeground(resource: DiscoveredResource, owner: KubeObject): Promise<SyncResult> {
    const uid = owner.metadata!.uid!;
    const deps = this.dependents(uid);
    const blocking = deps.filter((d) => d.obj.metadata?.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion));
    if (blocking.length === 0) {
      await this.removeFinalizer(resource, owner, FOREGROUND);
      return;
    }
    // Dependents are deleted by their own sync (their owner is now "waiting"); make sure they are queued.
    for (const d of deps) if (!d.obj.metadata?.deletionTimestamp) this.controller.enqueue(nodeKey(d.resource, d.obj));
    return undefined;
  }

  private async patchOwnerRefs(resource: DiscoveredResource, obj: KubeObject, keep: OwnerReference[]): Promise<void> {
    try {
      await this.ctx.client.patch(this.refFor(resource, obj.metadata?.namespace), obj.metadata!.name!, 'merge', {
        metadata: { ownerReferences: keep.length ? keep : null, uid: obj.metadata!.uid, resourceVersion: obj.metadata!.resourceVersion },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async removeFinalizer(resource: DiscoveredResource, obj: KubeObject, finalizer: string): Promise<void> {
    const rest = (obj.metadata?.finalizers ?? []).filter((f) => f !== finalizer);
    try {
      await this.ctx.client.patch(this.refFor(resource, obj.metadata?.namespace), obj.metadata!.name!, 'merge', {
        metadata: { finalizers: rest.length ? rest : null, resourceVersion: obj.metadata!.resourceVersion },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
