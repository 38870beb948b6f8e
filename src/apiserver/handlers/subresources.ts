/**
 * Subresources: status (the generic verbs on the status part), scale (autoscaling/v1 Scale of workload
 * controllers), pods/binding, pods/eviction, namespaces/finalize, and the "connect" subresources (pods'
 * log, exec, attach, portforward, proxy), which other components register handlers for.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errors } from '../../api/errors.js';
import { formatLabels, selectorFromLabelSelector } from '../../api/labels/selector.js';
import type { KubeObject, LabelSelector, Pod, PodDisruptionBudget } from '../../api/types.js';
import { lookup, type ResourceEntry } from '../registry/catalog.js';
import { timestamp } from '../registry/object-meta.js';
import type { ApiContext, ResourceRequest } from './context.js';
import { decodeBody, decodeObject, mediaTypeOf } from './decode.js';
import { readBody, writeJson } from './io.js';
import { patcherFor } from './patchers.js';
import { writeObject } from './respond.js';
import { handleTokenRequest } from './token-request.js';
import { checkTypeMeta, handlePatch, handleUpdate } from './write.js';

/** A handler for a connect subresource (e.g. pods/log), registered by the component that serves it. */
export type ConnectHandler = (api: ApiContext, r: ResourceRequest, req: IncomingMessage, res: ServerResponse) => Promise<void>;

const connectHandlers = new Map<string, ConnectHandler>();

export function registerConnectHandler(resource: string, subresource: string, h: ConnectHandler): void {
  connectHandlers.set(`${resource}/${subresource}`, h);
}

/** The autoscaling/v1 Scale "resource", for rendering and checking Scale bodies. */
const SCALE_ENTRY: ResourceEntry = {
  group: 'autoscaling', version: 'v1', resource: 'scale', kind: 'Scale', singular: 'scale', namespaced: true, shortNames: [], categories: [],
  verbs: ['get', 'patch', 'update'], subresources: {}, storage: 'scale', storageVersion: true,
};

function scaleOf(obj: KubeObject): KubeObject {
  const spec = (obj.spec ?? {}) as { replicas?: number; selector?: LabelSelector | Record<string, string> };
  const status = (obj.status ?? {}) as { replicas?: number };
  const sel = spec.selector;
  let selector = '';
  if (sel && typeof sel === 'object' && ('matchLabels' in sel || 'matchExpressions' in sel)) selector = selectorFromLabelSelector(sel as LabelSelector).toString();
  else if (sel) selector = formatLabels(sel as Record<string, string>);
  const m = obj.metadata ?? {};
  return {
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector },
  };
}

