/**
 * OpenAPI v3 `paths` of one group-version: for every served kind, its collection, item and subresource
 * paths, each operation carrying `x-kubernetes-group-version-kind` and `x-kubernetes-action`, and the
 * query parameters upstream documents. kubectl relies on two of these facts:
 * - `create -f` / `apply -f` look for a PATCH operation of the kind with a `fieldValidation` parameter
 *   before they send `fieldValidation=Strict` (and every PATCH of the kind must have it, since kubectl
 *   stops at the first one it finds);
 * - `apply` computes strategic merge patches from the schema only if that PATCH accepts
 *   `application/strategic-merge-patch+json`;
 * - `explain` finds a resource's kind from the GET/POST/… operations of its paths.
 */
import { schemaNameOfKind, type KindInfo } from '../schema/index.js';
import { REF_PREFIX, PATCH_SCHEMA, listSchemaName } from './schemas.js';

type Op = Record<string, unknown>;
type Verb = 'get' | 'put' | 'post' | 'patch' | 'delete';

const q = (name: string, type: string, description: string, extra: Record<string, unknown> = {}) =>
  ({ name, in: 'query', description, schema: { type, uniqueItems: true, ...extra } });

const P = {
  pretty: q('pretty', 'string', 'Pretty-print the output.'),
  dryRun: q('dryRun', 'string', 'When "All", the request is processed and validated but nothing is stored.'),
  fieldManager: q('fieldManager', 'string', 'Name of the actor making the change, recorded in managedFields.'),
  fieldValidation: q('fieldValidation', 'string', 'What to do with unknown or duplicate fields in the body: Ignore, Warn (default) or Strict (reject the request).'),
  force: q('force', 'boolean', 'For apply patches: take ownership of fields owned by other managers instead of failing with a conflict.'),
  labelSelector: q('labelSelector', 'string', 'Return only objects whose labels match this selector.'),
  fieldSelector: q('fieldSelector', 'string', 'Return only objects whose fields match this selector.'),
  limit: q('limit', 'integer', 'Maximum number of items to return; use continue to fetch the rest.'),
  continue: q('continue', 'string', 'Token from a previous limited list, to fetch the next page.'),
  resourceVersion: q('resourceVersion', 'string', 'Version constraint of the read; for a watch, the version to start after.'),
  resourceVersionMatch: q('resourceVersionMatch', 'string', 'How resourceVersion applies to a list: Exact or NotOlderThan.'),
  watch: q('watch', 'boolean', 'Stream changes (ADDED, MODIFIED, DELETED) instead of returning a list.'),
  allowWatchBookmarks: q('allowWatchBookmarks', 'boolean', 'Let a watch send BOOKMARK events.'),
  timeoutSeconds: q('timeoutSeconds', 'integer', 'Time limit of a list or watch call.'),
  sendInitialEvents: q('sendInitialEvents', 'boolean', 'Start a watch with synthetic ADDED events for the current state.'),
  gracePeriodSeconds: q('gracePeriodSeconds', 'integer', 'Seconds before the object is deleted; 0 deletes at once.'),
  propagationPolicy: q('propagationPolicy', 'string', 'What happens to dependents: Orphan, Background or Foreground.'),
  orphanDependents: q('orphanDependents', 'boolean', 'Deprecated: use propagationPolicy.'),
  ignoreStoreReadError: q('ignoreStoreReadErrorWithClusterBreakingPotential', 'boolean', 'Delete an object whose stored data cannot be read.'),
};
const nameParam = { name: 'name', in: 'path', required: true, description: 'Name of the object.', schema: { type: 'string', uniqueItems: true } };
const namespaceParam = { name: 'namespace', in: 'path', required: true, description: 'Namespace of the object.', schema: { type: 'string', uniqueItems: true } };

const JSON_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const PATCH_TYPES = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];

function content(type: string, types = JSON_TYPES): Record<string, unknown> {
  return Object.fromEntries(types.map((t) => [t, { schema: { $ref: REF_PREFIX + type } }]));
}

function identifier(group: string, version: string): string {
  const g = group === '' ? 'core' : group.replace(/\.k8s\.io$/, '').split('.').map((s) => s[0].toUpperCase() + s.slice(1)).join('');
  return `${g[0].toUpperCase()}${g.slice(1)}${version[0].toUpperCase()}${version.slice(1)}`;
}

interface Target { group: string; version: string; kind: string; type: string }

