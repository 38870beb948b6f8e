/**
 * The generic REST handler: routes one resource request to its verb's handler, or to a subresource.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errors } from '../../api/errors.js';
import { hasGroupVersion, lookup } from '../registry/catalog.js';
import type { UserInfo } from '../authn/authenticator.js';
import type { ApiContext, ResourceRequest } from './context.js';
import { handleGet, handleList } from './read.js';
import type { RequestInfo } from './request-info.js';
import { handleBinding, handleSubresource } from './subresources.js';
import { handleWatch } from './watch.js';
import { handleCreate, handleDelete, handleDeleteCollection, handlePatch, handleUpdate } from './write.js';

type VerbHandler = (api: ApiContext, r: ResourceRequest, req: IncomingMessage, res: ServerResponse) => Promise<void>;

const VERBS: Record<string, VerbHandler> = {
  get: handleGet,
  list: handleList,
  watch: handleWatch,
  create: handleCreate,
  update: handleUpdate,
  patch: handlePatch,
  delete: handleDelete,
  deletecollection: handleDeleteCollection,
};

function notFoundPath(): ApiError {
  return new ApiError('NotFound', 'the server could not find the requested resource', {});
}

export async function handleResource(api: ApiContext, info: RequestInfo, query: URLSearchParams, user: UserInfo,
  req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!hasGroupVersion(info.apiGroup, info.apiVersion)) throw notFoundPath();
  const entry = lookup(info.apiGroup, info.apiVersion, info.resource);
  if (!entry) throw notFoundPath();
  const r: ResourceRequest = { info, entry, query, user };
  if (entry.resource === 'bindings') {
    if (info.verb !== 'create' || !info.namespace) throw errors.methodNotAllowed(`${info.verb} is not supported on bindings`);
    return handleBinding(api, r, req, res);
  }
  if (entry.namespaced && !info.namespace && info.name) throw notFoundPath();
  if (!entry.namespaced && info.namespace && info.resource !== 'namespaces') throw notFoundPath();
  if (info.subresource) return handleSubresource(api, r, req, res);
  if (info.parts.length) throw notFoundPath();
  const h = VERBS[info.verb];
  if (!h || !entry.verbs.includes(info.verb as never)) {
    throw errors.methodNotAllowed(`the server does not allow this method on the requested resource`);
  }
  if ((info.verb === 'create') && info.name) throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
  return h(api, r, req, res);
}
