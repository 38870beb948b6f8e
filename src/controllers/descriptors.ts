/**
 * Every controller k8ts runs, in one list: the registry the manager and `--disable-controllers` use.
 * Names are upstream's `--controllers` names; the `-controller` spellings are accepted too.
 */
import type { RunnableController } from './context.js';
import { DeploymentController } from './deployment/deployment-controller.js';
import { DisruptionController } from './disruption/disruption-controller.js';
import { EndpointsController } from './endpoints/endpoints-controller.js';
import { EndpointSliceController } from './endpointslice/endpointslice-controller.js';
import { GarbageCollector } from './garbagecollector/garbage-collector.js';
import { NamespaceController } from './namespace/namespace-controller.js';
import { ControllerRegistry, type ControllerDescriptor } from './registry.js';
import { replicaSetKind, replicationControllerKind } from './replicaset/kinds.js';
import { ReplicaSetController } from './replicaset/replica-set-controller.js';
import { CronJobController } from './cronjob/cronjob-controller.js';
import { JobController } from './job/job-controller.js';
import { TTLAfterFinishedController } from './job/ttl-after-finished.js';
import { NodeLifecycleController } from './nodelifecycle/node-lifecycle-controller.js';
import { TaintEvictionController } from './nodelifecycle/taint-eviction.js';
import { DaemonSetController } from './daemonset/daemonset-controller.js';
import { StatefulSetController } from './statefulset/statefulset-controller.js';
import { ResourceQuotaController } from './resourcequota/resource-quota-controller.js';
import { ServiceAccountsController } from './serviceaccount/serviceaccounts-controller.js';

const d = (name: string, build: ControllerDescriptor['build'], enabledByDefault = true): ControllerDescriptor => ({
  name, aliases: [`${name}-controller`], enabledByDefault, build,
});

export const CONTROLLER_DESCRIPTORS: ControllerDescriptor[] = [
  d('replicaset', (ctx): RunnableController => new ReplicaSetController(ctx, replicaSetKind)),
  d('replicationcontroller', (ctx) => new ReplicaSetController(ctx, replicationControllerKind)),
  d('deployment', (ctx) => new DeploymentController(ctx)),
  d('statefulset', (ctx) => new StatefulSetController(ctx)),
  d('daemonset', (ctx) => new DaemonSetController(ctx)),
  d('garbagecollector', (ctx) => new GarbageCollector(ctx)),
  d('namespace', (ctx) => new NamespaceController(ctx)),
  d('endpoint', (ctx) => new EndpointsController(ctx)),
  d('endpointslice', (ctx) => new EndpointSliceController(ctx)),
  d('serviceaccount', (ctx) => new ServiceAccountsController(ctx)),
  d('nodelifecycle', (ctx) => new NodeLifecycleController(ctx)),
  d('taint-eviction', (ctx) => new TaintEvictionController(ctx)),
  d('job', (ctx) => new JobController(ctx)),
  d('ttl-after-finished', (ctx) => new TTLAfterFinishedController(ctx)),
  d('cronjob', (ctx) => new CronJobController(ctx)),
  d('disruption', (ctx) => new DisruptionController(ctx)),
  d('resourcequota', (ctx) => new ResourceQuotaController(ctx)),
];

export function defaultRegistry(): ControllerRegistry {
  return new ControllerRegistry(CONTROLLER_DESCRIPTORS);
}
