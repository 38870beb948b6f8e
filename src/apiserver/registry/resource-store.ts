/**
 * The generic registry store: create, read, update and delete of one stored resource, following the
 * resource's strategy. This is upstream's `registry/generic/registry.Store`; the HTTP handlers and
 * subresources (scale, binding, status) call it, and so does bootstrap.
 *
 * - Objects are stored as JSON without `metadata.resourceVersion`; the store's modRevision is the
 *   resourceVersion and is filled in on every read.
 * - Updates are guarded by the modRevision they read: an update whose body names an older
 *   resourceVersion is a 409 Conflict; one that names none retries against the newest version.
 * - An object with finalizers (or a graceful deletion) gets `deletionTimestamp` on DELETE and stays until
 *   an update leaves it with no finalizers.
 */
import { ApiError, errors } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import type { FieldError } from '../../api/validation/field-error.js';
import { isStoreError, type KeyValue, type Store } from '../../storage/store.js';
import type { AdmissionChain, Operation } from '../admission/admission.js';
import type { UserInfo } from '../authn/authenticator.js';
import { CachedObject } from '../watchcache/cached-object.js';
import type { WatchCache } from '../watchcache/watch-cache.js';
import type { ResourceEntry } from './catalog.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../api/validation/object-meta.js';
import { nameIsDNSSubdomain } from '../../api/validation/names.js';
import { beforeCreate, beforeUpdate, specChanged, timestamp } from './object-meta.js';
import { type Strategy, type StrategyContext, strategyFor } from './strategy.js';

export interface WriteContext {
  user?: UserInfo;
  dryRun?: boolean;
  now?: Date;
  /** The entry the request addressed: error messages name its group. */
  entry?: ResourceEntry;
  /** Skip admission (bootstrap and internal writes). */
  skipAdmission?: boolean;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export type UpdateFn = (current: KubeObject) => KubeObject | Promise<KubeObject>;

export interface UpdateOptions {
  /** '' for the main resource, 'status' for the status subresource, or another subresource name. */
  subresource?: string;
  /** When the object is missing, create from `createFn()` if the strategy allows. */
  createFn?: () => KubeObject;
  /** Retry on a store conflict (true unless the request named a resourceVersion). */
  unconditional?: boolean;
}

const MAX_RETRIES = 8;

export class ResourceStore {
  readonly strategy: Strategy;

  constructor(
    /** The storage-version entry of this resource. */
    readonly entry: ResourceEntry,
    private readonly store: Store,
    readonly cache: WatchCache,
    private readonly admission?: AdmissionChain,
    strategy?: Strategy,
  ) {
    this.strategy = strategy ?? strategyFor(entry.storage);
    this.hasStatus = this.strategy.hasStatus ?? Boolean(entry.subresources.status);
  }

  /** Whether the main resource leaves status alone (the kind has a status subresource). */
  private readonly hasStatus: boolean;

  key(namespace: string, name: string): string {
    return this.entry.namespaced ? `/registry/${this.entry.storage}/${namespace}/${name}` : `/registry/${this.entry.storage}/${name}`;
  }

  prefix(namespace?: string): string {
    return this.entry.namespaced && namespace ? `/registry/${this.entry.storage}/${namespace}/` : `/registry/${this.entry.storage}/`;
  }

  private errEntry(ctx?: WriteContext): ResourceEntry {
    return ctx?.entry ?? this.entry;
  }

  /** A store read where a name that cannot be a key (non-ASCII, too long) simply does not exist. */
  private async read(key: string): Promise<KeyValue | undefined> {
    try {
      return (await this.store.get(key)).kv;
    } catch (err) {
      if (isStoreError(err, 'InvalidKey')) return undefined;
      throw err;
    }
  }

  /** Reads one object from the store (a consistent read). Throws NotFound. */
  async get(namespace: string, name: string, ctx?: WriteContext): Promise<CachedObject> {
    const kv = await this.read(this.key(namespace, name));
    if (!kv) throw errors.notFound(this.errEntry(ctx).group, this.errEntry(ctx).resource, name);
    return CachedObject.fromStore(kv.key, kv.value, kv.modRevision);
  }

  private encode(obj: KubeObject): Buffer {
    const rv = obj.metadata?.resourceVersion;
    if (obj.metadata) delete obj.metadata.resourceVersion;
    const bytes = Buffer.from(JSON.stringify(obj));
    if (obj.metadata && rv !== undefined) obj.metadata.resourceVersion = rv;
    return bytes;
  }

