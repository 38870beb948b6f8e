/**
 * `SharedInformerFactory` (client-go `informers.SharedInformerFactory`): hands out one shared informer
 * per resource, so every component in a process shares one list and one watch per resource.
 *
 * Contract: `forResource(ref)` returns the same informer for the same group/version/resource every time;
 * `start(signal)` runs every informer asked for so far that is not yet running (call it again after
 * asking for more); `waitForCacheSync(signal)` waits for all started informers; `shutdown()` waits for
 * them to stop after the signal aborts.
 */
import type { KubeObject } from '../../api/types.js';
import { realClock, type Clock } from '../clock.js';
import type { Client } from '../client.js';
import { inNamespace, type ResourceRef } from '../resource.js';
import { listWatchFor } from './listwatch.js';
import { SharedInformer, waitForCacheSync, type SharedIndexInformer } from './shared-informer.js';

export interface SharedInformerFactoryOptions {
  /** Default resync period for handlers of every informer; 0 (the default) disables resync. */
  defaultResyncMs?: number;
  /** Restrict every informer to one namespace. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  clock?: Clock;
  /** Drop `metadata.managedFields` before caching (saves memory; controllers never read them). Default true. */
  stripManagedFields?: boolean;
}

export class SharedInformerFactory {
  private readonly informers = new Map<string, { informer: SharedInformer<KubeObject>; running?: Promise<void> }>();
  private readonly clock: Clock;

  constructor(private readonly client: Client, private readonly opts: SharedInformerFactoryOptions = {}) {
    this.clock = opts.clock ?? realClock;
  }

  forResource<T extends KubeObject = KubeObject>(ref: ResourceRef): SharedIndexInformer<T> {
    const key = `${ref.group}/${ref.version}/${ref.resource}`;
    let entry = this.informers.get(key);
    if (!entry) {
      const scoped = inNamespace(ref, this.opts.namespace);
      const selectors = {
        ...(this.opts.labelSelector ? { labelSelector: this.opts.labelSelector } : {}),
        ...(this.opts.fieldSelector ? { fieldSelector: this.opts.fieldSelector } : {}),
      };
      const strip = this.opts.stripManagedFields ?? true;
      const informer = new SharedInformer<KubeObject>(listWatchFor(this.client, scoped, selectors), {
        name: key,
        clock: this.clock,
        resyncPeriodMs: this.opts.defaultResyncMs ?? 0,
        ...(strip ? { transform: stripManagedFields } : {}),
      });
      entry = { informer };
      this.informers.set(key, entry);
    }
    return entry.informer as unknown as SharedIndexInformer<T>;
  }

  start(signal: AbortSignal): void {
    for (const entry of this.informers.values()) {
      if (!entry.running) entry.running = entry.informer.run(signal);
    }
  }

  waitForCacheSync(signal: AbortSignal): Promise<boolean> {
    return waitForCacheSync(signal, ...[...this.informers.values()].filter((e) => e.running).map((e) => e.informer));
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.informers.values()].map((e) => e.running));
  }
}

function stripManagedFields(obj: KubeObject): KubeObject {
  if (!obj.metadata?.managedFields) return obj;
  const { managedFields: _, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}
