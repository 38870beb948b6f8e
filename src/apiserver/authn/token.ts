/** Bearer-token authentication against a static table of tokens (upstream's --token-auth-file). */
import { timingSafeEqual } from 'node:crypto';
import type { Authenticator, UserInfo } from './authenticator.js';

export function tokenAuthenticator(tokens: Map<string, UserInfo>): Authenticator {
  const entries = [...tokens.entries()].map(([t, u]) => [Buffer.from(t), u] as const);
  return {
    authenticate(req) {
      const header = req.headers.authorization;
      if (!header) return null;
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!m) return null;
      const given = Buffer.from(m[1]!);
      for (const [t, u] of entries) {
        if (t.length === given.length && timingSafeEqual(t, given)) return u;
      }
      // Not one of ours: another authenticator (service account tokens) may know it; if none does, 401.
      return null;
    },
  };
}
