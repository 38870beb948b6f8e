/**
 * Leader election (client-go `tools/leaderelection`): of several candidates sharing one lock, at most
 * one leads at a time, so that two `k8ts server`s on one etcd run one active controller manager.
 *
 * Contract and timing (upstream defaults: lease 15 s, renew deadline 10 s, retry period 2 s):
 * - A candidate tries to acquire every `retryPeriod` (with jitter). It wins when the lock is free, when
 *   it already holds it, or when the holder's record has not changed for `leaseDuration` as measured on
 *   the candidate's own clock from when it first saw that record (so clock skew between machines does
 *   not matter). Writes are conditional on resourceVersion: of two racing candidates one gets Conflict.
 * - On winning, `onStartedLeading(signal)` is called; `signal` aborts when leadership ends.
 * - The leader renews every `retryPeriod`. If no renewal succeeds within `renewDeadline`, it stops
 *   leading: the signal aborts and `onStoppedLeading()` is called. `renewDeadline < leaseDuration`
 *   leaves the old leader time to stop before anyone else may take over.
 * - With `releaseOnCancel`, aborting `run`'s signal while leading releases the lock (holder '', lease
 *   1 s) so the next candidate takes over at its next retry instead of waiting out the lease.
 * - `run(signal)` returns when `signal` aborts or after leadership is lost; call it again to rejoin.
 * - `onNewLeader(identity)` is called whenever the observed holder changes.
 */
import { isNotFound } from '../../api/errors.js';
import { realClock, type Clock } from '../clock.js';
import type { LeaderElectionRecord, ResourceLock } from './lease-lock.js';

export interface LeaderCallbacks {
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  onStoppedLeading(): void;
  onNewLeader?(identity: string): void;
}

export interface LeaderElectionConfig {
  lock: ResourceLock;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  releaseOnCancel?: boolean;
  callbacks: LeaderCallbacks;
  clock?: Clock;
  random?: () => number;
  name?: string;
}

/** Upstream's defaults. */
export const DEFAULT_LEASE_DURATION_MS = 15_000;
export const DEFAULT_RENEW_DEADLINE_MS = 10_000;
export const DEFAULT_RETRY_PERIOD_MS = 2_000;
const JITTER_FACTOR = 1.2;

export class LeaderElector {
  private readonly lock: ResourceLock;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly clock: Clock;
  private readonly random: () => number;
  private observed: LeaderElectionRecord | undefined;
  private observedRaw = '';
  private observedTime = 0;
  private reportedLeader = '';

  constructor(private readonly config: LeaderElectionConfig) {
    this.lock = config.lock;
    this.leaseDurationMs = config.leaseDurationMs ?? DEFAULT_LEASE_DURATION_MS;
    this.renewDeadlineMs = config.renewDeadlineMs ?? DEFAULT_RENEW_DEADLINE_MS;
    this.retryPeriodMs = config.retryPeriodMs ?? DEFAULT_RETRY_PERIOD_MS;
    if (this.leaseDurationMs <= this.renewDeadlineMs) throw new Error('leaseDuration must be greater than renewDeadline');
    if (this.renewDeadlineMs <= JITTER_FACTOR * this.retryPeriodMs) throw new Error('renewDeadline must be greater than retryPeriod*JitterFactor');
    this.clock = config.clock ?? realClock;
    this.random = config.random ?? Math.random;
  }

  /** True while this candidate holds the lock (as last observed). */
  isLeader(): boolean {
    return this.observed?.holderIdentity === this.lock.identity();
  }

  /** The identity of the last observed holder ('' if none). */
  getLeader(): string {
    return this.observed?.holderIdentity ?? '';
  }

  async run(signal: AbortSignal): Promise<void> {
    if (!(await this.acquire(signal))) return;
    const leading = new AbortController();
    const stopLeading = () => leading.abort();
    signal.addEventListener('abort', stopLeading, { once: true });
    const work = Promise.resolve().then(() => this.config.callbacks.onStartedLeading(leading.signal)).catch((err) => {
      console.error(`k8ts: leader election ${this.lock.describe()}: onStartedLeading failed: ${(err as Error).stack ?? err}`);
    });
    try {
      await this.renew(signal);
    } finally {
      signal.removeEventListener('abort', stopLeading);
      leading.abort();
      if (signal.aborted && this.config.releaseOnCancel) await this.release();
      this.config.callbacks.onStoppedLeading();
      void work;
    }
  }

  /** Retries until the lock is ours (true) or the signal aborts (false). */
  private async acquire(signal: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal.aborted) return false;
      if (await this.tryAcquireOrRenew()) return true;
      if (!(await this.sleep(this.jittered(this.retryPeriodMs), signal))) return false;
    }
  }

  /** Renews every retry period until a renewal fails to succeed within the renew deadline, or abort. */
  private async renew(signal: AbortSignal): Promise<void> {
    for (;;) {
      if (!(await this.sleep(this.retryPeriodMs, signal))) return;
      const deadline = this.clock.now() + this.renewDeadlineMs;
      let renewed = false;
      while (!signal.aborted) {
        if (await this.tryAcquireOrRenew()) {
          renewed = true;
          break;
        }
        if (this.clock.now() + this.retryPeriodMs > deadline) break;
        if (!(await this.sleep(this.retryPeriodMs, signal))) return;
      }
      if (!renewed) return;
    }
  }

  /** One attempt (client-go `tryAcquireOrRenew`). Exposed for tests of racing candidates. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    const me = this.lock.identity();
    const desired: LeaderElectionRecord = {
      holderIdentity: me,
      leaseDurationSeconds: Math.round(this.leaseDurationMs / 1000),
      acquireTime: now,
      renewTime: now,
      leaseTransitions: 0,
    };
    let old: LeaderElectionRecord;
    try {
      old = await this.lock.get();
    } catch (err) {
      if (!isNotFound(err)) return false;
      try {
        await this.lock.create(desired);
      } catch {
        return false;
      }
      this.setObserved(desired, now);
      return true;
    }
    const raw = JSON.stringify(old);
    if (raw !== this.observedRaw) this.setObserved(old, now);
    const valid = this.observedTime + old.leaseDurationSeconds * 1000 > now;
    if (old.holderIdentity && old.holderIdentity !== me && valid) return false;
    if (old.holderIdentity === me) {
      desired.acquireTime = old.acquireTime;
      desired.leaseTransitions = old.leaseTransitions;
    } else {
      desired.leaseTransitions = old.leaseTransitions + 1;
    }
    try {
      await this.lock.update(desired);
    } catch {
      return false;
    }
    this.setObserved(desired, now);
    return true;
  }

  private async release(): Promise<void> {
    if (!this.isLeader() || !this.observed) return;
    const now = this.clock.now();
    const released: LeaderElectionRecord = { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: this.observed.leaseTransitions };
    try {
      await this.lock.update(released);
      this.setObserved(released, now);
    } catch (err) {
      console.error(`k8ts: leader election ${this.lock.describe()}: failed to release the lock: ${(err as Error).message}`);
    }
  }

  private setObserved(r: LeaderElectionRecord, now: number): void {
    this.observed = r;
    this.observedRaw = JSON.stringify(r);
    this.observedTime = now;
    if (r.holderIdentity !== this.reportedLeader) {
      this.reportedLeader = r.holderIdentity;
      if (r.holderIdentity) this.config.callbacks.onNewLeader?.(r.holderIdentity);
    }
  }

  private jittered(ms: number): number {
    return ms + this.random() * JITTER_FACTOR * ms;
  }

  private async sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    try {
      await this.clock.sleep(ms, signal);
      return true;
    } catch {
      return false;
    }
  }
}
