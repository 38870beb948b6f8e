/**
 * The mutating verbs: create (POST), update (PUT), patch (PATCH), delete (DELETE) and deletecollection.
 * They decode and check the body against the URL, then call the registry store, which runs the strategy
 * and admission.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errors } from '../../api/errors.js';
import { conflictError, serverSideApply, updateManagedFields } from '../../api/apply/index.js';
import type { KubeObject } from '../../api/types.js';
import { apiVersionOf, type ResourceEntry, storageEntry } from '../registry/catalog.js';
import { toServed, toStored } from '../registry/conversion.js';
import type { DeleteOptions, WriteContext } from '../registry/resource-store.js';
import type { ApiContext, ResourceRequest } from './context.js';
import { decodeBody, decodeObject, mediaTypeOf } from './decode.js';
import { checkUnknownFields, fieldValidationOf } from './field-validation.js';
import { buildFilter } from './filter.js';
import { readBody, writeJson } from './io.js';
import { patcherFor } from './patchers.js';
import { writeObject } from './respond.js';

function dryRunOf(q: URLSearchParams): boolean {
  const v = q.getAll('dryRun');
  for (const d of v) if (d !== 'All') throw errors.badRequest(`Invalid dry run value: "${d}"; supported values: "All"`);
  return v.length > 0;
}

/** The field manager of a write: `?fieldManager=`, else the user agent's program name, as upstream. */
function managerOf(r: ResourceRequest, req: IncomingMessage): string {
  const m = r.query.get('fieldManager');
  if (m) {
    if (m.length > 128) throw errors.badRequest(`fieldManager: Too long: may not be more than 128 bytes`);
    return m;
  }
  return (req.headers['user-agent'] ?? 'unknown').split('/')[0]!.slice(0, 128);
}

/** Top-level fields an endpoint does not own (upstream's reset fields). */
function resetFields(r: ResourceRequest, subresource: string): string[] {
  if (!r.entry.subresources.status) return [];
  return subresource === 'status' ? ['spec'] : ['status'];
}

function gvkOf(e: ResourceEntry): { group: string; version: string; kind: string } {
  return { group: e.group, version: e.version, kind: e.kind };
}

function writeContext(api: ApiContext, r: ResourceRequest): WriteContext {
  return { user: r.user, dryRun: dryRunOf(r.query), now: api.now(), entry: r.entry };
}

