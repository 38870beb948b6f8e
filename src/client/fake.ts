/**
 * `FakeClient`: a `Client` over an in-memory `ObjectTracker`, for sample-controller-style unit tests:
 * seed objects, run one sync, then compare `client.writes()` (or `actions()`) with the expected list of
 * API calls.
 *
 * Every call is recorded, in order, as an `Action` `{verb, resource, namespace, name, subresource, body}`
 * with absent fields left out (so `assert.deepEqual` against a literal works). `resource` is the
 * qualified plural: `pods`, `deployments.apps`. Reactors (`prependReactor`) may answer a call instead of
 * the tracker, e.g. to inject a Conflict.
 *
 * Label and field selectors are parsed by the API's own parsers; a field selector compares any dotted
 * path (`spec.nodeName=n1`), as the fake does not know which fields each kind supports.
 *
 * Patches: merge and strategic patches are applied as JSON merge patches (RFC 7386; strategic list
 * merging is not emulated), JSON patches (RFC 6902) fully; apply patches as a merge of the whole object.
 */
import { ApiError, errors, type Status } from '../api/errors.js';
import { parseFieldSelector } from '../api/fields/selector.js';
import { parseLabelSelector } from '../api/labels/selector.js';
import type { KubeList, KubeObject } from '../api/types.js';
import { realClock, type Clock } from './clock.js';
import type { Client, DeleteOptions, GetOptions, ListOptions, PatchOptions, PatchType, Watch, WatchOptions, WriteOptions } from './client.js';
import { ObjectTracker, type Filter } from './fake-tracker.js';
import { apiVersionOf, qualifiedResource, type ResourceRef } from './resource.js';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';

export interface Action {
  verb: Verb;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  patchType?: PatchType;
  body?: unknown;
}

/** Answers a call (`{ result }` or `{ error }`) or lets it through to the tracker (`undefined`). */
export type Reactor = (action: Action) => { result?: unknown; error?: unknown } | undefined;

const WRITE_VERBS: ReadonlySet<Verb> = new Set(['create', 'update', 'patch', 'delete']);

export class FakeClient implements Client {
  readonly tracker: ObjectTracker;
  private readonly recorded: Action[] = [];
  private readonly reactors: { verb: Verb | '*'; resource: string; fn: Reactor }[] = [];

  constructor(opts: { clock?: Clock; random?: () => number; tracker?: ObjectTracker } = {}) {
    this.tracker = opts.tracker ?? new ObjectTracker(opts.clock ?? realClock, opts.random);
  }

  /** Seeds objects without recording actions. Each object's `metadata.namespace` picks its namespace. */
  seed(ref: ResourceRef, ...objs: KubeObject[]): void {
    for (const o of objs) {
      const ns = o.metadata?.namespace;
      this.tracker.add(ns === undefined ? ref : { ...ref, namespace: ns }, o);
    }
  }

  /** Every call so far, in order. */
  actions(): Action[] {
    return structuredClone(this.recorded);
  }

  /** Only the calls that change state: create, update, patch, delete. */
  writes(): Action[] {
    return this.actions().filter((a) => WRITE_VERBS.has(a.verb));
  }

  clearActions(): void {
    this.recorded.length = 0;
  }

  /** `verb` and `resource` ('*' for any; resource as in `Action.resource`) select the calls `fn` sees first. */
  prependReactor(verb: Verb | '*', resource: string, fn: Reactor): void {
    this.reactors.unshift({ verb, resource, fn });
  }

  async get<T extends KubeObject = KubeObject>(ref: ResourceRef, name: string, opts: GetOptions = {}): Promise<T> {
    return this.invoke(this.action('get', ref, { name, subresource: opts.subresource }), () => this.tracker.get(ref, name) as T);
  }

  async list<T extends KubeObject = KubeObject>(ref: ResourceRef, opts: ListOptions = {}): Promise<KubeList<T>> {
    return this.invoke(this.action('list', ref, {}), () => {
      const { items, resourceVersion } = this.tracker.list(ref, selectorFilter(opts));
      return { apiVersion: apiVersionOf(ref), kind: 'List', metadata: { resourceVersion }, items: items as T[] };
    });
  }

