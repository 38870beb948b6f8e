/**
 * One object as the watch cache holds it: parsed once when its event arrives, with its resourceVersion
 * filled in, and serialised at most once (lazily), so lists and watch fan-out reuse the same JSON text.
 */
import type { KubeObject } from '../../api/types.js';

export class CachedObject {
  private text?: string;
  constructor(
    readonly key: string,
    readonly obj: KubeObject,
    /** The object's modRevision: its resourceVersion. */
    readonly rv: number,
  ) {}

  /** The JSON text of `obj` (never mutate `obj` after it has been read). */
  get json(): string {
    if (this.text === undefined) this.text = JSON.stringify(this.obj);
    return this.text;
  }

  get namespace(): string {
    return this.obj.metadata?.namespace ?? '';
  }

  get name(): string {
    return this.obj.metadata?.name ?? '';
  }

  get labels(): Record<string, string> | undefined {
    return this.obj.metadata?.labels;
  }

  /** Parses stored bytes into a cached object with its resourceVersion set. */
  static fromStore(key: string, value: Uint8Array, modRevision: number): CachedObject {
    const obj = JSON.parse(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8')) as KubeObject;
    obj.metadata ??= {};
    obj.metadata.resourceVersion = String(modRevision);
    return new CachedObject(key, obj, modRevision);
  }
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change of one object, as watchers receive it. `prev` is the object before the change, if any. */
export interface CacheEvent {
  type: WatchEventType;
  object: CachedObject;
  prev?: CachedObject;
  rv: number;
}
