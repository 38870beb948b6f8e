/**
 * Service account token authentication: a bearer JWT that the cluster's key signed, still within its
 * lifetime, whose service account still exists with the same uid (a deleted and recreated account
 * invalidates old tokens). The user is `system:serviceaccount:NS:NAME` in the groups
 * `system:serviceaccounts` and `system:serviceaccounts:NS`.
 */
import { errors } from '../../api/errors.js';
import type { ServiceAccount } from '../../api/types.js';
import type { TokenSigner } from '../serviceaccount/jwt.js';
import type { Authenticator } from './authenticator.js';

export type ServiceAccountLookup = (namespace: string, name: string) => Promise<ServiceAccount | undefined>;

export function serviceAccountTokenAuthenticator(signer: TokenSigner, lookup: ServiceAccountLookup, now: () => Date = () => new Date()): Authenticator {
  return {
    async authenticate(req) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
      if (!m || m[1]!.split('.').length !== 3) return null;
      const claims = signer.verify(m[1]!, now());
      if (!claims) return null;
      const k = claims['kubernetes.io'];
      const sa = await lookup(k.namespace, k.serviceaccount.name);
      if (!sa || sa.metadata?.uid !== k.serviceaccount.uid) throw errors.unauthorized();
      return {
        name: `system:serviceaccount:${k.namespace}:${k.serviceaccount.name}`,
        uid: k.serviceaccount.uid,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${k.namespace}`],
      };
    },
  };
}