  async watch<T extends KubeObject = KubeObject>(ref: ResourceRef, opts: WatchOptions = {}): Promise<Watch<T>> {
    return this.invoke(this.action('watch', ref, {}), () =>
      this.tracker.watch(ref, selectorFilter(opts), opts.resourceVersion, opts.allowWatchBookmarks ?? false) as unknown as Watch<T>);
  }

  async create<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T, opts: WriteOptions & { name?: string } = {}): Promise<T> {
    return this.invoke(this.action('create', ref, { name: opts.name ?? obj.metadata?.name, subresource: opts.subresource, body: obj }), () => {
      if (opts.subresource) return this.createSubresource(ref, opts.name ?? '', opts.subresource, obj) as T;
      return (opts.dryRun ? obj : this.tracker.create(ref, obj)) as T;
    });
  }

  async update<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.invoke(this.action('update', ref, { name: obj.metadata?.name, subresource: opts.subresource, body: obj }), () =>
      (opts.dryRun ? obj : this.tracker.update(ref, obj, opts.subresource)) as T);
  }

  async patch<T extends KubeObject = KubeObject>(ref: ResourceRef, name: string, type: PatchType, patch: unknown, opts: PatchOptions = {}): Promise<T> {
    return this.invoke(this.action('patch', ref, { name, subresource: opts.subresource, patchType: type, body: patch }), () => {
      const current = this.tracker.get(ref, name);
      const patched = applyPatch(current, type, patch);
      // A patch carries no resourceVersion precondition unless it sets one itself.
      const patchRv = (patch as { metadata?: { resourceVersion?: string } } | undefined)?.metadata?.resourceVersion;
      if (type !== 'json' && patchRv === undefined) patched.metadata!.resourceVersion = current.metadata!.resourceVersion!;
      return (opts.dryRun ? patched : this.tracker.update(ref, patched, opts.subresource)) as T;
    });
  }

  async delete(ref: ResourceRef, name: string, opts: DeleteOptions & { subresource?: string } = {}): Promise<KubeObject | Status> {
    const { subresource, ...body } = opts;
    return this.invoke(this.action('delete', ref, { name, subresource, body: Object.keys(body).length ? body : undefined }), () => {
      if (opts.preconditions?.uid !== undefined || opts.preconditions?.resourceVersion !== undefined) {
        const cur = this.tracker.get(ref, name);
        if (opts.preconditions.uid !== undefined && cur.metadata?.uid !== opts.preconditions.uid) {
          throw errors.conflict(ref.group, ref.resource, name, `Precondition failed: UID in precondition: ${opts.preconditions.uid}, UID in object meta: ${cur.metadata?.uid}`);
        }
        if (opts.preconditions.resourceVersion !== undefined && cur.metadata?.resourceVersion !== opts.preconditions.resourceVersion) {
          throw errors.conflict(ref.group, ref.resource, name, `Precondition failed: ResourceVersion in precondition: ${opts.preconditions.resourceVersion}, ResourceVersion in object meta: ${cur.metadata?.resourceVersion}`);
        }
      }
      return opts.dryRun ? this.tracker.get(ref, name) : this.tracker.delete(ref, name);
    });
  }

  /** `pods/NAME/binding` sets spec.nodeName; `pods/NAME/eviction` deletes the pod; others are recorded only. */
  private createSubresource(ref: ResourceRef, name: string, subresource: string, body: KubeObject): KubeObject {
    if (ref.group === '' && ref.resource === 'pods' && subresource === 'binding') {
      const pod = this.tracker.get(ref, name);
      const target = (body as { target?: { name?: string } }).target?.name;
      if ((pod.spec as { nodeName?: string } | undefined)?.nodeName) {
        throw errors.conflict('', 'pods', name, `pod ${name} is already assigned to node "${(pod.spec as { nodeName: string }).nodeName}"`);
      }
      pod.spec = { ...(pod.spec as object), nodeName: target };
      this.tracker.update(ref, pod);
      return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } as unknown as KubeObject;
    }
    if (ref.group === '' && ref.resource === 'pods' && subresource === 'eviction') {
      this.tracker.delete(ref, name);
      return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } as unknown as KubeObject;
    }
    this.tracker.get(ref, name);
    return structuredClone(body);
  }

  private action(verb: Verb, ref: ResourceRef, extra: { name?: string | undefined; subresource?: string | undefined; patchType?: PatchType; body?: unknown }): Action {
    const a: Action = { verb, resource: qualifiedResource(ref) };
    if (ref.namespace !== undefined) a.namespace = ref.namespace;
    if (extra.name !== undefined) a.name = extra.name;
    if (extra.subresource) a.subresource = extra.subresource;
    if (extra.patchType) a.patchType = extra.patchType;
    if (extra.body !== undefined) a.body = structuredClone(extra.body);
    return a;
  }

  private invoke<R>(action: Action, run: () => R): Promise<R> {
    this.recorded.push(action);
    for (const r of this.reactors) {
      if ((r.verb !== '*' && r.verb !== action.verb) || (r.resource !== '*' && r.resource !== action.resource)) continue;
      const answer = r.fn(structuredClone(action));
      if (!answer) continue;
      if (answer.error !== undefined) return Promise.reject(answer.error);
      return Promise.resolve(answer.result as R);
    }
    try {
      return Promise.resolve(run());
    } catch (err) {
      return Promise.reject(err);
    }
  }
}