function operation(verb: Verb, action: string, t: Target, opKind: string, subject: string, id: string): Op {
  const op: Op = {
    description: `${action} ${subject}`,
    operationId: id,
    tags: [`${t.group === '' ? 'core' : t.group.replace(/\.k8s\.io$/, '').replace(/\./g, '_')}_${t.version}`],
    parameters: [] as unknown[],
    responses: {} as Record<string, unknown>,
    'x-kubernetes-action': opKind,
    'x-kubernetes-group-version-kind': { group: t.group, kind: t.kind, version: t.version },
  };
  const params = op.parameters as unknown[];
  const responses = op.responses as Record<string, unknown>;
  const ok = (code: string, type: string) => { responses[code] = { description: code === '201' ? 'Created' : code === '202' ? 'Accepted' : 'OK', content: content(type) }; };
  switch (opKind) {
    case 'list':
      params.push(P.allowWatchBookmarks, P.continue, P.fieldSelector, P.labelSelector, P.limit, P.resourceVersion, P.resourceVersionMatch, P.sendInitialEvents, P.timeoutSeconds, P.watch);
      ok('200', listSchemaName(t.type));
      break;
    case 'get':
      ok('200', t.type);
      break;
    case 'post':
      params.push(P.dryRun, P.fieldManager, P.fieldValidation);
      op.requestBody = { content: content(t.type), required: true };
      ok('200', t.type); ok('201', t.type); ok('202', t.type);
      break;
    case 'put':
      params.push(P.dryRun, P.fieldManager, P.fieldValidation);
      op.requestBody = { content: content(t.type), required: true };
      ok('200', t.type); ok('201', t.type);
      break;
    case 'patch':
      params.push(P.dryRun, P.fieldManager, P.fieldValidation, P.force);
      op.requestBody = { content: Object.fromEntries(PATCH_TYPES.map((m) => [m, { schema: { $ref: REF_PREFIX + PATCH_SCHEMA } }])), required: true };
      ok('200', t.type); ok('201', t.type);
      break;
    case 'delete':
      params.push(P.dryRun, P.gracePeriodSeconds, P.ignoreStoreReadError, P.orphanDependents, P.propagationPolicy);
      op.requestBody = { content: content('io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions', ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']) };
      ok('200', 'io.k8s.apimachinery.pkg.apis.meta.v1.Status'); ok('202', 'io.k8s.apimachinery.pkg.apis.meta.v1.Status');
      break;
    case 'deletecollection':
      params.push(P.continue, P.dryRun, P.fieldSelector, P.gracePeriodSeconds, P.ignoreStoreReadError, P.labelSelector, P.limit, P.orphanDependents, P.propagationPolicy, P.resourceVersion, P.resourceVersionMatch, P.sendInitialEvents, P.timeoutSeconds);
      op.requestBody = { content: content('io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions', ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']) };
      ok('200', 'io.k8s.apimachinery.pkg.apis.meta.v1.Status');
      break;
  }
  return op;
}

const ACTIONS: Record<string, [Verb, string, string]> = {
  list: ['get', 'list or watch objects of kind', 'list'],
  post: ['post', 'create', 'create'],
  deletecollection: ['delete', 'delete collection of', 'deletecollection'],
  get: ['get', 'read the specified', 'read'],
  put: ['put', 'replace the specified', 'replace'],
  patch: ['patch', 'partially update the specified', 'patch'],
  delete: ['delete', 'delete', 'delete'],
};

function pathItem(ops: string[], t: Target, scope: string, base: string, suffix: string, params: unknown[]): Record<string, unknown> {
  const item: Record<string, unknown> = { parameters: [...params, P.pretty] };
  for (const o of ops) {
    const [verb, words, idVerb] = ACTIONS[o];
    const id = `${idVerb}${identifier(t.group, t.version)}${scope}${base}${suffix}`;
    item[verb] = operation(verb, words, t, o, `${t.kind}${suffix ? ` ${suffix.toLowerCase()}` : ''}`, id);
  }
  return item;
}

/** The `paths` of a group-version's kinds. */
export function buildPaths(prefix: string, kinds: KindInfo[]): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const k of kinds) {
    const t: Target = { group: k.group, version: k.version, kind: k.kind, type: schemaNameOfKind(k.group, k.version, k.kind) };
    const nsPart = k.namespaced ? '/namespaces/{namespace}' : '';
    const nsParams = k.namespaced ? [namespaceParam] : [];
    const scope = k.namespaced ? 'Namespaced' : '';
    const collection = `/${prefix}${nsPart}/${k.plural}`;
    if (k.createOnly) {
      paths[collection] = pathItem(['post'], t, scope, k.kind, '', nsParams);
      continue;
    }
    paths[collection] = pathItem(['list', 'post', 'deletecollection'], t, scope, k.kind, '', nsParams);
    paths[`${collection}/{name}`] = pathItem(['get', 'put', 'patch', 'delete'], t, scope, k.kind, '', [nameParam, ...nsParams]);
    if (k.namespaced) paths[`/${prefix}/${k.plural}`] = pathItem(['list'], t, 'ForAllNamespaces', k.kind, '', []);
    for (const sub of k.subresources ?? []) {
      const ops = sub === 'finalize' ? ['put'] : ['get', 'put', 'patch'];
      paths[`${collection}/{name}/${sub}`] = pathItem(ops, t, scope, k.kind, sub[0].toUpperCase() + sub.slice(1), [nameParam, ...nsParams]);
    }
    for (const sub of k.otherSubresources ?? []) {
      const st: Target = { group: sub.group, version: sub.version, kind: sub.kind, type: schemaNameOfKind(sub.group, sub.version, sub.kind) };
      const ops = sub.verbs.map((v) => (v === 'post' ? 'post' : v));
      paths[`${collection}/{name}/${sub.name}`] = pathItem(ops, st, scope, k.kind, sub.name[0].toUpperCase() + sub.name.slice(1), [nameParam, ...nsParams]);
    }
  }
  return paths;
}
