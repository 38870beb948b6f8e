/**
 * The StatefulSet controller (upstream `stateful_set_control.go`): pods `<set>-0 … <set>-(N-1)` with
 * stable names, hostnames (`subdomain` = serviceName) and PersistentVolumeClaims from
 * `volumeClaimTemplates` (`<template>-<set>-<ordinal>`, created before the pod, kept on scale-down).
 *
 * One sync, in order:
 * 1. the ControllerRevision of the current template (updateRevision); currentRevision from status;
 * 2. failed pods are deleted (recreated next pass);
 * 3. missing ordinals below `replicas` are created, lowest first — with OrderedReady, one at a time and
 *    only while every lower ordinal is Running and Ready;
 * 4. ordinals at or above `replicas` are deleted, highest first (OrderedReady: one at a time, once the
 *    rest are healthy);
 * 5. RollingUpdate: once all are healthy, the highest ordinal at or above `partition` that is not at
 *    updateRevision is deleted, to come back at it; OnDelete leaves that to the user;
 * 6. status: replicas, ready/available/current/updated counts, revisions, observedGeneration.
 */
import { isAlreadyExists, isNotFound } from '../../api/errors.js';
import type { KubeObject, PersistentVolumeClaim, PodTemplateSpec } from '../../api/types.js';
import { splitMetaNamespaceKey } from '../../client/cache/keys.js';
import type { SharedIndexInformer } from '../../client/cache/shared-informer.js';
import { Controller, type SyncResult } from '../../client/controller.js';
import type { EventRecorder } from '../../client/record/event-recorder.js';
import { inNamespace, resources } from '../../client/resource.js';
import type { ControllerContext } from '../context.js';
import { selectorOrInvalid } from '../util/selector.js';
import { claimObjects } from '../util/controller-ref-manager.js';
import { controllerOwnerRef, isPodAvailable, isPodReady } from '../util/pods.js';
import { ensureRevision, ownedRevisions, REVISION_HASH_LABEL, revisionTemplate, truncateHistory, type RevisionObj } from '../util/revisions.js';
import { claimsFor, isFailed, isRunningAndReady, newStatefulPod, ordinalOf, type PodObj, type SetObj } from './stateful-pods.js';