/** Checks the body's apiVersion and kind against the URL, filling them in when absent. */
export function checkTypeMeta(obj: KubeObject, entry: ResourceEntry, kind = entry.kind): void {
  const expected = apiVersionOf(entry);
  if (obj.apiVersion !== undefined && obj.apiVersion !== '' && obj.apiVersion !== expected) {
    throw errors.badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${expected})`);
  }
  if (obj.kind !== undefined && obj.kind !== '' && obj.kind !== kind) {
    // Upstream decodes into the URL's type and fails converting between the two.
    const internal = entry.group ? entry.group.split('.')[0] : 'core';
    throw errors.badRequest(`${obj.kind} in version "${entry.version}" cannot be handled as a ${kind}: converting (${entry.version}.${obj.kind}) to (${internal}.${kind}): unknown conversion`);
  }
  obj.apiVersion = expected;
  obj.kind = kind;
}

function checkNamespace(obj: KubeObject, r: ResourceRequest): void {
  const m = (obj.metadata ??= {});
  if (!r.entry.namespaced) return;
  if (m.namespace && m.namespace !== r.info.namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  m.namespace = r.info.namespace;
}

function toStorage(obj: KubeObject, entry: ResourceEntry): KubeObject {
  return toStored(obj, entry, storageEntry(entry.storage) ?? entry);
}

export async function handleCreate(api: ApiContext, r: ResourceRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const obj = decodeObject(body, req.headers['content-type']);
  checkTypeMeta(obj, r.entry);
  checkUnknownFields(obj, r.entry, fieldValidationOf(r.query), res);
  checkNamespace(obj, r);
  const rs = api.resourceStore(r.entry.storage);
  updateManagedFields(undefined, obj, managerOf(r, req), 'Update', api.now(), { ignore: resetFields(r, ''), gvk: gvkOf(r.entry) });
  const created = await rs.create(toStorage(obj, r.entry), writeContext(api, r));
  writeObject(res, 201, r.entry, created, req.headers.accept, r.query, api.now());
}

export async function handleUpdate(api: ApiContext, r: ResourceRequest, req: IncomingMessage, res: ServerResponse, subresource = ''): Promise<void> {
  const body = await readBody(req);
  const obj = decodeObject(body, req.headers['content-type']);
  checkTypeMeta(obj, r.entry);
  checkUnknownFields(obj, r.entry, fieldValidationOf(r.query), res);
  const m = (obj.metadata ??= {});
  if (m.name !== undefined && m.name !== r.info.name) {
    throw errors.badRequest(`the name of the object (${m.name}) does not match the name on the URL (${r.info.name})`);
  }
  m.name = r.info.name;
  checkNamespace(obj, r);
  const stored = toStorage(obj, r.entry);
  const rs = api.resourceStore(r.entry.storage);
  const ns = r.entry.namespaced ? r.info.namespace : '';
  const conditional = Boolean(m.resourceVersion);
  const manager = managerOf(r, req);
  const { object, created } = await rs.update(ns, r.info.name, (cur) => updateManagedFields(cur, structuredClone(stored), manager, 'Update', api.now(),
    { subresource, ignore: resetFields(r, subresource), gvk: gvkOf(r.entry) }), writeContext(api, r), {
    subresource, unconditional: !conditional, createFn: () => structuredClone(stored),
  });
  writeObject(res, created ? 201 : 200, r.entry, object, req.headers.accept, r.query, api.now());
}

export async function handlePatch(api: ApiContext, r: ResourceRequest, req: IncomingMessage, res: ServerResponse, subresource = ''): Promise<void> {
  const body = await readBody(req);
  const mt = mediaTypeOf(req.headers['content-type']);
  if (mt === 'application/apply-patch+yaml') return handleApply(api, r, req, res, body, subresource);
  const patcher = patcherFor(mt);
  const manager = managerOf(r, req);
  const patch = decodeBody(body, mt);
  const validation = fieldValidationOf(r.query);
  const rs = api.resourceStore(r.entry.storage);
  const ns = r.entry.namespaced ? r.info.namespace : '';
  const { object } = await rs.update(ns, r.info.name, (current) => {
    const served = toServed(current, r.entry);
    const patched = patcher(served, patch, r.entry); // patchers never change their input
    if (patched === null || typeof patched !== 'object' || Array.isArray(patched)) throw errors.badRequest('the patch did not produce an object');
    checkTypeMeta(patched, r.entry);
    checkUnknownFields(patched, r.entry, validation, res);
    const m = (patched.metadata ??= {});
    if (m.name !== undefined && m.name !== r.info.name) {
      throw errors.badRequest(`the name of the object (${m.name}) does not match the name on the URL (${r.info.name})`);
    }
    // A patch that names a resourceVersion is a precondition; one that does not applies to the newest.
    if (m.resourceVersion === undefined) m.resourceVersion = current.metadata?.resourceVersion;
    updateManagedFields(served, patched, manager, 'Update', api.now(), { subresource, ignore: resetFields(r, subresource), gvk: gvkOf(r.entry) });
    return toStorage(patched, r.entry);
  }, writeContext(api, r), { subresource });
  writeObject(res, 200, r.entry, object, req.headers.accept, r.query, api.now());
}

/** Server-side apply (`application/apply-patch+yaml`): merge the configuration, owning its fields. */
async function handleApply(api: ApiContext, r: ResourceRequest, req: IncomingMessage, res: ServerResponse, body: Buffer, subresource: string): Promise<void> {
  const manager = r.query.get('fieldManager');
  if (!manager) {
    throw errors.invalid('meta.k8s.io', 'PatchOptions', '', [{ field: 'fieldManager', type: 'FieldValueRequired', detail: 'Required value: is required for apply patch' }]);
  }
  const force = r.query.get('force') === 'true';
  const applied = decodeObject(body, 'application/apply-patch+yaml');
  checkUnknownFields(applied, r.entry, fieldValidationOf(r.query), res);
  const m = applied.metadata;
  if (m?.name !== undefined && m.name !== r.info.name) {
    throw errors.badRequest(`the name of the object (${m.name}) does not match the name on the URL (${r.info.name})`);
  }
  if (r.entry.namespaced && m?.namespace && m.namespace !== r.info.namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const rs = api.resourceStore(r.entry.storage);
  const ns = r.entry.namespaced ? r.info.namespace : '';
  const opts = { applied, manager, force, gvk: gvkOf(r.entry), subresource: subresource || undefined, ignore: resetFields(r, subresource) };
  const apply = (live: KubeObject | undefined): KubeObject => {
    const { object, conflicts } = serverSideApply({ ...opts, live, now: api.now() });
    if (!object) throw conflictError(conflicts);
    return object;
  };
  let result: KubeObject;
  let code = 200;
  try {
    result = (await rs.update(ns, r.info.name, (cur) => {
      const next = apply(toServed(cur, r.entry));
      checkTypeMeta(next, r.entry);
      (next.metadata ??= {}).resourceVersion ??= cur.metadata?.resourceVersion;
      return toStorage(next, r.entry);
    }, writeContext(api, r), { subresource })).object;
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 404 && !subresource)) throw err;
    const next = apply(undefined);
    checkTypeMeta(next, r.entry);
    const nm = (next.metadata ??= {});
    nm.name = r.info.name;
    if (r.entry.namespaced) nm.namespace = r.info.namespace;
    result = await rs.create(toStorage(next, r.entry), writeContext(api, r));
    code = 201;
  }
  writeObject(res, code, r.entry, result, req.headers.accept, r.query, api.now());
}

function num(v: string | null, what: string): number | undefined {
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw errors.badRequest(`invalid ${what} "${v}"`);
  return n;
}

async function deleteOptions(req: IncomingMessage, q: URLSearchParams): Promise<DeleteOptions> {
  const body = await readBody(req);
  let opts: DeleteOptions = {};
  if (body.length > 0) {
    const v = decodeBody(body, req.headers['content-type']);
    if (v && typeof v === 'object' && !Array.isArray(v)) opts = v as DeleteOptions;
    else if (v !== null) throw errors.badRequest('the body of a delete must be a DeleteOptions object');
  }
  const grace = num(q.get('gracePeriodSeconds'), 'gracePeriodSeconds');
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  const policy = q.get('propagationPolicy');
  if (policy) opts.propagationPolicy = policy as DeleteOptions['propagationPolicy'];
  if (q.get('orphanDependents') === 'true') opts.orphanDependents = true;
  if (opts.propagationPolicy && !['Orphan', 'Background', 'Foreground'].includes(opts.propagationPolicy)) {
    throw errors.invalid('', 'DeleteOptions', '', [{ field: 'propagationPolicy', type: 'FieldValueNotSupported', detail: `Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan", "nil"` }]);
  }
  if (opts.orphanDependents !== undefined && opts.propagationPolicy) {
    throw errors.invalid('', 'DeleteOptions', '', [{ field: 'propagationPolicy', type: 'FieldValueInvalid', detail: 'Invalid value: "' + opts.propagationPolicy + '": orphanDependents and deletionPropagation cannot be both set' }]);
  }
  if (opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0) opts.gracePeriodSeconds = 1;
  return opts;
}

