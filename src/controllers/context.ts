/**
 * What every controller is built from (upstream `ControllerContext`): the client, the shared informer
 * factory of the current leadership term, the clock, an event recorder per component, discovery, and the
 * tunables. Controllers never reach past it: everything goes through the API server.
 */
import type { SharedInformerFactory } from '../client/cache/informer-factory.js';
import type { Client } from '../client/client.js';
import type { Clock } from '../client/clock.js';
import type { EventRecorder } from '../client/record/event-recorder.js';
import type { Discovery } from './util/discovery.js';

/** Tunables, with upstream's defaults in `DEFAULT_CONTROLLER_OPTIONS`. */
export interface ControllerOptions {
  /** `--node-monitor-grace-period`: a node whose heartbeat is older than this is Ready=Unknown. */
  nodeMonitorGracePeriodMs: number;
  /** How often the node lifecycle controller looks at every node (`--node-monitor-period`). */
  nodeMonitorPeriodMs: number;
  /** How often the garbage collector re-reads discovery for new resources (the namespace controller reads it on every sync). */
  discoveryResyncMs: number;
  /** Job pod-failure backoff: first delay and cap (10 s, 6 min upstream). */
  jobBackoffBaseMs: number;
  jobBackoffMaxMs: number;
}

export const DEFAULT_CONTROLLER_OPTIONS: ControllerOptions = {
  nodeMonitorGracePeriodMs: 40_000,
  nodeMonitorPeriodMs: 5_000,
  discoveryResyncMs: 30_000,
  jobBackoffBaseMs: 10_000,
  jobBackoffMaxMs: 360_000,
};

export interface ControllerContext {
  client: Client;
  informers: SharedInformerFactory;
  clock: Clock;
  /** The recorder for one component, e.g. "deployment-controller" (Events' `source.component`). */
  recorder(component: string): EventRecorder;
  discovery: Discovery;
  options: ControllerOptions;
  log(line: string): void;
}

/** A built controller: runs until `signal` aborts. */
export interface RunnableController {
  run(signal: AbortSignal): Promise<void>;
}
