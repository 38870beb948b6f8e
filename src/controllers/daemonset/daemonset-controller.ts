/**
 * The DaemonSet controller (upstream `daemon_controller.go` + `update.go`): one pod per eligible node
 * (placement.ts), following nodes as they come, go and change; each pod pinned to its node by a
 * required node affinity on `metadata.name` (the scheduler binds it). Templates are kept as
 * ControllerRevisions; pods carry the revision's hash in `controller-revision-hash`.
 *
 * `sync(key)`: per node — create the missing daemon pod, delete failed ones and extras, delete pods on
 * nodes that should no longer run one; RollingUpdate deletes old-revision pods while fewer than
 * `maxUnavailable` (default 1) daemon pods are unavailable, and the deleted ones come back new; then
 * status (desired/current/misscheduled/ready/updated/available/unavailable).
 */
import { isNotFound } from '../../api/errors.js';
import type { DaemonSet, KubeObject, Node, Pod } from '../../api/types.js';
import { splitMetaNamespaceKey } from '../../client/cache/keys.js';
import type { SharedIndexInformer } from '../../client/cache/shared-informer.js';
import { Controller, type SyncResult } from '../../client/controller.js';
import type { EventRecorder } from '../../client/record/event-recorder.js';
import { inNamespace, resources } from '../../client/resource.js';
import type { ControllerContext } from '../context.js';
import { selectorOrInvalid } from '../util/selector.js';
import { claimObjects } from '../util/controller-ref-manager.js';
import { scaledValue } from '../util/intstr.js';
import { controllerOwnerRef, isPodAvailable, isPodReady, podFromTemplate } from '../util/pods.js';
import { ensureRevision, ownedRevisions, REVISION_HASH_LABEL, truncateHistory, type RevisionObj } from '../util/revisions.js';
import { nodeShouldRunDaemonPod, pinToNode } from './placement.js';

type DsObj = DaemonSet & KubeObject;
type PodObj = Pod & KubeObject;
type NodeObj = Node & KubeObject;

/** The node a daemon pod is for: its nodeName, else its metadata.name node affinity. */
export function daemonPodNode(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  return terms.flatMap((t) => t.matchFields ?? []).find((f) => f.key === 'metadata.name' && f.operator === 'In')?.values?.[0];
}

