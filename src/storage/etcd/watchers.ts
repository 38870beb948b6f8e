/**
 * All watches of one etcd store share one gRPC Watch stream, told apart by watch ids we choose.
 * etcd delivers each watch's events in revision order with no gaps; this file only routes them,
 * turns etcd's cancel-with-compact_revision into 'Compacted', and a broken stream into 'Unavailable'.
 */
import type { ClientDuplexStream } from '@grpc/grpc-js';
import type { KeyValue, StoreError as StoreErrorT, Watch, WatchEvent } from '../store.js';
import { StoreError } from '../store.js';
import { type EtcdClient, type EventMsg, type KeyValueMsg, type WatchRequest, type WatchResponse, etcdError } from './client.js';

const PUT = 0;

export function kvOf(m: KeyValueMsg): KeyValue {
  return { key: m.key.toString('latin1'), value: m.value, createRevision: m.create_revision, modRevision: m.mod_revision };
}

function eventOf(e: EventMsg): WatchEvent {
  const prev = e.prev_kv ? kvOf(e.prev_kv) : undefined;
  if (e.type === PUT) return prev ? { type: 'put', kv: kvOf(e.kv), prev } : { type: 'put', kv: kvOf(e.kv) };
  // etcd's delete event carries only the key and the revision; the deleted value is in prev_kv.
  const kv: KeyValue = {
    key: e.kv.key.toString('latin1'),
    value: prev?.value ?? e.kv.value,
    createRevision: prev?.createRevision ?? 0,
    modRevision: e.kv.mod_revision,
  };
  return prev ? { type: 'delete', kv, prev } : { type: 'delete', kv };
}

interface Entry {
  onEvents: (events: WatchEvent[]) => void;
  onError: (err: StoreErrorT) => void;
  done: boolean;
}

export class WatchMux {
  private stream?: ClientDuplexStream<WatchRequest, WatchResponse>;
  private readonly entries = new Map<number, Entry>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly client: EtcdClient) {}

  watch(key: Buffer, rangeEnd: Buffer, fromRevision: number, onEvents: (events: WatchEvent[]) => void,
    onError: (err: StoreErrorT) => void): Watch {
    const id = this.nextId++;
    const entry: Entry = { onEvents, onError, done: false };
    if (this.closed) {
      queueMicrotask(() => onError(new StoreError('Closed', `etcd ${this.client.endpoint}: store is closed`)));
      return { close: () => {} };
    }
    this.entries.set(id, entry);
    this.open().write({
      create_request: {
        key, range_end: rangeEnd, start_revision: fromRevision > 0 ? fromRevision + 1 : 0, prev_kv: true, watch_id: id,
      },
    });
    return {
      close: () => {
        if (entry.done) return;
        entry.done = true;
        this.entries.delete(id);
        if (this.stream && !this.closed) this.stream.write({ cancel_request: { watch_id: id } });
      },
    };
  }

  private open(): ClientDuplexStream<WatchRequest, WatchResponse> {
    if (this.stream) return this.stream;
    const stream = this.client.watchStream();
    this.stream = stream;
    stream.on('data', (res: WatchResponse) => this.onResponse(res));
    const broken = (err?: unknown) => {
      if (this.stream !== stream) return;
      this.stream = undefined;
      if (this.closed) return;
      const e = err ? etcdError(this.client.endpoint, err)
        : new StoreError('Unavailable', `etcd ${this.client.endpoint}: watch stream ended`);
      this.failAll(e);
    };
    stream.on('error', broken);
    stream.on('end', () => broken());
    return stream;
  }

  private onResponse(res: WatchResponse): void {
    const entry = this.entries.get(res.watch_id);
    if (!entry || entry.done) return;
    if (res.events.length > 0) {
      const evs = new Array<WatchEvent>(res.events.length);
      for (let i = 0; i < evs.length; i++) evs[i] = eventOf(res.events[i]!);
      entry.onEvents(evs);
    }
    if (res.canceled) {
      entry.done = true;
      this.entries.delete(res.watch_id);
      const err = res.compact_revision > 0
        ? new StoreError('Compacted', `etcd ${this.client.endpoint}: watch start revision has been compacted (oldest available: ${res.compact_revision})`, undefined, res.compact_revision)
        : new StoreError('Unavailable', `etcd ${this.client.endpoint}: watch canceled: ${res.cancel_reason || 'no reason given'}`);
      entry.onError(err);
    }
  }

  private failAll(err: StoreError): void {
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const e of entries) {
      if (e.done) continue;
      e.done = true;
      e.onError(err);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.failAll(new StoreError('Closed', `etcd ${this.client.endpoint}: store is closed`));
    const s = this.stream;
    this.stream = undefined;
    if (s) {
      s.end();
      s.cancel();
    }
  }
}
