/**
 * Unit-test environment in the sample-controller style: a `FakeClient` on a `FakeClock`, a shared
 * informer factory over it, a `FakeRecorder` and a static discovery, wrapped in a `ControllerContext`.
 * `start()` syncs the caches; `syncOnce(controller, key)` clears the recorded calls, runs one sync and
 * returns `client.writes()`, so a test compares the list of API calls made.
 */
import type { KubeObject } from '../../api/types.js';
import { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import { FakeClock, settle } from '../../client/clock.js';
import type { Controller, SyncResult } from '../../client/controller.js';
import { FakeClient, type Action } from '../../client/fake.js';
import { FakeRecorder } from '../../client/record/fake-recorder.js';
import type { ResourceRef } from '../../client/resource.js';
import { DEFAULT_CONTROLLER_OPTIONS, type ControllerContext, type ControllerOptions } from '../context.js';
import { staticDiscovery, type DiscoveredResource } from '../util/discovery.js';

export interface FakeEnv {
  clock: FakeClock;
  client: FakeClient;
  recorder: FakeRecorder;
  ctx: ControllerContext;
  /** Aborts at `stop()`: pass it to anything the test starts itself. */
  signal: AbortSignal;
  seed(ref: ResourceRef, ...objs: KubeObject[]): void;
  /** Starts the informers and waits for their first list. */
  start(): Promise<void>;
  /** One sync of `key`; returns its result and the write calls it made. */
  syncOnce(c: { sync(key: string): Promise<SyncResult> }, key: string): Promise<{ result: SyncResult; writes: Action[] }>;
  /** Lets informers deliver pending watch events. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export function fakeEnv(opts: { discovery?: DiscoveredResource[]; options?: Partial<ControllerOptions>; start?: number } = {}): FakeEnv {
  const clock = new FakeClock(opts.start ?? Date.UTC(2026, 0, 1));
  let n = 0;
  const client = new FakeClient({ clock, random: () => ((n++ * 7919) % 1000) / 1000 });
  const recorder = new FakeRecorder();
  const informers = new SharedInformerFactory(client, { clock });
  const ac = new AbortController();
  const ctx: ControllerContext = {
    client, informers, clock, recorder: () => recorder,
    discovery: staticDiscovery(opts.discovery ?? []),
    options: { ...DEFAULT_CONTROLLER_OPTIONS, ...opts.options },
    log: () => {},
  };
  const turns = async () => { for (let i = 0; i < 20; i++) await settle(); };
  return {
    clock, client, recorder, ctx, signal: ac.signal,
    seed: (ref, ...objs) => client.seed(ref, ...objs),
    async start() {
      informers.start(ac.signal);
      await informers.waitForCacheSync(ac.signal);
      await turns();
    },
    async syncOnce(c, key) {
      client.clearActions();
      const result = await c.sync(key);
      return { result, writes: client.writes() };
    },
    settle: turns,
    async stop() {
      ac.abort();
      await informers.shutdown();
    },
  };
}

/** Shuts a controller's queue so nothing is left pending after a unit test. */
export function shutDown(...cs: { controller: Controller }[]): void {
  for (const c of cs) c.controller.queue.shutDown();
}
