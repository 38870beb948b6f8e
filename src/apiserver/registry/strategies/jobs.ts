/**
 * Jobs and CronJobs: upstream defaults (completions/parallelism 1, backoffLimit 6, NonIndexed, history
 * limits), and the generated selector: a Job without `manualSelector` selects its pods by its own uid,
 * and its template gets the matching labels.
 */
import type { CronJob, Job, PodTemplateSpec } from '../../../api/types.js';
import { type FieldError, fieldErrors } from '../../../api/validation/field-error.js';
import { registerStrategy } from '../strategy.js';
import { defaultTemplate, validateSelectorAndTemplate } from './workload-common.js';

function defaultJobSpec(spec: Job['spec']): void {
  if (!spec) return;
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= 'TerminatingOrFailed';
  spec.manualSelector ??= undefined;
  defaultTemplate(spec.template);
}

function generateSelector(job: Job): void {
  const spec = job.spec;
  const uid = job.metadata?.uid;
  if (!spec || spec.manualSelector || !uid) return;
  const labels = {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': job.metadata?.name ?? '',
    'controller-uid': uid,
    'job-name': job.metadata?.name ?? '',
  };
  spec.template = spec.template ?? ({} as PodTemplateSpec);
  spec.template.metadata = { ...spec.template.metadata, labels: { ...spec.template.metadata?.labels, ...labels } };
  spec.selector ??= { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
}

function validateJob(job: Job): FieldError[] {
  const errs: FieldError[] = [];
  const rp = job.spec?.template?.spec?.restartPolicy;
  if (rp !== 'Never' && rp !== 'OnFailure') {
    errs.push(fieldErrors.notSupported('spec.template.spec.restartPolicy', rp ?? '', ['OnFailure', 'Never']));
  }
  errs.push(...validateSelectorAndTemplate(job.spec?.selector, job.spec?.template));
  return errs;
}

registerStrategy('jobs', {
  tracksGeneration: true,
  hasStatus: true,
  defaults(o) {
    defaultJobSpec((o as Job).spec);
  },
  prepareForCreate(o) {
    (o as Job).status = {};
  },
  validate(o) {
    generateSelector(o as Job);
    return validateJob(o as Job);
  },
  validateUpdate: (o) => validateJob(o as Job),
  getAttrs: (o) => ({ 'status.successful': String((o as Job).status?.succeeded ?? 0) }),
});

registerStrategy('cronjobs', {
  tracksGeneration: true,
  hasStatus: true,
  defaults(o) {
    const spec = (o as CronJob).spec;
    if (!spec) return;
    spec.concurrencyPolicy ??= 'Allow';
    spec.suspend ??= false;
    spec.successfulJobsHistoryLimit ??= 3;
    spec.failedJobsHistoryLimit ??= 1;
    defaultJobSpec(spec.jobTemplate?.spec);
  },
  prepareForCreate(o) {
    (o as CronJob).status = {};
  },
  validate(o) {
    const cj = o as CronJob;
    const errs: FieldError[] = [];
    if (!cj.spec?.schedule) errs.push(fieldErrors.required('spec.schedule'));
    const rp = cj.spec?.jobTemplate?.spec?.template?.spec?.restartPolicy;
    if (rp !== 'Never' && rp !== 'OnFailure') errs.push(fieldErrors.notSupported('spec.jobTemplate.spec.template.spec.restartPolicy', rp ?? '', ['OnFailure', 'Never']));
    return errs;
  },
});
