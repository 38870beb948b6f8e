/**
 * `ObjectTracker`: the in-memory "API server" behind `FakeClient` (client-go `testing.ObjectTracker`).
 *
 * It keeps objects per resource, namespace and name, and behaves as the real API server does where unit
 * tests of controllers can tell the difference:
 * - one global resourceVersion counter, bumped by every write and stamped on the written object;
 * - create fills uid, creationTimestamp, generation 1, a name from `generateName`, and fails with
 *   AlreadyExists; update and patch fail with NotFound, and with Conflict when the object's
 *   resourceVersion is stale; a spec change bumps `metadata.generation`;
 * - the `status` subresource changes only `.status`, and an update of the main resource keeps the stored
 *   `.status`;
 * - delete of an object with finalizers only sets `deletionTimestamp`;
 * - watch replays every event after the requested resourceVersion (or ADDED for every current object
 *   when none is given), then follows live; a resourceVersion older than the last `compact()` gets a
 *   410 Expired ERROR event, as from a real server.
 *
 * Label and field selectors are evaluated by the caller-supplied `Filter` (FakeClient builds it).
 */
import { ApiError, errors } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import { realClock, formatTime, type Clock } from './clock.js';
import type { WatchEvent, WatchEventType } from './client.js';
import { apiVersionOf, type ResourceRef } from './resource.js';
import { WatchChannel } from './watch-channel.js';

/** Decides whether an object belongs to a list or watch. */
export type Filter = (obj: KubeObject) => boolean;

interface Change {
  rv: number;
  gvr: string;
  namespace: string;
  type: WatchEventType;
  object: KubeObject;
  /** The object before a MODIFIED change, to tell objects that stopped matching a selector. */
  old?: KubeObject;
}

interface Watcher {
  gvr: string;
  namespace?: string;
  filter: Filter;
  bookmarks: boolean;
  channel: WatchChannel;
}

