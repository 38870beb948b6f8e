/**
 * The scheduler's public surface. `k8ts server` builds one with the client adapter:
 *
 * ```ts
 * const factory = new SharedInformerFactory(client);
 * const scheduler = new Scheduler({
 *   source: new InformerEventSource(factory, signal),
 *   sink: new ClientSink(client, new ApiEventRecorder(client, { component: 'default-scheduler' })),
 * });
 * await scheduler.start();   // resolves once the informers have synced
 * ```
 *
 * Out-of-tree plugins: `inTreeRegistry().merge(new Registry({ MyPlugin: factory }))` and a profile that
 * enables `MyPlugin`.
 */
export { Scheduler, type SchedulerOptions, type AttemptResult } from './scheduler.js';
export type { SchedulerEvent, SchedulerEventSource, SchedulerSink, SchedulerRecordedEvent, WatchedKind } from './sources.js';
export { InformerEventSource, ClientSink, WATCHED, type ClientSinkOptions } from './client-adapter.js';
export { Registry } from './framework/registry.js';
export { inTreeRegistry } from './plugins/registry.js';
export { defaultProfile, DEFAULT_MULTI_POINT, DEFAULT_SCHEDULER_NAME, type Profile, type Plugins, type PluginSet, type PluginRef } from './framework/profile.js';
export type * from './framework/interface.js';
export { CycleState, MAX_NODE_SCORE, MIN_NODE_SCORE } from './framework/interface.js';
export { Code, Status, type Result } from './framework/status.js';
export { NodeInfo } from './framework/node-info.js';
export { PodInfo } from './framework/pod-info.js';
export { FitError } from './framework/fit-error.js';
export { FakeCluster } from './testing/fake-cluster.js';
