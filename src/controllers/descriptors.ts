/**
 * Every controller k8ts runs, in one list: the registry the manager and `--disable-controllers` use.
 * Names are upstream's `--controllers` names; the `-controller` spellings are accepted too.
 */
import type { RunnableController } from './context.js';
import { DeploymentController } from './deployment/deployment-controller.js';
import { ControllerRegistry, type ControllerDescriptor } from './registry.js';
import { replicaSetKind, replicationControllerKind } from './replicaset/kinds.js';
import { ReplicaSetController } from './replicaset/replica-set-controller.js';

const d = (name: string, build: ControllerDescriptor['build'], enabledByDefault = true): ControllerDescriptor => ({
  name, aliases: [`${name}-controller`], enabledByDefault, build,
});

export const CONTROLLER_DESCRIPTORS: ControllerDescriptor[] = [
  d('replicaset', (ctx): RunnableController => new ReplicaSetController(ctx, replicaSetKind)),
  d('replicationcontroller', (ctx) => new ReplicaSetController(ctx, replicationControllerKind)),
  d('deployment', (ctx) => new DeploymentController(ctx)),
];

export function defaultRegistry(): ControllerRegistry {
  return new ControllerRegistry(CONTROLLER_DESCRIPTORS);
}