const gvrKey = (ref: ResourceRef) => `${ref.group}/${ref.version}/${ref.resource}`;
/** Objects are plain JSON; a JSON round trip copies them several times faster than structuredClone. */
const clone = <T>(x: T): T => (x === undefined ? x : JSON.parse(JSON.stringify(x)));
const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export class ObjectTracker {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: Change[] = [];
  private readonly watchers = new Set<Watcher>();
  private rv = 0;
  private compactedRv = 0;
  private uidSeq = 0;

  constructor(private readonly clock: Clock = realClock, private readonly random: () => number = Math.random) {}

  /** The current global resourceVersion. */
  resourceVersion(): string {
    return String(this.rv);
  }

  private bucket(ref: ResourceRef): Map<string, KubeObject> {
    const k = gvrKey(ref);
    let b = this.objects.get(k);
    if (!b) this.objects.set(k, (b = new Map()));
    return b;
  }

  private static objKey(namespace: string | undefined, name: string): string {
    return `${namespace ?? ''}/${name}`;
  }

  get(ref: ResourceRef, name: string): KubeObject {
    const obj = this.bucket(ref).get(ObjectTracker.objKey(ref.namespace, name));
    if (!obj) throw errors.notFound(ref.group, ref.resource, name);
    return clone(obj);
  }

  list(ref: ResourceRef, filter: Filter = () => true): { items: KubeObject[]; resourceVersion: string } {
    const items = [...this.bucket(ref).values()]
      .filter((o) => ref.namespace === undefined || o.metadata?.namespace === ref.namespace)
      .filter(filter)
      .sort((a, b) => ObjectTracker.objKey(a.metadata?.namespace, a.metadata!.name!).localeCompare(ObjectTracker.objKey(b.metadata?.namespace, b.metadata!.name!)))
      .map(clone);
    return { items, resourceVersion: this.resourceVersion() };
  }

  /** Adds or replaces an object as-is (test seeding); it still gets a resourceVersion and emits an event. */
  add(ref: ResourceRef, obj: KubeObject): KubeObject {
    const o = clone(obj);
    o.metadata ??= {};
    if (ref.namespace !== undefined) o.metadata.namespace = ref.namespace;
    o.metadata.uid ??= this.newUid();
    o.metadata.creationTimestamp ??= formatTime(this.clock.now());
    o.apiVersion ??= apiVersionOf(ref);
    const b = this.bucket(ref);
    const key = ObjectTracker.objKey(o.metadata.namespace, o.metadata.name!);
    const old = b.get(key);
    return this.write(ref, key, o, old ? 'MODIFIED' : 'ADDED', old);
  }

  create(ref: ResourceRef, obj: KubeObject): KubeObject {
    const o = clone(obj);
    o.metadata ??= {};
    if (ref.namespace !== undefined) o.metadata.namespace = ref.namespace;
    if (!o.metadata.name && o.metadata.generateName) o.metadata.name = o.metadata.generateName + this.randomSuffix();
    if (!o.metadata.name) throw errors.invalid(ref.group, o.kind ?? ref.resource, '', [{ field: 'metadata.name', type: 'FieldValueRequired', detail: 'Required value: name or generateName is required' }]);
    const b = this.bucket(ref);
    const key = ObjectTracker.objKey(o.metadata.namespace, o.metadata.name);
    if (b.has(key)) throw errors.alreadyExists(ref.group, ref.resource, o.metadata.name);
    o.metadata.uid = this.newUid();
    o.metadata.creationTimestamp = formatTime(this.clock.now());
    o.metadata.generation = 1;
    delete o.metadata.deletionTimestamp;
    o.apiVersion ??= apiVersionOf(ref);
    return this.write(ref, key, o, 'ADDED');
  }

  update(ref: ResourceRef, obj: KubeObject, subresource?: string): KubeObject {
    const name = obj.metadata?.name ?? '';
    const b = this.bucket(ref);
    const key = ObjectTracker.objKey(ref.namespace, name);
    const old = b.get(key);
    if (!old) throw errors.notFound(ref.group, ref.resource, name);
    const given = obj.metadata?.resourceVersion;
    if (given && given !== old.metadata!.resourceVersion) {
      throw errors.conflict(ref.group, ref.resource, name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    let o: KubeObject;
    if (subresource === 'status') {
      o = clone(old);
      o.status = clone(obj.status);
    } else {
      o = clone(obj);
      o.metadata = { ...o.metadata, uid: old.metadata!.uid, creationTimestamp: old.metadata!.creationTimestamp, generation: old.metadata!.generation };
      if (old.metadata!.deletionTimestamp) o.metadata.deletionTimestamp = old.metadata!.deletionTimestamp;
      if ('status' in old) o.status = clone(old.status);
      if (JSON.stringify(o.spec) !== JSON.stringify(old.spec)) o.metadata.generation = (old.metadata!.generation ?? 0) + 1;
    }
    if (ref.namespace !== undefined) o.metadata!.namespace = ref.namespace;
    // A terminating object whose last finalizer went away is deleted, as on a real server.
    if (o.metadata!.deletionTimestamp && !(o.metadata!.finalizers?.length)) {
      return this.remove(ref, key, o);
    }
    return this.write(ref, key, o, 'MODIFIED', old);
  }

  delete(ref: ResourceRef, name: string): KubeObject {
    const b = this.bucket(ref);
    const key = ObjectTracker.objKey(ref.namespace, name);
    const old = b.get(key);
    if (!old) throw errors.notFound(ref.group, ref.resource, name);
    if (old.metadata!.finalizers?.length) {
      if (old.metadata!.deletionTimestamp) return clone(old);
      const o = clone(old);
      o.metadata!.deletionTimestamp = formatTime(this.clock.now());
      return this.write(ref, key, o, 'MODIFIED', old);
    }
    return this.remove(ref, key, old);
  }

  /**
   * Opens a watch. `resourceVersion` '' / '0' / absent: ADDED for every current object, then live.
   * Otherwise every recorded change after it, then live; too old (compacted): one ERROR 410 event.
   */
  watch(ref: ResourceRef, filter: Filter, resourceVersion: string | undefined, bookmarks: boolean): WatchChannel {
    const w: Watcher = { gvr: gvrKey(ref), filter, bookmarks, channel: undefined as unknown as WatchChannel };
    if (ref.namespace !== undefined) w.namespace = ref.namespace;
    w.channel = new WatchChannel(() => this.watchers.delete(w));
    if (!resourceVersion || resourceVersion === '0') {
      for (const o of this.list(ref, filter).items) w.channel.push({ type: 'ADDED', object: o });
    } else {
      const from = Number(resourceVersion);
      if (!Number.isFinite(from)) throw errors.badRequest(`invalid resourceVersion: ${resourceVersion}`);
      if (from < this.compactedRv) {
        w.channel.push({ type: 'ERROR', object: new ApiError('Expired', `too old resource version: ${from} (${this.compactedRv})`).toStatus() as unknown as KubeObject });
        w.channel.end();
        return w.channel;
      }
      for (const c of this.history) if (c.rv > from) this.deliver(w, c);
    }
    this.watchers.add(w);
    return w.channel;
  }

  /** Forgets the change history up to the current version: older watches get 410 Expired. */
  compact(): void {
    this.compactedRv = this.rv;
    this.history.length = 0;
  }

  /** Sends a BOOKMARK carrying the current resourceVersion to every watch that asked for bookmarks. */
  bookmark(): void {
    for (const w of this.watchers) {
      if (w.bookmarks) w.channel.push({ type: 'BOOKMARK', object: { metadata: { resourceVersion: this.resourceVersion() } } });
    }
  }

  /** Ends every open watch, as a server does when a watch's timeout passes; `err` makes them fail instead. */
  closeWatches(err?: Error): void {
    for (const w of [...this.watchers]) {
      this.watchers.delete(w);
      w.channel.end(err);
    }
  }

  /** Number of open watches (for tests to wait until an informer is watching). */
  watchCount(): number {
    return this.watchers.size;
  }

  private write(ref: ResourceRef, key: string, o: KubeObject, type: WatchEventType, old?: KubeObject): KubeObject {
    o.metadata!.resourceVersion = String(++this.rv);
    this.bucket(ref).set(key, o);
    // Stored objects are never mutated once stored (every write stores a fresh copy), so the history
    // may share them; each watcher gets its own copy on delivery.
    this.record({ rv: this.rv, gvr: gvrKey(ref), namespace: o.metadata!.namespace ?? '', type, object: o, ...(old ? { old } : {}) });
    return clone(o);
  }

  private remove(ref: ResourceRef, key: string, o: KubeObject): KubeObject {
    this.bucket(ref).delete(key);
    const gone = clone(o);
    gone.metadata!.resourceVersion = String(++this.rv);
    this.record({ rv: this.rv, gvr: gvrKey(ref), namespace: gone.metadata!.namespace ?? '', type: 'DELETED', object: gone });
    return clone(gone);
  }

  private record(c: Change): void {
    this.history.push(c);
    for (const w of this.watchers) this.deliver(w, c);
  }

  private deliver(w: Watcher, c: Change): void {
    if (c.gvr !== w.gvr || (w.namespace !== undefined && c.namespace !== w.namespace)) return;
    const now = w.filter(c.object);
    const before = c.old ? w.filter(c.old) : false;
    let event: WatchEvent | undefined;
    if (c.type === 'MODIFIED') {
      if (now && before) event = { type: 'MODIFIED', object: c.object };
      else if (now) event = { type: 'ADDED', object: c.object };
      else if (before) event = { type: 'DELETED', object: c.object };
    } else if (now) {
      event = { type: c.type, object: c.object };
    }
    if (event) w.channel.push({ type: event.type, object: clone(event.object) });
  }

  private newUid(): string {
    const n = (++this.uidSeq).toString(16).padStart(12, '0');
    return `00000000-0000-4000-8000-${n}`;
  }

  private randomSuffix(): string {
    let s = '';
    for (let i = 0; i < 5; i++) s += GENERATE_ALPHABET[Math.floor(this.random() * GENERATE_ALPHABET.length)];
    return s;
  }
}