async function handleScale(api: ApiContext, r: ResourceRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const rs = api.resourceStore(r.entry.storage);
  const ns = r.entry.namespaced ? r.info.namespace : '';
  const now = api.now();
  if (r.info.verb === 'get') {
    writeObject(res, 200, SCALE_ENTRY, scaleOf((await rs.get(ns, r.info.name, { entry: r.entry })).obj), req.headers.accept, r.query, now);
    return;
  }
  if (r.info.verb !== 'update' && r.info.verb !== 'patch') throw errors.methodNotAllowed(`${r.info.verb} is not supported on scale`);
  const body = await readBody(req);
  const mt = mediaTypeOf(req.headers['content-type']);
  const parsed = r.info.verb === 'update' ? decodeObject(body, mt) : decodeBody(body, mt);
  const { object } = await rs.update(ns, r.info.name, (cur) => {
    let scale: KubeObject;
    if (r.info.verb === 'update') scale = parsed as KubeObject;
    else scale = patcherFor(mt)(scaleOf(cur), parsed, SCALE_ENTRY);
    checkTypeMeta(scale, SCALE_ENTRY, 'Scale');
    const rv = scale.metadata?.resourceVersion;
    if (rv && rv !== cur.metadata?.resourceVersion) {
      throw errors.conflict(r.entry.group, r.entry.resource, r.info.name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
    if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)) {
      throw errors.invalid('autoscaling', 'Scale', r.info.name, [{ field: 'spec.replicas', type: 'FieldValueInvalid', detail: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` }]);
    }
    cur.spec = { ...(cur.spec as object), replicas: replicas ?? 0 };
    return cur;
  }, { user: r.user, now, entry: r.entry, dryRun: r.query.has('dryRun') });
  writeObject(res, 200, SCALE_ENTRY, scaleOf(object), req.headers.accept, r.query, now);
}

/** POST pods/NAME/binding (and POST namespaces/NS/bindings): assigns a pod to a node. */
export async function handleBinding(api: ApiContext, r: ResourceRequest, req: IncomingMessage, res: ServerResponse, podName?: string): Promise<void> {
  if (r.info.verb !== 'create') throw errors.methodNotAllowed(`${r.info.verb} is not supported on binding`);
  const binding = decodeObject(await readBody(req), req.headers['content-type']) as KubeObject & { target?: { kind?: string; name?: string } };
  const name = podName ?? binding.metadata?.name ?? '';
  if (podName && binding.metadata?.name && binding.metadata.name !== podName) {
    throw errors.badRequest(`the name of the object (${binding.metadata.name}) does not match the name on the URL (${podName})`);
  }
  const node = binding.target?.name;
  if (!node) throw errors.invalid('', 'Binding', name, [{ field: 'target.name', type: 'FieldValueRequired', detail: 'Required value' }]);
  if (binding.target?.kind && binding.target.kind !== 'Node') {
    throw errors.invalid('', 'Binding', name, [{ field: 'target.kind', type: 'FieldValueNotSupported', detail: `Unsupported value: "${binding.target.kind}": supported values: "Node"` }]);
  }
  const rs = api.resourceStore('pods');
  const now = api.now();
  await rs.update(r.info.namespace, name, (cur) => {
    const pod = cur as Pod;
    if (pod.metadata?.deletionTimestamp) throw errors.conflict('', 'pods', name, `pod ${name} is being deleted, cannot be assigned to a host`);
    if (pod.spec?.nodeName) throw errors.conflict('', 'pods', name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
    pod.spec = { ...pod.spec!, nodeName: node };
    const conds = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conds.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null as never, lastTransitionTime: timestamp(now) });
    pod.status = { ...pod.status, conditions: conds };
    return pod;
  }, { user: r.user, now, entry: lookup('', 'v1', 'pods'), skipAdmission: true }, { subresource: 'binding' });
  writeJson(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

/**
 * POST pods/NAME/eviction: a policy/v1 Eviction deletes the pod unless a PodDisruptionBudget that selects
 * it allows no more disruptions (429 TooManyRequests, as upstream). An allowed eviction takes one
 * disruption from each matching budget's status before the pod is deleted. Pods that are not running
 * (Pending, Succeeded, Failed) are evicted without consulting budgets.
 */
async function handleEviction(api: ApiContext, r: ResourceRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (r.info.verb !== 'create') throw errors.methodNotAllowed(`${r.info.verb} is not supported on eviction`);
  const ev = decodeObject(await readBody(req), req.headers['content-type']) as KubeObject & { deleteOptions?: Record<string, unknown> };
  if (ev.metadata?.name && ev.metadata.name !== r.info.name) {
    throw errors.badRequest('name in URL does not match name in Eviction object');
  }
  const pods = api.resourceStore('pods');
  const pod = (await pods.get(r.info.namespace, r.info.name, { entry: r.entry })).obj as Pod;
  const ctx = { user: r.user, now: api.now(), skipAdmission: true };
  if (pod.status?.phase === 'Running') {
    await api.cache.waitFor(await api.store.currentRevision());
    const pdbs = api.cache.list('poddisruptionbudgets', r.info.namespace).map((c) => c.obj as PodDisruptionBudget)
      .filter((b) => b.spec?.selector && selectorFromLabelSelector(b.spec.selector).matches(pod.metadata?.labels ?? {}));
    if (pdbs.length > 1) {
      throw new ApiError('InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.', undefined, 500);
    }
    for (const b of pdbs) {
      if ((b.status?.disruptionsAllowed ?? 0) < 1) {
        throw new ApiError('TooManyRequests', 'Cannot evict pod as it would violate the pod\'s disruption budget.',
          { causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${b.metadata?.name} needs ${b.status?.desiredHealthy ?? 0} healthy pods and has ${b.status?.currentHealthy ?? 0} currently` }] });
      }
      await api.resourceStore('poddisruptionbudgets').update(r.info.namespace, b.metadata!.name!, (cur) => {
        const st = ((cur as PodDisruptionBudget).status ??= { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 });
        if ((st.disruptionsAllowed ?? 0) < 1) throw new ApiError('TooManyRequests', 'Cannot evict pod as it would violate the pod\'s disruption budget.');
        st.disruptionsAllowed = (st.disruptionsAllowed ?? 0) - 1;
        st.disruptedPods = { ...st.disruptedPods, [r.info.name]: timestamp(api.now()) };
        return cur;
      }, ctx, { subresource: 'status' });
    }
  }
  await pods.delete(r.info.namespace, r.info.name, (ev.deleteOptions ?? {}) as never, { user: r.user, now: api.now(), entry: r.entry });
  writeJson(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

/** PUT namespaces/NAME/finalize: replaces spec.finalizers (the namespace controller's last step). */
async function handleFinalize(api: ApiContext, r: ResourceRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (r.info.verb !== 'update') throw errors.methodNotAllowed(`${r.info.verb} is not supported on finalize`);
  const body = decodeObject(await readBody(req), req.headers['content-type']);
  const finalizers = ((body.spec as { finalizers?: string[] } | undefined)?.finalizers) ?? [];
  const { object } = await api.resourceStore('namespaces').update('', r.info.name, (cur) => {
    cur.spec = { ...(cur.spec as object), finalizers };
    if (!finalizers.length) delete (cur.spec as { finalizers?: string[] }).finalizers;
    return cur;
  }, { user: r.user, now: api.now(), entry: r.entry }, { subresource: 'finalize' });
  writeObject(res, 200, r.entry, object, req.headers.accept, r.query, api.now());
}

export async function handleSubresource(api: ApiContext, r: ResourceRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const sub = r.info.subresource;
  const def = r.entry.subresources[sub];
  if (!def) throw errors.notFound(r.entry.group, `${r.entry.resource}/${sub}`, r.info.name);
  if (!def.verbs.includes(r.info.verb as never) && !(r.info.verb === 'get' && def.verbs.includes('get'))) {
    throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
  }
  const connect = connectHandlers.get(`${r.entry.resource}/${sub}`);
  if (connect) return connect(api, r, req, res);
  switch (sub) {
    case 'status':
    case 'ephemeralcontainers':
    case 'resize':
      if (r.info.verb === 'get') {
        const o = await api.resourceStore(r.entry.storage).get(r.entry.namespaced ? r.info.namespace : '', r.info.name, { entry: r.entry });
        return writeObject(res, 200, r.entry, o.obj, req.headers.accept, r.query, api.now());
      }
      if (r.info.verb === 'update') return handleUpdate(api, r, req, res, sub === 'status' ? 'status' : '');
      if (r.info.verb === 'patch') return handlePatch(api, r, req, res, sub === 'status' ? 'status' : '');
      throw errors.methodNotAllowed(`${r.info.verb} is not supported on ${sub}`);
    case 'scale':
      return handleScale(api, r, req, res);
    case 'binding':
      return handleBinding(api, r, req, res, r.info.name);
    case 'eviction':
      return handleEviction(api, r, req, res);
    case 'finalize':
      return handleFinalize(api, r, req, res);
    case 'token':
      return handleTokenRequest(api, r, req, res);
    default: {
      const o = await api.resourceStore(r.entry.storage).get(r.entry.namespaced ? r.info.namespace : '', r.info.name, { entry: r.entry });
      const node = (o.obj.spec as { nodeName?: string } | undefined)?.nodeName;
      if (r.entry.resource !== 'pods') throw errors.badRequest(`${r.entry.resource}/${sub} is not served by this API server yet`);
      if (!node) throw errors.badRequest(`pod ${r.info.name} does not have a host assigned`);
      throw errors.badRequest(`${r.entry.resource}/${sub} is served by the node's kubelet, and no kubelet connection is available for ${r.entry.resource} "${r.info.name}"`);
    }
  }
}
