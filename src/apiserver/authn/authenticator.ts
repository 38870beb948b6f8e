/**
 * Authentication: the first stage of the request pipeline.
 *
 * An `Authenticator` looks at one request and answers with the user it proves, `null` when the request
 * carries no credential it understands (the next authenticator is asked), or throws `Unauthorized`
 * when it carries a credential of its kind that is wrong. A request no authenticator accepts is 401.
 */
import type { IncomingMessage } from 'node:http';
import { errors } from '../../api/errors.js';

/** Who made a request: upstream's `user.Info`. */
export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
}

export interface Authenticator {
  authenticate(req: IncomingMessage): Promise<UserInfo | null> | UserInfo | null;
}

/** Asks each authenticator in turn; the first to answer wins. No answer at all is 401 Unauthorized. */
export function unionAuthenticator(list: Authenticator[]): Authenticator {
  return {
    async authenticate(req) {
      for (const a of list) {
        const user = await a.authenticate(req);
        if (user) return { ...user, groups: user.groups.includes('system:authenticated') ? user.groups : [...user.groups, 'system:authenticated'] };
      }
      throw errors.unauthorized();
    },
  };
}
