/**
 * The TTL-after-finished controller (upstream `ttlafterfinished`): a finished Job with
 * `ttlSecondsAfterFinished` is deleted (foreground, so its pods go first) that many seconds after it
 * finished; until then its key is looked at again when the time comes.
 */
import { isNotFound } from '../../api/errors.js';
import { splitMetaNamespaceKey } from '../../client/cache/keys.js';
import type { SharedIndexInformer } from '../../client/cache/shared-informer.js';
import { Controller, type SyncResult } from '../../client/controller.js';
import { inNamespace, resources } from '../../client/resource.js';
import type { ControllerContext } from '../context.js';
import { finishedCondition, type JobObj } from './job-util.js';

export class TTLAfterFinishedController {
  readonly controller: Controller;
  private readonly jobs: SharedIndexInformer<JobObj>;

  constructor(private readonly ctx: Pick<ControllerContext, 'client' | 'informers' | 'clock' | 'log'>) {
    this.jobs = ctx.informers.forResource<JobObj>(resources.jobs);
    this.controller = new Controller({ name: 'ttl-after-finished-controller', sync: (k) => this.sync(k), informers: [this.jobs], clock: ctx.clock, log: (l) => ctx.log(`ttl-after-finished-controller: ${l}`) });
    this.jobs.addEventHandler({ onAdd: (j) => this.enqueueIfNeeded(j), onUpdate: (_o, j) => this.enqueueIfNeeded(j) });
  }

  private enqueueIfNeeded(j: JobObj): void {
    if (j.spec?.ttlSecondsAfterFinished !== undefined && !j.metadata?.deletionTimestamp && finishedCondition(j)) this.controller.enqueue(j);
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal, 2);
  }

  async sync(key: string): Promise<SyncResult> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const job = this.jobs.lister().namespaced(namespace).get(name);
    const ttl = job?.spec?.ttlSecondsAfterFinished;
    const done = job && finishedCondition(job);
    if (!job || ttl === undefined || !done || job.metadata?.deletionTimestamp) return;
    const finishedAt = Date.parse(job.status?.completionTime ?? done.lastTransitionTime ?? '') || this.ctx.clock.now();
    const left = finishedAt + ttl * 1000 - this.ctx.clock.now();
    if (left > 0) return { requeueAfterMs: left };
    await this.ctx.client.delete(inNamespace(resources.jobs, namespace), name, { propagationPolicy: 'Foreground', preconditions: { uid: job.metadata!.uid! } })
      .catch((err) => { if (!isNotFound(err)) throw err; });
    return undefined;
  }
}
