/**
 * The Job controller (upstream `job_controller.go`): runs pods until `completions` of them succeed
 * (or, without completions, until one succeeds and none is left running), at most `parallelism` at a
 * time; retries failures with exponential backoff until `backoffLimit`; fails the Job after
 * `activeDeadlineSeconds`; honours `suspend`.
 *
 * | state seen in sync                            | action                                                   |
 * | --------------------------------------------- | -------------------------------------------------------- |
 * | finished (Complete/Failed True)               | nothing                                                  |
 * | suspended                                     | delete active pods; Suspended=True                        |
 * | past activeDeadlineSeconds                    | delete active pods; FailureTarget, Failed (DeadlineExceeded) |
 * | failures > backoffLimit                       | delete active pods; FailureTarget, Failed (BackoffLimitExceeded) |
 * | enough succeeded                              | delete leftovers; SuccessCriteriaMet, Complete, completionTime |
 * | fewer active than wanted, backoff not over    | look again when it is                                    |
 * | fewer active than wanted                      | create pods (slow start, expectations)                   |
 * | more active than wanted                       | delete the extra ones (not ready and newest first)       |
 *
 * Failures count Failed pods, plus container restarts of active pods under restartPolicy OnFailure.
 * Finished pods are counted exactly once through the job-tracking finalizer (tracking.ts).
 */
import { isNotFound } from '../../api/errors.js';
import type { Pod, KubeObject } from '../../api/types.js';
import { splitMetaNamespaceKey, unwrapTombstone, type DeletedFinalStateUnknown } from '../../client/cache/keys.js';
import type { SharedIndexInformer } from '../../client/cache/shared-informer.js';
import { formatTime } from '../../client/clock.js';
import { Controller, controllerRef, type SyncResult } from '../../client/controller.js';
import type { EventRecorder } from '../../client/record/event-recorder.js';
import { inNamespace, resources } from '../../client/resource.js';
import type { ControllerContext } from '../context.js';
import { selectorOrInvalid } from '../util/selector.js';
import { claimObjects } from '../util/controller-ref-manager.js';
import { ControllerExpectations } from '../util/expectations.js';
import { compareForDeletion, controllerOwnerRef, isPodReady, podFromTemplate } from '../util/pods.js';
import { slowStartBatch } from '../util/slow-start.js';
import { hasTrackingFinalizer, removeTrackingFinalizer, trackFinishedPods, TRACKING_FINALIZER } from './tracking.js';
import { backoffDelay, finishTime, isJobFinished, isTerminal, jobCondition, setJobCondition, type JobObj, type JobStatus } from './job-util.js';

type PodObj = Pod & KubeObject;
/** Queue keys of pods (not Jobs) to check for an orphaned tracking finalizer. */
const ORPHAN_POD_PREFIX = 'pod:';

export class JobController {
  readonly controller: Controller;
  readonly expectations: ControllerExpectations;
  private readonly jobs: SharedIndexInformer<JobObj>;
  private readonly pods: SharedIndexInformer<PodObj>;
  private readonly recorder: EventRecorder;
  /**
   * When this controller first saw each Job's latest failure count (on its own clock): pod timestamps
   * have second precision, so the backoff counts from the later of the two.
   */
  private readonly failuresSeen = new Map<string, { failed: number; atMs: number }>();