export class DaemonSetController {
  readonly controller: Controller;
  private readonly sets: SharedIndexInformer<DsObj>;
  private readonly pods: SharedIndexInformer<PodObj>;
  private readonly nodes: SharedIndexInformer<NodeObj>;
  private readonly revisions: SharedIndexInformer<RevisionObj>;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: Pick<ControllerContext, 'client' | 'informers' | 'clock' | 'recorder' | 'log'>) {
    this.recorder = ctx.recorder('daemonset-controller');
    this.sets = ctx.informers.forResource<DsObj>(resources.daemonsets);
    this.pods = ctx.informers.forResource<PodObj>(resources.pods);
    this.nodes = ctx.informers.forResource<NodeObj>(resources.nodes);
    this.revisions = ctx.informers.forResource<RevisionObj>(resources.controllerrevisions);
    this.controller = new Controller({
      name: 'daemonset-controller', sync: (k) => this.sync(k), informers: [this.sets, this.pods, this.nodes, this.revisions],
      recorder: this.recorder, clock: ctx.clock, log: (l) => ctx.log(`daemonset-controller: ${l}`),
    });
    this.sets.addEventHandler(this.controller.enqueueHandler());
    this.pods.addEventHandler(this.controller.ownerHandler('DaemonSet'));
    const allSets = () => { for (const ds of this.sets.lister().list()) this.controller.enqueue(ds); };
    this.nodes.addEventHandler({
      onAdd: allSets,
      onDelete: allSets,
      onUpdate: (o, n) => {
        if (JSON.stringify([o.metadata?.labels, o.spec?.taints]) !== JSON.stringify([n.metadata?.labels, n.spec?.taints])) allSets();
      },
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal, 2);
  }

  async sync(key: string): Promise<SyncResult> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cached = this.sets.lister().namespaced(namespace).get(name);
    if (!cached || cached.metadata?.deletionTimestamp) return;
    const ds = structuredClone(cached);
    const selector = selectorOrInvalid(ds, ds.spec?.selector);
    const client = this.ctx.client;
    const podsRef = inNamespace(resources.pods, namespace);
    const pods = await claimObjects<PodObj>({
      client, ref: resources.pods, owner: ds, ownerRef: controllerOwnerRef(ds, 'apps/v1', 'DaemonSet'), selector,
      candidates: this.pods.lister().namespaced(namespace).list(),
      recheckOwner: () => client.get<DsObj>(inNamespace(resources.daemonsets, namespace), name).catch(() => undefined),
    });
    const revisions = ownedRevisions(this.revisions.lister().namespaced(namespace).list(), ds);
    const rev = await ensureRevision(client, ds, 'DaemonSet', ds.spec?.template, revisions, ds.status?.collisionCount);
    const hash = rev.metadata!.labels![REVISION_HASH_LABEL]!;
    const now = this.ctx.clock.now();
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const byNode = new Map<string, PodObj[]>();
    for (const p of pods) {
      const n = daemonPodNode(p);
      if (n) byNode.set(n, [...(byNode.get(n) ?? []), p]);
    }
    const del = async (p: PodObj) => {
      await client.delete(podsRef, p.metadata!.name!).catch((err) => { if (!isNotFound(err)) throw err; });
      this.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata!.name}`);
    };
    let desired = 0;
    let misscheduled = 0;
    const daemonPods: PodObj[] = [];
    for (const node of this.nodes.lister().list()) {
      const nodeName = node.metadata!.name!;
      const should = nodeShouldRunDaemonPod(node, ds.spec!.template.spec!);
      const here = (byNode.get(nodeName) ?? []).filter((p) => !p.metadata?.deletionTimestamp);
      byNode.delete(nodeName);
      if (!should) {
        if (here.some((p) => p.spec?.nodeName)) misscheduled++;
        for (const p of here) await del(p);
        continue;
      }
      desired++;
      const failed = here.filter((p) => p.status?.phase === 'Failed');
      for (const p of failed) await del(p);
      const ok = here.filter((p) => p.status?.phase !== 'Failed');
      if (ok.length === 0) {
        const pod = podFromTemplate(ds.spec!.template, namespace, `${name}-`, controllerOwnerRef(ds, 'apps/v1', 'DaemonSet'));
        pod.metadata!.labels = { ...pod.metadata!.labels, [REVISION_HASH_LABEL]: hash };
        pinToNode(pod, nodeName);
        const created = await client.create(podsRef, pod);
        this.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name}`);
        continue;
      }
      // Keep the oldest one; extras go.
      const sorted = [...ok].sort((a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? ''));
      for (const p of sorted.slice(1)) await del(p);
      daemonPods.push(sorted[0]!);
    }
    // Pods for nodes that no longer exist.
    for (const left of byNode.values()) for (const p of left) if (!p.metadata?.deletionTimestamp) await del(p);

    if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
      const maxUnavailable = scaledValue(ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable as number | string | undefined, desired, true, 1);
      let unavailable = (desired - daemonPods.length) + daemonPods.filter((p) => !isPodAvailable(p, minReady, now)).length;
      for (const p of daemonPods) {
        if (p.metadata?.labels?.[REVISION_HASH_LABEL] === hash) continue;
        const podAvailable = isPodAvailable(p, minReady, now);
        if (podAvailable && unavailable >= maxUnavailable) continue;
        await del(p);
        if (podAvailable) unavailable++;
      }
    }
    const scheduled = daemonPods.filter((p) => p.spec?.nodeName);
    const available = daemonPods.filter((p) => isPodAvailable(p, minReady, now)).length;
    const status = {
      currentNumberScheduled: scheduled.length,
      numberMisscheduled: misscheduled,
      desiredNumberScheduled: desired,
      numberReady: daemonPods.filter(isPodReady).length,
      observedGeneration: ds.metadata?.generation ?? 0,
      updatedNumberScheduled: scheduled.filter((p) => p.metadata?.labels?.[REVISION_HASH_LABEL] === hash).length,
      numberAvailable: available,
      numberUnavailable: Math.max(0, desired - available),
    };
    if (JSON.stringify({ ...ds.status, ...status }) !== JSON.stringify(ds.status ?? {})) {
      ds.status = { ...ds.status, ...status };
      await client.update(inNamespace(resources.daemonsets, namespace), ds, { subresource: 'status' });
    }
    const all = revisions.some((r) => r.metadata!.uid === rev.metadata!.uid) ? revisions : [...revisions, rev];
    const inUse = new Set(pods.map((p) => `${name}-${p.metadata?.labels?.[REVISION_HASH_LABEL] ?? ''}`).concat(rev.metadata!.name!));
    await truncateHistory(client, all, inUse, ds.spec?.revisionHistoryLimit ?? 10);
    return undefined;
  }
}
