/** The in-tree plugins by name (upstream's `plugins.NewInTreeRegistry`). */
import { Registry } from '../framework/registry.js';
import * as defaultBinder from './default-binder/default-binder.js';
import * as defaultPreemption from './default-preemption/default-preemption.js';
import * as imageLocality from './image-locality/image-locality.js';
import * as interPodAffinity from './inter-pod-affinity/inter-pod-affinity.js';
import * as nodeAffinity from './node-affinity/node-affinity.js';
import * as nodeName from './node-name/node-name.js';
import * as nodePorts from './node-ports/node-ports.js';
import * as balancedAllocation from './node-resources-balanced-allocation/node-resources-balanced-allocation.js';
import * as nodeResourcesFit from './node-resources-fit/node-resources-fit.js';
import * as nodeUnschedulable from './node-unschedulable/node-unschedulable.js';
import * as podTopologySpread from './pod-topology-spread/pod-topology-spread.js';
import * as prioritySort from './queue-sort/priority-sort.js';
import * as schedulingGates from './scheduling-gates/scheduling-gates.js';
import * as taintToleration from './taint-toleration/taint-toleration.js';
import * as volumeBinding from './volume-binding/volume-binding.js';
import * as volumeRestrictions from './volume-restrictions/volume-restrictions.js';
import * as volumeZone from './volume-zone/volume-zone.js';

const IN_TREE = [
  schedulingGates, prioritySort, nodeUnschedulable, nodeName, taintToleration, nodeAffinity, nodePorts, nodeResourcesFit,
  volumeRestrictions, volumeBinding, volumeZone, podTopologySpread, interPodAffinity, defaultPreemption, balancedAllocation, imageLocality, defaultBinder,
];

export function inTreeRegistry(): Registry {
  return new Registry(Object.fromEntries(IN_TREE.map((m) => [m.NAME, m.factory])));
}
