/**
 * POST serviceaccounts/NAME/token: an authentication.k8s.io/v1 TokenRequest, answered with a signed
 * service account token (`kubectl create token NAME`). Expiry defaults to one hour, at least ten minutes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { timestamp } from '../registry/object-meta.js';
import type { ApiContext, ResourceRequest } from './context.js';
import { decodeObject } from './decode.js';
import { readBody, writeJson } from './io.js';

const DEFAULT_EXPIRATION = 3600;
const MIN_EXPIRATION = 600;

export async function handleTokenRequest(api: ApiContext, r: ResourceRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!api.tokenSigner) throw errors.badRequest('this API server cannot issue service account tokens');
  const body = decodeObject(await readBody(req), req.headers['content-type']) as KubeObject & {
    spec?: { audiences?: string[]; expirationSeconds?: number; boundObjectRef?: { kind?: string; name?: string; uid?: string } };
  };
  const spec = body.spec ?? {};
  const expirationSeconds = spec.expirationSeconds ?? DEFAULT_EXPIRATION;
  if (!Number.isInteger(expirationSeconds) || expirationSeconds < MIN_EXPIRATION) {
    throw errors.invalid('authentication.k8s.io', 'TokenRequest', r.info.name, [{ field: 'spec.expirationSeconds', type: 'FieldValueInvalid',
      detail: `Invalid value: ${expirationSeconds}: may not specify a duration less than 10 minutes` }]);
  }
  const sa = (await api.resourceStore('serviceaccounts').get(r.info.namespace, r.info.name, { entry: r.entry })).obj;
  const bound = spec.boundObjectRef;
  const pod = bound?.kind === 'Pod' && bound.name && bound.uid ? { name: bound.name, uid: bound.uid } : undefined;
  const now = api.now();
  const { token, expires } = api.tokenSigner.sign({
    namespace: r.info.namespace, name: r.info.name, uid: sa.metadata!.uid!, audiences: spec.audiences, expirationSeconds, now, pod,
  });
  writeJson(res, 201, {
    kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1',
    metadata: { name: r.info.name, namespace: r.info.namespace, creationTimestamp: null },
    spec: { ...spec, expirationSeconds },
    status: { token, expirationTimestamp: timestamp(expires) },
  });
}