export class StatefulSetController {
  readonly controller: Controller;
  private readonly sets: SharedIndexInformer<SetObj>;
  private readonly pods: SharedIndexInformer<PodObj>;
  private readonly claims: SharedIndexInformer<PersistentVolumeClaim & KubeObject>;
  private readonly revisions: SharedIndexInformer<RevisionObj>;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: Pick<ControllerContext, 'client' | 'informers' | 'clock' | 'recorder' | 'log'>) {
    this.recorder = ctx.recorder('statefulset-controller');
    this.sets = ctx.informers.forResource<SetObj>(resources.statefulsets);
    this.pods = ctx.informers.forResource<PodObj>(resources.pods);
    this.claims = ctx.informers.forResource<PersistentVolumeClaim & KubeObject>(resources.persistentvolumeclaims);
    this.revisions = ctx.informers.forResource<RevisionObj>(resources.controllerrevisions);
    this.controller = new Controller({
      name: 'statefulset-controller', sync: (k) => this.sync(k), informers: [this.sets, this.pods, this.claims, this.revisions],
      recorder: this.recorder, clock: ctx.clock, log: (l) => ctx.log(`statefulset-controller: ${l}`),
    });
    this.sets.addEventHandler(this.controller.enqueueHandler());
    this.pods.addEventHandler(this.controller.ownerHandler('StatefulSet'));
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal, 2);
  }

  async sync(key: string): Promise<SyncResult> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cached = this.sets.lister().namespaced(namespace).get(name);
    if (!cached) return;
    const set = structuredClone(cached);
    const selector = selectorOrInvalid(set, set.spec?.selector);
    const client = this.ctx.client;
    const podsRef = inNamespace(resources.pods, namespace);
    const claimed = (await claimObjects<PodObj>({
      client, ref: resources.pods, owner: set, ownerRef: controllerOwnerRef(set, 'apps/v1', 'StatefulSet'), selector,
      candidates: this.pods.lister().namespaced(namespace).list().filter((p) => ordinalOf(set, p) >= 0),
      recheckOwner: () => client.get<SetObj>(inNamespace(resources.statefulsets, namespace), name).catch(() => undefined),
    }));
    const revisions = ownedRevisions(this.revisions.lister().namespaced(namespace).list(), set);
    const update = await ensureRevision(client, set, 'StatefulSet', set.spec?.template, revisions, set.status?.collisionCount);
    const all = revisions.some((r) => r.metadata!.uid === update.metadata!.uid) ? revisions : [...revisions, update];
    const currentName = set.status?.currentRevision && all.some((r) => r.metadata!.name === set.status!.currentRevision) ? set.status.currentRevision : update.metadata!.name!;
    const current = all.find((r) => r.metadata!.name === currentName)!;
    const replicas = set.spec?.replicas ?? 1;
    const ordered = (set.spec?.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady';
    const strategy = set.spec?.updateStrategy?.type ?? 'RollingUpdate';
    const partition = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    const byOrdinal = new Map<number, PodObj>();
    for (const p of claimed) byOrdinal.set(ordinalOf(set, p), p);
    // Below the partition a rolling update keeps the current revision; everything else is made at the update revision.
    const revisionFor = (ord: number): RevisionObj => (strategy === 'RollingUpdate' && ord < partition ? current : update);

    let blocked = false;
    // 2–3. replace failed pods, create missing ones.
    for (let ord = 0; ord < replicas && !blocked; ord++) {
      const pod = byOrdinal.get(ord);
      if (pod && isFailed(pod) && !pod.metadata?.deletionTimestamp) {
        await client.delete(podsRef, pod.metadata!.name!).catch((err) => { if (!isNotFound(err)) throw err; });
        this.recorder.event(set, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata!.name} in StatefulSet ${name} successful`);
        byOrdinal.delete(ord);
        if (ordered) blocked = true;
        continue;
      }
      if (!pod) {
        const rev = revisionFor(ord);
        await this.createPod(set, revisionTemplate(rev) ?? set.spec!.template, rev.metadata!.name!, ord);
        if (ordered) blocked = true;
        continue;
      }
      if (ordered && !isRunningAndReady(pod)) blocked = true;
    }
    // 4. scale down, highest ordinal first.
    const condemned = [...byOrdinal.keys()].filter((o) => o >= replicas).sort((a, b) => b - a);
    const healthy = [...byOrdinal.entries()].filter(([o]) => o < replicas).every(([, p]) => isRunningAndReady(p));
    for (const ord of condemned) {
      if (blocked || (ordered && !healthy)) break;
      const pod = byOrdinal.get(ord)!;
      if (pod.metadata?.deletionTimestamp) {
        if (ordered) blocked = true;
        continue;
      }
      await client.delete(podsRef, pod.metadata!.name!).catch((err) => { if (!isNotFound(err)) throw err; });
      this.recorder.event(set, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata!.name} in StatefulSet ${name} successful`);
      if (ordered) blocked = true;
    }
    // 5. rolling update, highest ordinal first, one at a time.
    if (!blocked && strategy === 'RollingUpdate' && condemned.length === 0) {
      const allHealthy = [...byOrdinal.values()].every(isRunningAndReady);
      for (let ord = replicas - 1; ord >= partition && allHealthy; ord--) {
        const pod = byOrdinal.get(ord);
        if (!pod || pod.metadata?.labels?.[REVISION_HASH_LABEL] === update.metadata!.name) continue;
        await client.delete(podsRef, pod.metadata!.name!).catch((err) => { if (!isNotFound(err)) throw err; });
        this.recorder.event(set, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata!.name} in StatefulSet ${name} successful`);
        break;
      }
    }
    // 6. status.
    const live = [...byOrdinal.values()];
    const rev = (p: PodObj) => p.metadata?.labels?.[REVISION_HASH_LABEL];
    const updatedReplicas = live.filter((p) => rev(p) === update.metadata!.name).length;
    const status = {
      observedGeneration: set.metadata?.generation ?? 0,
      replicas: live.length,
      readyReplicas: live.filter(isPodReady).length,
      availableReplicas: live.filter((p) => isPodAvailable(p, set.spec?.minReadySeconds ?? 0, this.ctx.clock.now())).length,
      currentReplicas: live.filter((p) => rev(p) === currentName).length,
      updatedReplicas,
      currentRevision: updatedReplicas === replicas && live.length === replicas && live.every(isRunningAndReady) ? update.metadata!.name! : currentName,
      updateRevision: update.metadata!.name!,
      collisionCount: set.status?.collisionCount ?? 0,
    };
    if (status.currentRevision === update.metadata!.name) status.currentReplicas = updatedReplicas;
    if (JSON.stringify({ ...set.status, ...status }) !== JSON.stringify(set.status ?? {})) {
      set.status = { ...set.status, ...status };
      await client.update(inNamespace(resources.statefulsets, namespace), set, { subresource: 'status' });
    }
    await truncateHistory(client, all, new Set([currentName, update.metadata!.name!, ...live.map((p) => rev(p) ?? '')]), set.spec?.revisionHistoryLimit ?? 10);
    return undefined;
  }

  private async createPod(set: SetObj, template: PodTemplateSpec, revisionName: string, ordinal: number): Promise<void> {
    const ns = set.metadata!.namespace!;
    for (const claim of claimsFor(set, ordinal)) {
      if (this.claims.lister().namespaced(ns).get(claim.metadata!.name!)) continue;
      try {
        await this.ctx.client.create(inNamespace(resources.persistentvolumeclaims, ns), claim);
        this.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${claim.metadata!.name} Pod ${set.metadata!.name}-${ordinal} in StatefulSet ${set.metadata!.name} success`);
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    }
    const pod = newStatefulPod(set, template, revisionName, ordinal);
    try {
      await this.ctx.client.create(inNamespace(resources.pods, ns), pod);
      this.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata!.name} in StatefulSet ${set.metadata!.name} successful`);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
}