  private sctx(ctx: WriteContext): StrategyContext {
    return { now: ctx.now ?? new Date(), entry: this.entry, dryRun: Boolean(ctx.dryRun) };
  }

  private invalid(obj: KubeObject, errs: FieldError[], ctx?: WriteContext): ApiError {
    const e = this.errEntry(ctx);
    return errors.invalid(e.group, e.kind, obj.metadata?.name ?? '', errs);
  }

  private async admit(op: Operation, ctx: WriteContext, subresource: string, obj?: KubeObject, old?: KubeObject): Promise<void> {
    if (!this.admission || ctx.skipAdmission) return;
    const m = obj?.metadata ?? old?.metadata ?? {};
    await this.admission.admit({
      operation: op, entry: this.errEntry(ctx), subresource, namespace: m.namespace ?? '', name: m.name ?? '',
      object: obj, oldObject: old, user: ctx.user, dryRun: Boolean(ctx.dryRun),
    });
  }

  private validateMeta(obj: KubeObject): FieldError[] {
    return validateObjectMeta(obj.metadata, { namespaced: this.entry.namespaced, nameFn: this.strategy.nameValidator ?? nameIsDNSSubdomain });
  }

  /**
   * Validates a create (no `old`; its metadata was validated before admission already) or an update. The `binding` subresource makes its own checks and may set
   * `spec.nodeName`, which the kind's update validation forbids, so only metadata rules apply to it.
   */
  private validateWhole(obj: KubeObject, ctx: WriteContext, old?: KubeObject, subresource = ''): void {
    const errs = old ? validateObjectMetaUpdate(obj.metadata, old.metadata) : [];
    if (old && subresource !== 'binding') errs.push(...(this.strategy.validateUpdate?.(obj, old) ?? this.strategy.validate?.(obj) ?? []));
    else errs.push(...(this.strategy.validate?.(obj) ?? []));
    if (errs.length) throw this.invalid(obj, errs, ctx);
  }

  private storeError(err: unknown, name: string, ctx?: WriteContext): never {
    const e = this.errEntry(ctx);
    if (isStoreError(err, 'KeyExists')) throw errors.alreadyExists(e.group, e.resource, name);
    if (isStoreError(err, 'NotFound')) throw errors.notFound(e.group, e.resource, name);
    if (isStoreError(err, 'ValueTooLarge')) throw new ApiError('RequestEntityTooLarge', `etcdserver: request is too large`);
    if (isStoreError(err, 'Conflict')) throw errors.conflict(e.group, e.resource, name, 'the object has been modified; please apply your changes to the latest version and try again');
    throw err;
  }

  /** Creates `obj` (its namespace already set). Resolves to the stored object. */
  async create(obj: KubeObject, ctx: WriteContext = {}): Promise<KubeObject> {
    const sctx = this.sctx(ctx);
    this.strategy.defaults?.(obj);
    if (this.hasStatus && !this.strategy.prepareForCreate && !this.strategy.keepStatusOnCreate) delete obj.status;
    await this.strategy.prepareForCreate?.(obj, sctx);
    beforeCreate(obj, sctx.now, Boolean(this.strategy.tracksGeneration));
    if (!this.entry.namespaced && obj.metadata) delete obj.metadata.namespace;
    // Validate the name before admission so bad names are 422 whatever the namespace.
    const metaErrs = this.validateMeta(obj);
    if (metaErrs.length) throw this.invalid(obj, metaErrs, ctx);
    await this.admit('CREATE', ctx, '', obj);
    this.validateWhole(obj, ctx);
    const name = obj.metadata!.name!;
    const key = this.key(obj.metadata!.namespace ?? '', name);
    if (ctx.dryRun) {
      const kv = await this.read(key);
      if (kv) throw errors.alreadyExists(this.errEntry(ctx).group, this.errEntry(ctx).resource, name);
      return obj;
    }
    try {
      const rev = await this.store.create(key, this.encode(obj));
      obj.metadata!.resourceVersion = String(rev);
      this.cache.prime(new CachedObject(key, obj, rev));
      return obj;
    } catch (err) {
      await this.strategy.afterDelete?.(obj); // release what prepareForCreate allocated
      this.storeError(err, name, ctx);
    }
  }

