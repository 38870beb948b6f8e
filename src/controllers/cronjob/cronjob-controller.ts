/**
 * The CronJob controller (upstream `cronjob_controllerv2.go`): creates a Job from `jobTemplate` at each
 * schedule time, named `<cronjob>-<minutes since epoch>` so one schedule time yields at most one Job.
 *
 * `sync(key)`: forget finished or vanished Jobs in `status.active` (recording lastSuccessfulTime) →
 * delete finished Jobs beyond the history limits → unless suspended, find the most recent missed schedule
 * time since lastScheduleTime (or creation), bounded by `startingDeadlineSeconds` → apply
 * concurrencyPolicy (Allow; Forbid skips while a Job runs; Replace deletes the running ones) → create
 * the Job, record it in `status.active` and `lastScheduleTime` → look again at the next schedule time.
 */
import { isAlreadyExists, isNotFound } from '../../api/errors.js';
import type { CronJob, Job, KubeObject } from '../../api/types.js';
import { splitMetaNamespaceKey, unwrapTombstone, type DeletedFinalStateUnknown } from '../../client/cache/keys.js';
import type { SharedIndexInformer } from '../../client/cache/shared-informer.js';
import { formatTime } from '../../client/clock.js';
import { Controller, controllerRef, InvalidSpecError, type SyncResult } from '../../client/controller.js';
import type { EventRecorder } from '../../client/record/event-recorder.js';
import { inNamespace, resources } from '../../client/resource.js';
import type { ControllerContext } from '../context.js';
import { finishedCondition } from '../job/job-util.js';
import { controllerOwnerRef } from '../util/pods.js';
import { Schedule } from './schedule.js';

export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

type CronJobObj = CronJob & KubeObject;
type JobObj = Job & KubeObject;

/** `<name>-<minutes since the epoch>` (upstream `getJobName`). */
export function jobNameFor(cj: CronJob, scheduledMs: number): string {
  return `${cj.metadata!.name}-${Math.floor(scheduledMs / 60_000)}`;
}