/** Objects whose deletion returns the object itself rather than a Status, as upstream's stores do. */
const RETURNS_DELETED_OBJECT = new Set(['pods', 'services', 'namespaces', 'nodes', 'persistentvolumes', 'persistentvolumeclaims']);

export async function handleDelete(api: ApiContext, r: ResourceRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const opts = await deleteOptions(req, r.query);
  const rs = api.resourceStore(r.entry.storage);
  const ns = r.entry.namespaced ? r.info.namespace : '';
  const { object, deleted } = await rs.delete(ns, r.info.name, opts, writeContext(api, r));
  if (!deleted || RETURNS_DELETED_OBJECT.has(r.entry.storage)) {
    writeObject(res, 200, r.entry, object, req.headers.accept, r.query, api.now());
    return;
  }
  writeJson(res, 200, {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success',
    details: { name: r.info.name, group: r.entry.group, kind: r.entry.resource, uid: object.metadata?.uid },
  });
}

export async function handleDeleteCollection(api: ApiContext, r: ResourceRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const opts = await deleteOptions(req, r.query);
  const rs = api.resourceStore(r.entry.storage);
  const { filter } = buildFilter(r.query, rs.strategy);
  const ns = r.entry.namespaced && r.info.namespace ? r.info.namespace : undefined;
  await api.cache.waitFor(await api.store.currentRevision());
  const targets = api.cache.list(r.entry.storage, ns).filter((c) => !filter || filter(c.obj));
  const ctx = writeContext(api, r);
  const items: KubeObject[] = [];
  for (const t of targets) {
    try {
      items.push((await rs.delete(t.namespace, t.name, opts, ctx)).object);
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) continue;
      throw err;
    }
  }
  writeJson(res, 200, {
    kind: `${r.entry.kind}List`, apiVersion: apiVersionOf(r.entry), metadata: { resourceVersion: String(api.cache.revision) },
    items: items.map((o) => toServed(o, r.entry)),
  });
}