  /**
   * Reads the object, applies `fn` to a copy, and writes the result if it changed, retrying on conflicts.
   * `fn` throws to abort (e.g. Conflict for a stale resourceVersion in the body).
   */
  async update(namespace: string, name: string, fn: UpdateFn, ctx: WriteContext = {}, opts: UpdateOptions = {}): Promise<{ object: KubeObject; created: boolean }> {
    const key = this.key(namespace, name);
    const sub = opts.subresource ?? '';
    for (let attempt = 0; ; attempt++) {
      const kv = await this.read(key);
      if (!kv) {
        if (opts.createFn && this.strategy.allowCreateOnUpdate && sub === '') {
          const obj = opts.createFn();
          return { object: await this.create(obj, ctx), created: true };
        }
        throw errors.notFound(this.errEntry(ctx).group, this.errEntry(ctx).resource, name);
      }
      const old = CachedObject.fromStore(kv.key, kv.value, kv.modRevision).obj;
      const next = await fn(structuredClone(old));
      await this.prepareUpdate(next, old, sub, ctx);
      const bytes = this.encode(next);
      if (Buffer.compare(bytes, Buffer.from(kv.value)) === 0) return { object: old, created: false };
      if (ctx.dryRun) return { object: next, created: false };
      try {
        const rev = await this.store.update(key, bytes, kv.modRevision);
        next.metadata!.resourceVersion = String(rev);
        this.cache.prime(new CachedObject(key, next, rev));
        if (await this.removeIfFinished(next, key, rev)) return { object: next, created: false };
        return { object: next, created: false };
      } catch (err) {
        if (isStoreError(err, 'Conflict') && opts.unconditional !== false && attempt < MAX_RETRIES) continue;
        this.storeError(err, name, ctx);
      }
    }
  }

  private async prepareUpdate(next: KubeObject, old: KubeObject, sub: string, ctx: WriteContext): Promise<void> {
    const sctx = this.sctx(ctx);
    const m = (next.metadata ??= {});
    const e = this.errEntry(ctx);
    if (m.name !== undefined && m.name !== old.metadata?.name) {
      throw errors.badRequest(`the name of the object (${m.name}) does not match the name on the URL (${old.metadata?.name})`);
    }
    m.name = old.metadata?.name;
    if (this.entry.namespaced) m.namespace = old.metadata?.namespace;
    else delete m.namespace;
    if (m.resourceVersion !== undefined && m.resourceVersion !== '' && m.resourceVersion !== old.metadata?.resourceVersion) {
      throw errors.conflict(e.group, e.resource, old.metadata?.name ?? '', 'the object has been modified; please apply your changes to the latest version and try again');
    }
    next.apiVersion = old.apiVersion;
    next.kind = old.kind;
    if (sub === 'status') {
      // The status subresource changes status (and, as upstream, labels/annotations are ignored).
      const status = next.status;
      const keep = structuredClone(old);
      keep.metadata = { ...keep.metadata, resourceVersion: m.resourceVersion };
      if (status === undefined) delete keep.status;
      else keep.status = status;
      for (const k of Object.keys(next)) delete (next as Record<string, unknown>)[k];
      Object.assign(next, keep);
    } else if (sub === '') {
      this.strategy.defaults?.(next);
      if (this.hasStatus) {
        if (old.status === undefined) delete next.status;
        else next.status = structuredClone(old.status);
      }
      await this.strategy.prepareForUpdate?.(next, old, sctx);
    }
    beforeUpdate(next, old, Boolean(this.strategy.tracksGeneration), specChanged(next, old));
    await this.admit('UPDATE', ctx, sub, next, old);
    this.validateWhole(next, ctx, old, sub);
  }

  /** After an update: an object being deleted whose last finalizer went is removed for good. */
  private async removeIfFinished(obj: KubeObject, key: string, rev: number): Promise<boolean> {
    const m = obj.metadata!;
    if (!m.deletionTimestamp || (m.finalizers?.length ?? 0) > 0) return false;
    if ((m.deletionGracePeriodSeconds ?? 0) > 0) return false;
    if (this.strategy.readyToRemove && !this.strategy.readyToRemove(obj)) return false;
    try {
      await this.store.delete(key, rev);
      await this.strategy.afterDelete?.(obj);
      return true;
    } catch (err) {
      if (isStoreError(err, 'Conflict') || isStoreError(err, 'NotFound')) return false;
      throw err;
    }
  }

