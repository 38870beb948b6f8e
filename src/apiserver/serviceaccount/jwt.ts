/**
 * Service account tokens: compact JWTs signed ES256 with the cluster's service-account key, carrying the
 * claims upstream's tokens carry (`iss`, `sub` = system:serviceaccount:NS:NAME, `aud`, `exp`, `iat`,
 * `nbf`, and `kubernetes.io` with the namespace and the service account's name and uid).
 */
import { createPrivateKey, createPublicKey, createSign, createVerify, type KeyObject, randomUUID } from 'node:crypto';

export const ISSUER = 'https://kubernetes.default.svc.cluster.local';

export interface ServiceAccountClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  'kubernetes.io': {
    namespace: string;
    serviceaccount: { name: string; uid: string };
    pod?: { name: string; uid: string };
  };
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export class TokenSigner {
  private readonly key: KeyObject;
  private readonly pub: KeyObject;
  private readonly kid: string;

  constructor(privateKeyPem: string) {
    this.key = createPrivateKey(privateKeyPem);
    this.pub = createPublicKey(this.key);
    this.kid = b64url(this.pub.export({ type: 'spki', format: 'der' }).subarray(-16));
  }

  sign(opts: { namespace: string; name: string; uid: string; audiences?: string[]; expirationSeconds: number; now: Date; pod?: { name: string; uid: string } }): { token: string; expires: Date } {
    const iat = Math.floor(opts.now.getTime() / 1000);
    const claims: ServiceAccountClaims = {
      iss: ISSUER, sub: `system:serviceaccount:${opts.namespace}:${opts.name}`, aud: opts.audiences?.length ? opts.audiences : [ISSUER],
      exp: iat + opts.expirationSeconds, iat, nbf: iat, jti: randomUUID(),
      'kubernetes.io': { namespace: opts.namespace, serviceaccount: { name: opts.name, uid: opts.uid }, ...(opts.pod ? { pod: opts.pod } : {}) },
    };
    const head = b64url(JSON.stringify({ alg: 'ES256', kid: this.kid }));
    const body = b64url(JSON.stringify(claims));
    const sig = createSign('SHA256').update(`${head}.${body}`).sign({ key: this.key, dsaEncoding: 'ieee-p1363' });
    return { token: `${head}.${body}.${b64url(sig)}`, expires: new Date(claims.exp * 1000) };
  }

  /** The claims of a token this signer issued, if its signature, issuer and time window hold. */
  verify(token: string, now: Date): ServiceAccountClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [head, body, sig] = parts as [string, string, string];
    let header: { alg?: string };
    let claims: ServiceAccountClaims;
    try {
      header = JSON.parse(Buffer.from(head, 'base64url').toString());
      claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    } catch {
      return undefined;
    }
    if (header.alg !== 'ES256') return undefined;
    const ok = createVerify('SHA256').update(`${head}.${body}`).verify({ key: this.pub, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'));
    if (!ok || claims.iss !== ISSUER) return undefined;
    const t = now.getTime() / 1000;
    if (typeof claims.exp !== 'number' || t >= claims.exp || (typeof claims.nbf === 'number' && t < claims.nbf - 60)) return undefined;
    return claims;
  }
}