// ---- selectors: the API's own parsers (src/api/labels, src/api/fields) ----

function selectorFilter(opts: { labelSelector?: string; fieldSelector?: string }): Filter {
  const labels = opts.labelSelector ? parseLabelSelector(opts.labelSelector) : undefined;
  const fields = opts.fieldSelector ? parseFieldSelector(opts.fieldSelector) : undefined;
  return (obj) => (!labels || labels.matches(obj.metadata?.labels)) && (!fields || fields.matches((path) => fieldValue(obj, path)));
}

/** A dotted path's value as a string (absent: ''), as field selectors compare it. */
function fieldValue(obj: KubeObject, path: string): string {
  let v: unknown = obj;
  for (const p of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return v === undefined || v === null ? '' : String(v);
}

// ---- patches ----

function applyPatch(current: KubeObject, type: PatchType, patch: unknown): KubeObject {
  if (type === 'json') return applyJsonPatch(current, patch as JsonPatchOp[]);
  return mergePatch(current, patch) as KubeObject;
}

/** RFC 7386: objects merge key by key, `null` deletes, anything else replaces. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  return path.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function applyJsonPatch(current: KubeObject, ops: JsonPatchOp[]): KubeObject {
  let doc: unknown = structuredClone(current);
  const invalid = (msg: string) => new ApiError('Invalid', msg);
  const parentOf = (path: string[]): [Record<string, unknown> | unknown[], string] => {
    let node: unknown = doc;
    for (const p of path.slice(0, -1)) {
      node = Array.isArray(node) ? node[Number(p)] : (node as Record<string, unknown> | undefined)?.[p];
      if (node === undefined || node === null || typeof node !== 'object') throw invalid(`jsonpatch: path not found: /${path.join('/')}`);
    }
    return [node as Record<string, unknown> | unknown[], path[path.length - 1]!];
  };
  const read = (path: string[]): unknown => {
    if (path.length === 0) return doc;
    const [parent, key] = parentOf(path);
    const v = Array.isArray(parent) ? parent[Number(key)] : parent[key];
    if (v === undefined) throw invalid(`jsonpatch: path not found: /${path.join('/')}`);
    return v;
  };
  const remove = (path: string[]): void => {
    read(path);
    const [parent, key] = parentOf(path);
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  };
  const add = (path: string[], value: unknown): void => {
    if (path.length === 0) {
      doc = value;
      return;
    }
    const [parent, key] = parentOf(path);
    if (Array.isArray(parent)) parent.splice(key === '-' ? parent.length : Number(key), 0, value);
    else parent[key] = value;
  };
  for (const op of ops) {
    const path = pointer(op.path);
    switch (op.op) {
      case 'add': add(path, structuredClone(op.value)); break;
      case 'remove': remove(path); break;
      case 'replace': remove(path); add(path, structuredClone(op.value)); break;
      case 'move': { const v = read(pointer(op.from!)); remove(pointer(op.from!)); add(path, v); break; }
      case 'copy': add(path, structuredClone(read(pointer(op.from!)))); break;
      case 'test':
        if (JSON.stringify(read(path)) !== JSON.stringify(op.value)) throw invalid(`jsonpatch: test failed at ${op.path}`);
        break;
    }
  }
  return doc as KubeObject;
}