  /**
   * Deletes an object. Resolves to the object as it was removed (`deleted: true`), or as it now stands
   * marked for deletion (`deleted: false`).
   */
  async delete(namespace: string, name: string, opts: DeleteOptions = {}, ctx: WriteContext = {}): Promise<{ object: KubeObject; deleted: boolean }> {
    const key = this.key(namespace, name);
    const e = this.errEntry(ctx);
    for (let attempt = 0; ; attempt++) {
      const kv = await this.read(key);
      if (!kv) throw errors.notFound(e.group, e.resource, name);
      const cur = CachedObject.fromStore(kv.key, kv.value, kv.modRevision).obj;
      const m = cur.metadata!;
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== m.uid) {
        throw errors.conflict(e.group, e.resource, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${m.uid}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== m.resourceVersion) {
        throw errors.conflict(e.group, e.resource, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${m.resourceVersion}`);
      }
      await this.admit('DELETE', ctx, '', undefined, cur);
      const next = structuredClone(cur);
      const nm = next.metadata!;
      const finalizers = new Set(nm.finalizers ?? []);
      const policy = opts.propagationPolicy ?? (opts.orphanDependents ? 'Orphan' : undefined);
      if (policy === 'Orphan') { finalizers.add('orphan'); finalizers.delete('foregroundDeletion'); }
      if (policy === 'Foreground') { finalizers.add('foregroundDeletion'); finalizers.delete('orphan'); }
      if (policy === 'Background') { finalizers.delete('orphan'); finalizers.delete('foregroundDeletion'); }
      const mode = this.strategy.deletion?.(cur, opts.gracePeriodSeconds) ?? { mode: 'immediate' as const };
      const now = ctx.now ?? new Date();
      let mark = finalizers.size > 0 || mode.mode === 'graceful' || Boolean(this.strategy.beginDeletion);
      if (m.deletionTimestamp && finalizers.size === 0 && mode.mode === 'immediate' && (!this.strategy.readyToRemove || this.strategy.readyToRemove(cur))) mark = false;
      if (m.deletionTimestamp && mark) {
        // Already being deleted: only a shorter grace period or a finalizer change moves it along.
        const grace = mode.mode === 'graceful' ? mode.graceSeconds : 0;
        const changedFinalizers = finalizers.size !== (m.finalizers?.length ?? 0);
        if (!changedFinalizers && (m.deletionGracePeriodSeconds ?? 0) <= grace) return { object: cur, deleted: false };
        if ((m.deletionGracePeriodSeconds ?? 0) > grace) {
          nm.deletionGracePeriodSeconds = grace;
          nm.deletionTimestamp = timestamp(new Date(now.getTime() + grace * 1000));
        }
      } else if (mark) {
        const grace = mode.mode === 'graceful' ? mode.graceSeconds : 0;
        nm.deletionTimestamp = timestamp(new Date(now.getTime() + grace * 1000));
        nm.deletionGracePeriodSeconds = grace;
        this.strategy.beginDeletion?.(next, this.sctx(ctx));
      }
      if (mark) {
        nm.finalizers = [...finalizers];
        if (nm.finalizers.length === 0) delete nm.finalizers;
        if (ctx.dryRun) return { object: next, deleted: false };
        try {
          const rev = await this.store.update(key, this.encode(next), kv.modRevision);
          nm.resourceVersion = String(rev);
          // A grace period of zero with nothing left to wait for ends at once.
          if (await this.removeIfFinished(next, key, rev)) return { object: next, deleted: true };
          return { object: next, deleted: false };
        } catch (err) {
          if (isStoreError(err, 'Conflict') && attempt < MAX_RETRIES) continue;
          this.storeError(err, name, ctx);
        }
      }
      if (ctx.dryRun) return { object: cur, deleted: true };
      try {
        const { revision } = await this.store.delete(key, kv.modRevision);
        cur.metadata!.resourceVersion = String(revision);
        await this.strategy.afterDelete?.(cur);
        return { object: cur, deleted: true };
      } catch (err) {
        if (isStoreError(err, 'Conflict') && attempt < MAX_RETRIES) continue;
        this.storeError(err, name, ctx);
      }
    }
  }

  /** A raw key-value read, for callers that need the modRevision. */
  async getKV(namespace: string, name: string): Promise<KeyValue | undefined> {
    return this.read(this.key(namespace, name));
  }
}
