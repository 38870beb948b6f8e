/**
 * The controller manager (upstream `kube-controller-manager`): runs the enabled controllers of the
 * registry against one shared informer factory, only while this process holds the leader Lease
 * `kube-system/k8ts-controller-manager`, so that two servers on one datastore run one active set of
 * controllers.
 *
 * Lifecycle, in controller-runtime's order: leader election → (for each term of leadership) a fresh
 * informer factory → build every enabled controller (which asks the factory for informers) → start the
 * informers → run the controllers until leadership ends or `run`'s signal aborts → stop informers and
 * recorders → stand for election again. A term's informers are never reused by the next term, so a
 * new leader starts from a fresh list, as upstream (which exits and restarts) does.
 */
import { setMaxListeners } from 'node:events';
import { SharedInformerFactory } from '../client/cache/informer-factory.js';
import type { Client } from '../client/client.js';
import { realClock, type Clock } from '../client/clock.js';
import { LeaderElector } from '../client/leaderelection/leader-elector.js';
import { LeaseLock } from '../client/leaderelection/lease-lock.js';
import { ApiEventRecorder, type EventRecorder } from '../client/record/event-recorder.js';
import { DEFAULT_CONTROLLER_OPTIONS, type ControllerContext, type ControllerOptions } from './context.js';
import type { ControllerRegistry } from './registry.js';
import type { Discovery } from './util/discovery.js';

export const LEADER_LEASE_NAMESPACE = 'kube-system';
export const LEADER_LEASE_NAME = 'k8ts-controller-manager';

export interface LeaderElectionTiming {
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

export interface ControllerManagerConfig {
  client: Client;
  registry: ControllerRegistry;
  discovery: Discovery;
  /** This process's identity in the Lease, e.g. `hostname_uuid`. */
  identity: string;
  /** Controller names to switch off (`--disable-controllers`). */
  disabled?: string[];
  /** Default-off controllers to switch on. */
  enabled?: string[];
  /** false: run without leader election (a single-server test). Default: upstream's 15 s / 10 s / 2 s. */
  leaderElection?: false | Partial<LeaderElectionTiming>;
  options?: Partial<ControllerOptions>;
  clock?: Clock;
  /** Build recorders; defaults to Events written through `client`. */
  newRecorder?: (component: string) => EventRecorder & { shutdown?(): void };
  log?: (line: string) => void;
}

export class ControllerManager {
  private readonly log: (line: string) => void;
  private readonly clock: Clock;
  private elector: LeaderElector | undefined;
  private leading = false;
  /** The current (or last) term of leadership; the next election waits for it to have stopped. */
  private termDone: Promise<void> = Promise.resolve();
  /** Names of the controllers started in the current term (empty while not leading). */
  running: string[] = [];

  constructor(private readonly cfg: ControllerManagerConfig) {
    this.log = cfg.log ?? ((line) => console.error(`k8ts: controller-manager: ${line}`));
    this.clock = cfg.clock ?? realClock;
    cfg.registry.select(cfg.disabled, cfg.enabled); // fail early on unknown names
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** Runs until `signal` aborts: stands for election, and runs the controllers while leading. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.cfg.leaderElection === false) {
      await this.runControllers(signal);
      return;
    }
    const timing = this.cfg.leaderElection ?? {};
    this.elector = new LeaderElector({
      lock: new LeaseLock(this.cfg.client, LEADER_LEASE_NAMESPACE, LEADER_LEASE_NAME, this.cfg.identity),
      ...timing,
      releaseOnCancel: true,
      clock: this.clock,
      name: LEADER_LEASE_NAME,
      callbacks: {
        onStartedLeading: (term) => this.runControllers(term),
        onStoppedLeading: () => this.log(`${this.cfg.identity} stopped leading`),
        onNewLeader: (id) => this.log(`the leader is now ${id || '(none)'}`),
      },
    });
    while (!signal.aborted) {
      await this.elector.run(signal);
      await this.termDone;
      if (!signal.aborted) await this.clock.sleep(timing.retryPeriodMs ?? 2000, signal).catch(() => {});
    }
  }

  /** One term: fresh informers, the enabled controllers, until `signal` aborts. */
  private runControllers(signal: AbortSignal): Promise<void> {
    const done = this.term(signal);
    this.termDone = done.catch(() => {});
    return done;
  }

  private async term(outer: AbortSignal): Promise<void> {
    this.leading = true;
    // One signal for the whole term: every informer and controller listens to it.
    const term = new AbortController();
    setMaxListeners(0, term.signal);
    const stop = () => term.abort();
    outer.addEventListener('abort', stop, { once: true });
    if (outer.aborted) stop();
    const signal = term.signal;
    const informers = new SharedInformerFactory(this.cfg.client, { clock: this.clock });
    const recorders: (EventRecorder & { shutdown?(): void })[] = [];
    const ctx: ControllerContext = {
      client: this.cfg.client,
      informers,
      clock: this.clock,
      discovery: this.cfg.discovery,
      options: { ...DEFAULT_CONTROLLER_OPTIONS, ...this.cfg.options },
      log: this.log,
      recorder: (component) => {
        const r = this.cfg.newRecorder?.(component) ?? new ApiEventRecorder(this.cfg.client, { component, clock: this.clock, host: this.cfg.identity });
        recorders.push(r);
        return r;
      },
    };
    const selected = this.cfg.registry.select(this.cfg.disabled, this.cfg.enabled);
    const built = selected.map((d) => ({ name: d.name, c: d.build(ctx) }));
    this.running = built.map((b) => b.name);
    informers.start(signal);
    this.log(`started controllers: ${this.running.join(', ')}`);
    try {
      await Promise.all(built.map(({ name, c }) => c.run(signal).catch((err) => this.log(`${name}: stopped with error: ${(err as Error).stack ?? err}`))));
    } finally {
      outer.removeEventListener('abort', stop);
      term.abort();
      await informers.shutdown();
      for (const r of recorders) r.shutdown?.();
      this.running = [];
      this.leading = false;
    }
  }
}