export class CronJobController {
  readonly controller: Controller;
  private readonly cronjobs: SharedIndexInformer<CronJobObj>;
  private readonly jobs: SharedIndexInformer<JobObj>;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: Pick<ControllerContext, 'client' | 'informers' | 'clock' | 'recorder' | 'log'>) {
    this.recorder = ctx.recorder('cronjob-controller');
    this.cronjobs = ctx.informers.forResource<CronJobObj>(resources.cronjobs);
    this.jobs = ctx.informers.forResource<JobObj>(resources.jobs);
    this.controller = new Controller({
      name: 'cronjob-controller', sync: (k) => this.sync(k), informers: [this.cronjobs, this.jobs], recorder: this.recorder, clock: ctx.clock,
      log: (l) => ctx.log(`cronjob-controller: ${l}`),
    });
    this.cronjobs.addEventHandler(this.controller.enqueueHandler());
    const owner = (j: JobObj) => {
      const ref = controllerRef(j);
      if (ref?.kind === 'CronJob') this.controller.enqueue(`${j.metadata!.namespace}/${ref.name}`);
    };
    this.jobs.addEventHandler({ onAdd: owner, onUpdate: (_o, j) => owner(j), onDelete: (j) => owner(unwrapTombstone(j as JobObj | DeletedFinalStateUnknown<JobObj>)) });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal, 2);
  }

  async sync(key: string): Promise<SyncResult> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cached = this.cronjobs.lister().namespaced(namespace).get(name);
    if (!cached || cached.metadata?.deletionTimestamp) return;
    const cj = structuredClone(cached);
    const now = this.ctx.clock.now();
    const jobsRef = inNamespace(resources.jobs, namespace);
    const owned = this.jobs.lister().namespaced(namespace).list().filter((j) => controllerRef(j)?.uid === cj.metadata!.uid);
    const status = structuredClone(cj.status ?? {});

    // 1. status.active: only Jobs that exist and have not finished.
    const running = owned.filter((j) => !finishedCondition(j));
    for (const j of owned) {
      const done = finishedCondition(j);
      if (done?.type === 'Complete' && status.active?.some((a) => a.uid === j.metadata!.uid)) {
        const t = j.status?.completionTime ?? done.lastTransitionTime;
        if (t && (!status.lastSuccessfulTime || Date.parse(t) > Date.parse(status.lastSuccessfulTime))) status.lastSuccessfulTime = t;
        this.recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata!.name}, condition: Complete`);
      }
    }
    status.active = (status.active ?? []).filter((a) => running.some((j) => j.metadata!.uid === a.uid));
    // Jobs we own that are running but missing from active (e.g. after a failed status write).
    for (const j of running) if (!status.active.some((a) => a.uid === j.metadata!.uid)) status.active.push(this.reference(j));

    // 2. history limits.
    await this.cleanupHistory(cj, owned);

    let requeue: number | undefined;
    let schedule: Schedule | undefined;
    try {
      schedule = Schedule.parse(cj.spec!.schedule, cj.spec?.timeZone);
    } catch (err) {
      this.recorder.event(cj, 'Warning', 'UnparseableSchedule', (err as Error).message);
      await this.writeStatus(cj, status);
      throw new InvalidSpecError((err as Error).message, cj, 'InvalidSchedule');
    }
    if (!cj.spec?.suspend) {
      const created = Date.parse(cj.metadata?.creationTimestamp ?? '') || now;
      let earliest = status.lastScheduleTime ? Date.parse(status.lastScheduleTime) : created;
      const sds = cj.spec?.startingDeadlineSeconds;
      if (sds !== undefined && sds !== null) earliest = Math.max(earliest, now - sds * 1000 - 1);
      const scheduled = schedule.mostRecent(earliest, now);
      if (scheduled !== undefined) {
        const jobName = jobNameFor(cj, scheduled);
        const policy = cj.spec?.concurrencyPolicy ?? 'Allow';
        if (status.active.some((a) => a.name === jobName)) {
          // Already started for this time.
        } else if (policy === 'Forbid' && status.active.length > 0) {
          this.recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
          // Retry this schedule time when the running Job finishes (its update enqueues us).
        } else {
          if (policy === 'Replace') {
            for (const a of status.active) {
              await this.ctx.client.delete(jobsRef, a.name!, { propagationPolicy: 'Background' }).catch((err) => { if (!isNotFound(err)) throw err; });
              this.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${a.name}`);
            }
            status.active = [];
          }
          const job = await this.createJob(cj, jobName, scheduled);
          if (job) status.active.push(this.reference(job));
          status.lastScheduleTime = formatTime(scheduled);
        }
      }
      requeue = schedule.next(now) - now + 100;
    }
    await this.writeStatus(cj, status);
    return requeue === undefined ? undefined : { requeueAfterMs: requeue };
  }

  private reference(j: JobObj) {
    return { kind: 'Job', namespace: j.metadata!.namespace!, name: j.metadata!.name!, uid: j.metadata!.uid!, apiVersion: 'batch/v1', resourceVersion: j.metadata!.resourceVersion! };
  }

  private async createJob(cj: CronJobObj, name: string, scheduled: number): Promise<JobObj | undefined> {
    const tmpl = cj.spec!.jobTemplate;
    const job: JobObj = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace: cj.metadata!.namespace!,
        labels: { ...tmpl.metadata?.labels },
        annotations: { ...tmpl.metadata?.annotations, [SCHEDULED_TIMESTAMP_ANNOTATION]: formatTime(scheduled) },
        ownerReferences: [controllerOwnerRef(cj, 'batch/v1', 'CronJob')],
      },
      spec: structuredClone(tmpl.spec),
    };
    try {
      const created = await this.ctx.client.create<JobObj>(inNamespace(resources.jobs, cj.metadata!.namespace), job);
      this.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${name}`);
      return created;
    } catch (err) {
      if (isAlreadyExists(err)) return undefined;
      this.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${(err as Error).message}`);
      throw err;
    }
  }

  /** Deletes the oldest finished Jobs past successfulJobsHistoryLimit / failedJobsHistoryLimit. */
  private async cleanupHistory(cj: CronJobObj, owned: JobObj[]): Promise<void> {
    const byStart = (a: JobObj, b: JobObj) => (Date.parse(a.status?.startTime ?? a.metadata?.creationTimestamp ?? '') || 0) - (Date.parse(b.status?.startTime ?? b.metadata?.creationTimestamp ?? '') || 0);
    for (const [type, limit] of [['Complete', cj.spec?.successfulJobsHistoryLimit], ['Failed', cj.spec?.failedJobsHistoryLimit]] as const) {
      if (limit === undefined || limit === null) continue;
      const done = owned.filter((j) => finishedCondition(j)?.type === type && !j.metadata?.deletionTimestamp).sort(byStart);
      for (const j of done.slice(0, Math.max(0, done.length - limit))) {
        await this.ctx.client.delete(inNamespace(resources.jobs, j.metadata!.namespace), j.metadata!.name!, { propagationPolicy: 'Background' })
          .catch((err) => { if (!isNotFound(err)) throw err; });
        this.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata!.name}`);
      }
    }
  }

  private async writeStatus(cj: CronJobObj, status: NonNullable<CronJob['status']>): Promise<void> {
    if (!status.active?.length) delete status.active;
    if (JSON.stringify(status) === JSON.stringify(cj.status ?? {})) return;
    cj.status = status;
    await this.ctx.client.update(inNamespace(resources.cronjobs, cj.metadata!.namespace), cj, { subresource: 'status' });
  }
}
