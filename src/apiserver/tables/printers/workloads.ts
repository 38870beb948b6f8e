/** Columns of the apps/v1 and batch/v1 kinds, as upstream's printers define them. */
import type { CronJob, DaemonSet, Deployment, Job, KubeObject, ReplicaSet, StatefulSet } from '../../../api/types.js';
import { age, AGE_COLUMN, col, humanDuration, NAME_COLUMN, registerPrinter } from '../table.js';
import { containerCells, labelsCell, selectorCell } from './format.js';

const name = (o: KubeObject) => o.metadata?.name ?? '';
const created = (o: KubeObject, now: Date) => age(o.metadata?.creationTimestamp, now);
const wide = [
  col('Containers', 'Names of each container in the template.', { priority: 1 }),
  col('Images', 'Images referenced by each container in the template.', { priority: 1 }),
  col('Selector', 'Label selector for pods.', { priority: 1 }),
];

registerPrinter('apps', 'Deployment', {
  columns: [
    NAME_COLUMN,
    col('Ready', 'Number of the pod with ready state'),
    col('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.', { type: 'integer' }),
    col('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.', { type: 'integer' }),
    AGE_COLUMN, ...wide,
  ],
  cells: (o, now) => {
    const d = o as Deployment;
    const [c, i] = containerCells(d.spec?.template?.spec);
    return [name(o), `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`, d.status?.updatedReplicas ?? 0, d.status?.availableReplicas ?? 0,
      created(o, now), c, i, selectorCell(d.spec?.selector)];
  },
});

registerPrinter('apps', 'ReplicaSet', {
  columns: [
    NAME_COLUMN,
    col('Desired', 'Replicas is the number of desired replicas.', { type: 'integer' }),
    col('Current', 'Replicas is the most recently observed number of replicas.', { type: 'integer' }),
    col('Ready', 'The number of ready replicas for this replica set.', { type: 'integer' }),
    AGE_COLUMN, ...wide,
  ],
  cells: (o, now) => {
    const rs = o as ReplicaSet;
    const [c, i] = containerCells(rs.spec?.template?.spec);
    return [name(o), rs.spec?.replicas ?? 1, rs.status?.replicas ?? 0, rs.status?.readyReplicas ?? 0, created(o, now), c, i, selectorCell(rs.spec?.selector)];
  },
});

registerPrinter('apps', 'StatefulSet', {
  columns: [NAME_COLUMN, col('Ready', 'Number of the pod with ready state'), AGE_COLUMN, wide[0]!, wide[1]!],
  cells: (o, now) => {
    const s = o as StatefulSet;
    const [c, i] = containerCells(s.spec?.template?.spec);
    return [name(o), `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 1}`, created(o, now), c, i];
  },
});

registerPrinter('apps', 'DaemonSet', {
  columns: [
    NAME_COLUMN,
    col('Desired', 'The total number of nodes that should be running the daemon pod.', { type: 'integer' }),
    col('Current', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.', { type: 'integer' }),
    col('Ready', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.', { type: 'integer' }),
    col('Up-to-date', 'The total number of nodes that are running updated daemon pod', { type: 'integer' }),
    col('Available', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.', { type: 'integer' }),
    col('Node Selector', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
    AGE_COLUMN, ...wide,
  ],
  cells: (o, now) => {
    const d = o as DaemonSet;
    const st = d.status;
    const [c, i] = containerCells(d.spec?.template?.spec);
    return [name(o), st?.desiredNumberScheduled ?? 0, st?.currentNumberScheduled ?? 0, st?.numberReady ?? 0, st?.updatedNumberScheduled ?? 0,
      st?.numberAvailable ?? 0, labelsCell(d.spec?.template?.spec?.nodeSelector), created(o, now), c, i, selectorCell(d.spec?.selector)];
  },
});

registerPrinter('apps', 'ControllerRevision', {
  columns: [NAME_COLUMN, col('Controller', 'Controller of the object'), col('Revision', 'Revision of the ControllerRevision', { type: 'integer' }), AGE_COLUMN],
  cells: (o, now) => {
    const owner = (o.metadata?.ownerReferences ?? []).find((r) => r.controller);
    const ctrl = owner ? `${owner.kind === 'StatefulSet' || owner.kind === 'DaemonSet' ? `${owner.kind.toLowerCase()}.apps` : owner.kind.toLowerCase()}/${owner.name}` : '<none>';
    return [name(o), ctrl, (o as { revision?: number }).revision ?? 0, created(o, now)];
  },
});

function jobStatus(j: Job): string {
  const has = (t: string) => (j.status?.conditions ?? []).some((c) => c.type === t && c.status === 'True');
  if (has('Complete')) return 'Complete';
  if (has('Failed')) return 'Failed';
  if (j.metadata?.deletionTimestamp) return 'Terminating';
  if (has('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  if (has('Suspended')) return 'Suspended';
  if (has('FailureTarget')) return 'FailureTarget';
  return 'Running';
}

registerPrinter('batch', 'Job', {
  columns: [
    NAME_COLUMN,
    col('Status', 'Status of the job.'),
    col('Completions', 'The desired number of successfully finished pods the job should be run with.'),
    col('Duration', 'Time required to complete the job.'),
    AGE_COLUMN, ...wide,
  ],
  cells: (o, now) => {
    const j = o as Job;
    const succeeded = j.status?.succeeded ?? 0;
    let completions: string;
    if (j.spec?.completions !== undefined && j.spec.completions !== null) completions = `${succeeded}/${j.spec.completions}`;
    else {
      const p = j.spec?.parallelism ?? 1;
      completions = p > 1 ? `${succeeded}/1 of ${p}` : `${succeeded}/1`;
    }
    let duration = '';
    const start = j.status?.startTime;
    if (start) {
      const end = j.status?.completionTime ? Date.parse(j.status.completionTime) : now.getTime();
      duration = humanDuration(end - Date.parse(start));
    }
    const [c, i] = containerCells(j.spec?.template?.spec);
    return [name(o), jobStatus(j), completions, duration, created(o, now), c, i, selectorCell(j.spec?.selector)];
  },
});

registerPrinter('batch', 'CronJob', {
  columns: [
    NAME_COLUMN,
    col('Schedule', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    col('Timezone', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
    col('Suspend', 'This flag tells the controller to suspend subsequent executions.', { type: 'boolean' }),
    col('Active', 'A list of pointers to currently running jobs.', { type: 'integer' }),
    col('Last Schedule', 'Information when was the last time the job was successfully scheduled.'),
    AGE_COLUMN, ...wide,
  ],
  cells: (o, now) => {
    const cj = o as CronJob;
    const last = cj.status?.lastScheduleTime ? age(cj.status.lastScheduleTime, now) : '<none>';
    const [c, i] = containerCells(cj.spec?.jobTemplate?.spec?.template?.spec);
    return [name(o), cj.spec?.schedule ?? '', cj.spec?.timeZone || '<none>', Boolean(cj.spec?.suspend), (cj.status?.active ?? []).length, last,
      created(o, now), c, i, selectorCell(cj.spec?.jobTemplate?.spec?.selector)];
  },
});
