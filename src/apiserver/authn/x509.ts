/**
 * Client-certificate authentication: a certificate that the client CA signed names the user in its
 * subject CN and the groups in its O entries. The TLS server requests (but does not require) a client
 * certificate and checks it against the client CA; `socket.authorized` tells whether it verified.
 */
import type { TLSSocket } from 'node:tls';
import { errors } from '../../api/errors.js';
import type { Authenticator } from './authenticator.js';

export function x509Authenticator(): Authenticator {
  return {
    authenticate(req) {
      const socket = req.socket as TLSSocket;
      if (typeof socket.getPeerCertificate !== 'function') return null;
      const cert = socket.getPeerCertificate();
      if (!cert || !cert.subject) return null;
      if (!socket.authorized) throw errors.unauthorized();
      const cn = cert.subject.CN;
      const name = Array.isArray(cn) ? cn[0] : cn;
      if (!name) throw errors.unauthorized();
      const o = cert.subject.O;
      const groups = o === undefined ? [] : Array.isArray(o) ? o : [o];
      return { name, groups };
    },
  };
}
