/**
 * The client machinery every k8ts component reuses, shaped after client-go. The data flow:
 *
 * ```
 *   API server ──list/watch──▶ Reflector ──▶ SharedInformer ──▶ Indexer (cache) ◀── Lister (reads)
 *   (RestClient | FakeClient)  (cache/reflector)  (cache/shared-informer)  │
 *                                                      │ onAdd/onUpdate/onDelete: enqueue keys
 *                                                      ▼
 *                                    RateLimitingQueue (workqueue/) ──▶ Controller workers: sync(key)
 *                                                                         │ writes through Client,
 *                                                                         │ reports through EventRecorder (record/)
 *   LeaderElector (leaderelection/) decides which process runs the controllers.
 * ```
 *
 * One concept per file; each file's doc comment states its contract. Fakes sit beside the real things:
 * `FakeClient` (fake.ts), `FakeClock` (clock.ts), `FakeRecorder` (record/fake-recorder.ts).
 */
export * from './clock.js';
export * from './resource.js';
export * from './client.js';
export { RestClient, errorFromResponse, type RestClientOptions, type RawRequest, type RawResponse } from './rest.js';
export * from './kubeconfig.js';
export { FakeClient, type Action, type Reactor, type Verb } from './fake.js';
export { ObjectTracker } from './fake-tracker.js';
export { WatchChannel } from './watch-channel.js';
export * from './cache/keys.js';
export * from './cache/store.js';
export * from './cache/lister.js';
export * from './cache/listwatch.js';
export { Reflector, type ReflectorOptions, type ReflectorStore } from './cache/reflector.js';
export * from './cache/shared-informer.js';
export * from './cache/informer-factory.js';
export * from './workqueue/queue.js';
export * from './workqueue/delaying-queue.js';
export * from './workqueue/rate-limiter.js';
export * from './workqueue/rate-limiting-queue.js';
export * from './leaderelection/lease-lock.js';
export * from './leaderelection/leader-elector.js';
export * from './record/event-recorder.js';
export * from './record/correlator.js';
export { FakeRecorder } from './record/fake-recorder.js';
export * from './controller.js';
export * from './typed.js';
