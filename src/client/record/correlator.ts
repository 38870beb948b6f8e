/**
 * The event correlator (client-go `tools/record/events_cache.go`): decides, for each new event, whether
 * to create it, to fold it into an earlier one, or to drop it, so that a controller stuck in a loop
 * does not flood the API with Events.
 *
 * Three stages, in upstream's order:
 * 1. **Aggregate similar events.** Events alike in everything but their message (same source, object,
 *    type, reason) are counted per 10-minute window; once 10 different messages were seen, further ones
 *    become one event with the message `(combined from similar events): <latest message>`.
 * 2. **Deduplicate identical events.** An event identical to one already written (same source, object,
 *    type, reason, message) is not created again: the earlier Event's `count` goes up by one and its
 *    `lastTimestamp` moves, sent as a PATCH (`kubectl describe` shows "x5 over 3m").
 * 3. **Spam filter.** A token bucket per source and object (burst 25, one more every 5 minutes) drops
 *    events beyond that rate.
 *
 * `correlate(event)` returns what to do; `observe(event)` records what was actually written (so a
 * failed write is not counted). Times come from the injected clock.
 */
import type { Event } from '../../api/types.js';
import { realClock, type Clock } from '../clock.js';

export interface CorrelatorOptions {
  clock?: Clock;
  /** Distinct messages before aggregation starts. Default 10. */
  maxSimilarEvents?: number;
  /** Window of the aggregation, in ms. Default 10 minutes. */
  aggregateWindowMs?: number;
  /** Spam filter bucket size. Default 25. */
  spamBurst?: number;
  /** Spam filter refill: one token per this many ms. Default 5 minutes. */
  spamRefillMs?: number;
  /** Entries kept in each cache (LRU). Default 4096. */
  cacheSize?: number;
}

export type Correlation =
  | { action: 'create'; event: Event }
  | { action: 'patch'; event: Event; patch: { count: number; lastTimestamp: string; message: string } }
  | { action: 'drop' };

const sourceKey = (e: Event) => [e.source?.component ?? '', e.source?.host ?? ''].join('\u0000');
const objectKey = (e: Event) => {
  const o = e.involvedObject;
  return [o.kind, o.namespace, o.name, o.uid, o.apiVersion, o.fieldPath].map((x) => x ?? '').join('\u0000');
};
const aggregateKey = (e: Event) => [sourceKey(e), objectKey(e), e.type ?? '', e.reason ?? '', e.reportingComponent ?? '', e.reportingInstance ?? ''].join('\u0001');
const identityKey = (e: Event) => `${aggregateKey(e)}\u0002${e.message ?? ''}`;

/** A Map that forgets its least recently used entries beyond `max`. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(k: string): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: string, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
  delete(k: string): void {
    this.map.delete(k);
  }
}

interface Written {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
}

export class EventCorrelator {
  private readonly clock: Clock;
  private readonly maxSimilar: number;
  private readonly window: number;
  private readonly burst: number;
  private readonly refillMs: number;
  private readonly similar: Lru<{ messages: Set<string>; since: number }>;
  private readonly written: Lru<Written>;
  private readonly buckets: Lru<{ tokens: number; at: number }>;

  constructor(opts: CorrelatorOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.maxSimilar = opts.maxSimilarEvents ?? 10;
    this.window = opts.aggregateWindowMs ?? 10 * 60_000;
    this.burst = opts.spamBurst ?? 25;
    this.refillMs = opts.spamRefillMs ?? 5 * 60_000;
    const size = opts.cacheSize ?? 4096;
    this.similar = new Lru(size);
    this.written = new Lru(size);
    this.buckets = new Lru(size);
  }

  correlate(input: Event): Correlation {
    const now = this.clock.now();
    let event = structuredClone(input);

    // 1. aggregation of similar events
    const aKey = aggregateKey(event);
    let rec = this.similar.get(aKey);
    if (!rec || now - rec.since > this.window) rec = { messages: new Set(), since: now };
    rec.messages.add(event.message ?? '');
    this.similar.set(aKey, rec);
    if (rec.messages.size >= this.maxSimilar) {
      event = { ...event, message: `(combined from similar events): ${event.message ?? ''}` };
    }

    // 3. spam filter (upstream applies it before writing either kind of event)
    const sKey = `${sourceKey(event)}\u0003${objectKey(event)}`;
    const b = this.buckets.get(sKey) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + (now - b.at) / this.refillMs);
    b.at = now;
    if (b.tokens < 1) {
      this.buckets.set(sKey, b);
      return { action: 'drop' };
    }
    b.tokens -= 1;
    this.buckets.set(sKey, b);

    // 2. deduplication of identical events. Aggregated events share one key (their message is
    // replaced by the aggregate prefix plus the latest message, so key on the prefix alone).
    const iKey = rec.messages.size >= this.maxSimilar ? `${aKey}\u0002(combined)` : identityKey(event);
    const prev = this.written.get(iKey);
    if (prev) {
      const patched: Event = {
        ...event,
        metadata: { ...event.metadata, name: prev.name, namespace: prev.namespace },
        count: prev.count + 1,
        firstTimestamp: prev.firstTimestamp,
      };
      return { action: 'patch', event: patched, patch: { count: prev.count + 1, lastTimestamp: event.lastTimestamp!, message: event.message ?? '' } };
    }
    return { action: 'create', event };
  }

  /** Records an Event the API accepted, so later identical ones patch it. */
  observe(written: Event): void {
    const aKey = aggregateKey(written);
    const combined = (written.message ?? '').startsWith('(combined from similar events): ');
    this.written.set(combined ? `${aKey}\u0002(combined)` : identityKey(written), {
      name: written.metadata!.name!,
      namespace: written.metadata!.namespace!,
      count: written.count ?? 1,
      firstTimestamp: written.firstTimestamp!,
    });
  }

  /** Forgets a written Event (it was deleted on the server: the next identical one is created anew). */
  forget(event: Event): void {
    const aKey = aggregateKey(event);
    const combined = (event.message ?? '').startsWith('(combined from similar events): ');
    this.written.delete(combined ? `${aKey}\u0002(combined)` : identityKey(event));
  }
}