  constructor(private readonly ctx: Pick<ControllerContext, 'client' | 'informers' | 'clock' | 'recorder' | 'options' | 'log'>, readonly workers = 5) {
    this.recorder = ctx.recorder('job-controller');
    this.expectations = new ControllerExpectations(ctx.clock);
    this.jobs = ctx.informers.forResource<JobObj>(resources.jobs);
    this.pods = ctx.informers.forResource<PodObj>(resources.pods);
    this.controller = new Controller({
      name: 'job-controller',
      sync: (key) => this.sync(key),
      informers: [this.jobs, this.pods],
      recorder: this.recorder,
      clock: ctx.clock,
      log: (l) => ctx.log(`job-controller: ${l}`),
    });
    this.jobs.addEventHandler(this.controller.enqueueHandler());
    const owner = (p: PodObj) => {
      const ref = controllerRef(p);
      if (ref?.kind !== 'Job') return undefined;
      const job = this.jobs.lister().namespaced(p.metadata!.namespace!).get(ref.name);
      if (job?.metadata?.uid !== ref.uid && hasTrackingFinalizer(p)) this.controller.enqueue(`${ORPHAN_POD_PREFIX}${p.metadata!.namespace}/${p.metadata!.name}`);
      return `${p.metadata!.namespace}/${ref.name}`;
    };
    this.pods.addEventHandler({
      onAdd: (p) => {
        const k = owner(p);
        if (!k) return;
        this.expectations.creationObserved(k);
        this.controller.enqueue(k);
      },
      onUpdate: (_o, p) => { const k = owner(p); if (k) this.controller.enqueue(k); },
      onDelete: (o) => {
        const p = unwrapTombstone(o as PodObj | DeletedFinalStateUnknown<PodObj>);
        const k = owner(p);
        if (!k) return;
        this.expectations.deletionObservedOf(k, p.metadata!.uid!);
        this.controller.enqueue(k);
      },
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal, this.workers);
  }

  private ownedPods(job: JobObj): PodObj[] {
    return this.pods.lister().namespaced(job.metadata!.namespace!).list().filter((p) => controllerRef(p)?.uid === job.metadata!.uid);
  }

  /** A pod still holding the tracking finalizer whose Job is gone: nothing will count it, so release it. */
  private async releaseOrphan(namespace: string, name: string): Promise<void> {
    const pod = this.pods.lister().namespaced(namespace).get(name);
    const ref = pod && controllerRef(pod);
    if (!pod || !ref || !hasTrackingFinalizer(pod)) return;
    const job = this.jobs.lister().namespaced(namespace).get(ref.name);
    if (job?.metadata?.uid === ref.uid) return;
    // The cache may lag behind a Job just created: ask the API before releasing.
    const live = await this.ctx.client.get<JobObj>(inNamespace(resources.jobs, namespace), ref.name).catch((err) => { if (isNotFound(err)) return undefined; throw err; });
    if (live?.metadata?.uid === ref.uid) return;
    await removeTrackingFinalizer(this.ctx.client, pod);
  }

  async sync(key: string): Promise<SyncResult> {
    if (key.startsWith(ORPHAN_POD_PREFIX)) {
      const { namespace, name } = splitMetaNamespaceKey(key.slice(ORPHAN_POD_PREFIX.length));
      await this.releaseOrphan(namespace, name);
      return;
    }
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cached = this.jobs.lister().namespaced(namespace).get(name);
    if (!cached) {
      this.expectations.deleteExpectations(key);
      this.failuresSeen.delete(key);
      return;
    }
    if (isJobFinished(cached) || cached.metadata?.deletionTimestamp) {
      // Nothing left to count: release every pod still held by the tracking finalizer.
      for (const p of this.ownedPods(cached)) if (hasTrackingFinalizer(p)) await removeTrackingFinalizer(this.ctx.client, p);
      return;
    }
    const job = structuredClone(cached);
    const selector = selectorOrInvalid(job, job.spec?.selector);
    const satisfied = this.expectations.satisfied(key);
    const pods = await claimObjects<PodObj>({
      client: this.ctx.client, ref: resources.pods, owner: job, ownerRef: controllerOwnerRef(job, 'batch/v1', 'Job'), selector,
      candidates: this.pods.lister().namespaced(namespace).list(),
      recheckOwner: () => this.ctx.client.get<JobObj>(inNamespace(resources.jobs, namespace), name).catch(() => undefined),
    });
    const now = this.ctx.clock.now();
    const spec = job.spec!;
    const active = pods.filter((p) => !isTerminal(p) && !p.metadata?.deletionTimestamp);
    const succeededPods = pods.filter((p) => p.status?.phase === 'Succeeded');
    const failedPods = pods.filter((p) => p.status?.phase === 'Failed');
    const status: JobStatus = structuredClone(job.status ?? {});
    await trackFinishedPods(this.ctx.client, pods, status, async (st) => {
      const copy = structuredClone(job);
      copy.status = st;
      const written = await this.ctx.client.update<JobObj>(inNamespace(resources.jobs, namespace), copy, { subresource: 'status' });
      job.metadata = written.metadata;
      job.status = structuredClone(st);
    });
    const succeeded = (status.succeeded ?? 0) + (status.uncountedTerminatedPods?.succeeded?.length ?? 0);
    const failed = (status.failed ?? 0) + (status.uncountedTerminatedPods?.failed?.length ?? 0);
    const seen = this.failuresSeen.get(key);
    if (failed > 0 && (!seen || seen.failed !== failed)) this.failuresSeen.set(key, { failed, atMs: now });
    const restarts = spec.template?.spec?.restartPolicy === 'OnFailure'
      ? active.reduce((n, p) => n + (p.status?.containerStatuses ?? []).reduce((m, c) => m + (c.restartCount ?? 0), 0), 0) : 0;
    const startNow = !status.startTime && !spec.suspend;
    if (startNow) status.startTime = formatTime(now);
    const start = status.startTime ? Date.parse(status.startTime) : now;

    let requeue: number | undefined;
    let finish: { type: 'Complete' | 'Failed'; reason: string; message: string } | undefined;
    const backoffLimit = spec.backoffLimit ?? 6;
    if (spec.activeDeadlineSeconds !== undefined && !spec.suspend && now - start >= spec.activeDeadlineSeconds * 1000) {
      finish = { type: 'Failed', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
    } else if (failed + restarts > backoffLimit) {
      finish = { type: 'Failed', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
    } else if (spec.completions !== undefined && spec.completions !== null ? succeeded >= spec.completions : succeeded > 0 && active.length === 0) {
      finish = { type: 'Complete', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' };
    }

    let activeCount = active.length;
    if (finish || spec.suspend) {
      await this.deletePods(key, job, active);
      activeCount = 0;
      if (spec.suspend && !finish) setJobCondition(status, jobCondition('Suspended', 'JobSuspended', 'Job suspended', now));
    } else if (satisfied) {
      if (status.conditions?.some((c) => c.type === 'Suspended' && c.status === 'True')) {
        status.conditions = status.conditions.map((c) => (c.type === 'Suspended' ? { ...c, status: 'False', reason: 'JobResumed', message: 'Job resumed', lastTransitionTime: formatTime(now) } : c));
      }
      const parallelism = spec.parallelism ?? 1;
      const remaining = spec.completions !== undefined && spec.completions !== null ? spec.completions - succeeded : (succeeded > 0 ? 0 : parallelism);
      const want = Math.max(0, Math.min(parallelism, remaining));
      const diff = want - active.length;
      if (diff > 0) {
        const lastFailure = Math.max(failedPods.reduce((m, p) => Math.max(m, finishTime(p)), 0), this.failuresSeen.get(key)?.atMs ?? 0);
        const delay = backoffDelay(failed, this.ctx.options.jobBackoffBaseMs, this.ctx.options.jobBackoffMaxMs);
        const readyAt = lastFailure + delay;
        if (failed > 0 && readyAt > now) {
          requeue = readyAt - now;
        } else {
          activeCount += await this.createPods(key, job, diff);
        }
      } else if (diff < 0) {
        const extra = [...active].sort(compareForDeletion).slice(0, -diff);
        await this.deletePods(key, job, extra);
        activeCount -= extra.length;
      }
      if (spec.activeDeadlineSeconds !== undefined) {
        const left = start + spec.activeDeadlineSeconds * 1000 - now;
        requeue = requeue === undefined ? left : Math.min(requeue, left);
      }
    }

    status.active = activeCount;
    status.ready = finish || spec.suspend ? 0 : active.filter(isPodReady).length;
    status.succeeded ??= 0;
    status.failed ??= 0;
    if (finish) {
      if (finish.type === 'Complete') {
        setJobCondition(status, jobCondition('SuccessCriteriaMet', finish.reason, finish.message, now));
        setJobCondition(status, jobCondition('Complete', finish.reason, finish.message, now));
        status.completionTime = formatTime(now);
        this.recorder.event(job, 'Normal', 'Completed', 'Job completed');
      } else {
        setJobCondition(status, jobCondition('FailureTarget', finish.reason, finish.message, now));
        setJobCondition(status, jobCondition('Failed', finish.reason, finish.message, now));
        this.recorder.event(job, 'Warning', finish.reason, finish.message);
      }
    }
    if (JSON.stringify(status) !== JSON.stringify(job.status ?? {})) {
      job.status = status;
      await this.ctx.client.update(inNamespace(resources.jobs, namespace), job, { subresource: 'status' });
    }
    return requeue === undefined ? undefined : { requeueAfterMs: Math.max(0, requeue) };
  }

  private async createPods(key: string, job: JobObj, n: number): Promise<number> {
    const ns = job.metadata!.namespace!;
    this.expectations.expectCreations(key, n);
    const ownerRef = controllerOwnerRef(job, 'batch/v1', 'Job');
    const { successes, error } = await slowStartBatch(n, 1, async () => {
      try {
        const template = podFromTemplate(job.spec!.template, ns, `${job.metadata!.name}-`, ownerRef);
        template.metadata!.finalizers = [...(template.metadata!.finalizers ?? []), TRACKING_FINALIZER];
        const pod = await this.ctx.client.create(inNamespace(resources.pods, ns), template);
        this.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata?.name}`);
      } catch (err) {
        this.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
        throw err;
      }
    });
    for (let i = successes; i < n; i++) this.expectations.creationObserved(key);
    if (error) throw error;
    return successes;
  }

  private async deletePods(key: string, job: JobObj, pods: PodObj[]): Promise<void> {
    if (!pods.length) return;
    this.expectations.expectDeletionsOf(key, pods.map((p) => p.metadata!.uid!));
    for (const p of pods) {
      try {
        await this.ctx.client.delete(inNamespace(resources.pods, p.metadata!.namespace), p.metadata!.name!);
        this.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata!.name}`);
      } catch (err) {
        this.expectations.deletionObservedOf(key, p.metadata!.uid!);
        if (!isNotFound(err)) throw err;
      }
    }
  }
}
