/**
 * Authorization: the second stage of the request pipeline. An `Authorizer` decides whether a user may
 * perform a verb on a resource (upstream's `authorizer.Attributes`). RBAC will be one implementation;
 * `alwaysAllow` is the one in force until it lands.
 */
import type { UserInfo } from '../authn/authenticator.js';

export interface AuthorizationAttributes {
  user: UserInfo;
  verb: string;
  /** True for /api/... and /apis/... resource paths; false for /version, /healthz, discovery. */
  isResourceRequest: boolean;
  path: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

export interface Decision {
  allowed: boolean;
  reason?: string;
}

export interface Authorizer {
  authorize(attrs: AuthorizationAttributes): Promise<Decision> | Decision;
}

export const alwaysAllow: Authorizer = { authorize: () => ({ allowed: true }) };

/** The Forbidden message as upstream words it. */
export function forbiddenMessage(a: AuthorizationAttributes, reason?: string): string {
  const res = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  const sub = a.subresource ? `${res}/${a.subresource}` : res;
  const where = a.namespace ? ` in the namespace "${a.namespace}"` : (a.isResourceRequest ? ' at the cluster scope' : '');
  const what = a.isResourceRequest
    ? `${a.name ? `${sub} "${a.name}"` : sub} is forbidden: User "${a.user.name}" cannot ${a.verb} resource "${sub}" in API group "${a.apiGroup}"${where}`
    : `forbidden: User "${a.user.name}" cannot ${a.verb} path "${a.path}"`;
  return reason ? `${what}: ${reason}` : what;
}
