/**
 * The event recorder (client-go `tools/record`): how controllers report what they did as core/v1 Events,
 * the lines `kubectl describe` shows under "Events:".
 *
 * Contract:
 * - `event(obj, type, reason, message)` never blocks and never throws: the Event is queued and written
 *   in the background, in order, by one writer per recorder.
 * - `type` is `Normal` or `Warning`; anything else is logged and dropped, as upstream does.
 * - The Event lives in the object's namespace ("default" for cluster-scoped objects), is named
 *   `<object name>.<hex of the time in ns>`, and carries involvedObject, source {component, host},
 *   reportingComponent/Instance, count 1 and first/last timestamps.
 * - The `EventCorrelator` folds repeats: an identical event PATCHes the earlier one's `count` and
 *   `lastTimestamp`; if that Event is gone (NotFound) a new one is created.
 * - A failed write is retried (up to 12 tries, 10 s apart on the injected clock), then dropped.
 * - `flush()` resolves once everything queued so far is written (tests), `shutdown()` stops the writer.
 */
import { isAlreadyExists, isNotFound } from '../../api/errors.js';
import type { Event, KubeObject, ObjectMeta } from '../../api/types.js';
import { realClock, formatTime, type Clock } from '../clock.js';
import type { Client } from '../client.js';
import { resources } from '../resource.js';
import { EventCorrelator, type CorrelatorOptions } from './correlator.js';

export type EventType = 'Normal' | 'Warning';

/** What an Event points at (core/v1 ObjectReference). */
export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface EventRecorder {
  event(obj: KubeObject | ObjectReference, type: EventType, reason: string, message: string): void;
}

/** The ObjectReference of an object (kind and apiVersion as the object carries them). */
export function referenceTo(obj: KubeObject | ObjectReference): ObjectReference {
  if (!('metadata' in obj) || obj.metadata === undefined) return { ...(obj as ObjectReference) };
  const o = obj as KubeObject;
  const m = o.metadata as ObjectMeta;
  const ref: ObjectReference = {};
  if (o.kind) ref.kind = o.kind;
  if (m.namespace) ref.namespace = m.namespace;
  if (m.name) ref.name = m.name;
  if (m.uid) ref.uid = m.uid;
  if (o.apiVersion) ref.apiVersion = o.apiVersion;
  if (m.resourceVersion) ref.resourceVersion = m.resourceVersion;
  return ref;
}

export interface EventRecorderOptions extends CorrelatorOptions {
  /** `source.component` and `reportingComponent`, e.g. "deployment-controller". */
  component: string;
  /** `source.host` and `reportingInstance`. */
  host?: string;
  clock?: Clock;
  maxTries?: number;
  retryIntervalMs?: number;
}

export class ApiEventRecorder implements EventRecorder {
  private readonly clock: Clock;
  private readonly correlator: EventCorrelator;
  private readonly queue: Event[] = [];
  private idle: (() => void)[] = [];
  private writing = false;
  private stopped = false;
  private lastNanos = 0n;
  private readonly maxTries: number;
  private readonly retryIntervalMs: number;
  private readonly stopper = new AbortController();

  constructor(private readonly client: Client, private readonly opts: EventRecorderOptions) {
    this.clock = opts.clock ?? realClock;
    this.correlator = new EventCorrelator({ ...opts, clock: this.clock });
    this.maxTries = opts.maxTries ?? 12;
    this.retryIntervalMs = opts.retryIntervalMs ?? 10_000;
  }

  event(obj: KubeObject | ObjectReference, type: EventType, reason: string, message: string): void {
    if (type !== 'Normal' && type !== 'Warning') {
      console.error(`k8ts: event recorder: unsupported event type: '${String(type)}'`);
      return;
    }
    if (this.stopped) return;
    this.queue.push(this.makeEvent(referenceTo(obj), type, reason, message));
    void this.drain();
  }

  /** Resolves when every event queued so far has been written (or given up on). */
  flush(): Promise<void> {
    if (!this.writing && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Stops accepting events and abandons retries in progress. */
  shutdown(): void {
    this.stopped = true;
    this.stopper.abort();
  }

  private makeEvent(ref: ObjectReference, type: EventType, reason: string, message: string): Event {
    const now = this.clock.now();
    // Unique, increasing names even for several events in one millisecond.
    let nanos = BigInt(now) * 1_000_000n;
    if (nanos <= this.lastNanos) nanos = this.lastNanos + 1n;
    this.lastNanos = nanos;
    const ts = formatTime(now);
    const host = this.opts.host ?? '';
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${ref.name ?? ''}.${nanos.toString(16)}`, namespace: ref.namespace || 'default' },
      involvedObject: ref,
      reason,
      message,
      type,
      source: { component: this.opts.component, ...(host ? { host } : {}) },
      count: 1,
      firstTimestamp: ts,
      lastTimestamp: ts,
      reportingComponent: this.opts.component,
      reportingInstance: host,
    };
  }

  private async drain(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.queue.length > 0 && !this.stopper.signal.aborted) await this.write(this.queue.shift()!);
    } finally {
      this.writing = false;
      for (const w of this.idle.splice(0)) w();
    }
  }

  private async write(raw: Event): Promise<void> {
    const c = this.correlator.correlate(raw);
    if (c.action === 'drop') return;
    const ref = { ...resources.events, namespace: c.event.metadata!.namespace! };
    for (let attempt = 1; attempt <= this.maxTries; attempt++) {
      try {
        let written: Event;
        if (c.action === 'patch') {
          try {
            written = await this.client.patch<Event & KubeObject>(ref, c.event.metadata!.name!, 'strategic', c.patch);
          } catch (err) {
            if (!isNotFound(err)) throw err;
            // The earlier Event expired on the server: start a fresh one.
            this.correlator.forget(c.event);
            const fresh = this.makeEvent(c.event.involvedObject, c.event.type as EventType, c.event.reason!, c.event.message!);
            written = await this.client.create<Event & KubeObject>(ref, fresh);
          }
        } else {
          written = await this.client.create<Event & KubeObject>(ref, c.event as Event & KubeObject);
        }
        this.correlator.observe(written);
        return;
      } catch (err) {
        if (isAlreadyExists(err)) return;
        if (attempt === this.maxTries) {
          console.error(`k8ts: event recorder: giving up on event ${c.event.reason} for ${c.event.involvedObject.name}: ${(err as Error).message}`);
          return;
        }
        try {
          await this.clock.sleep(this.retryIntervalMs, this.stopper.signal);
        } catch {
          return;
        }
      }
    }
  }
}
