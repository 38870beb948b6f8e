/**
 * The join token that agents present, as k3s shapes it: `K10<sha256 of the server CA, hex>::server:<secret>`.
 *
 * - The server keeps it in `<dataDir>/server/token` (mode 0600). `--token` may give the full form or
 *   only the secret; absent both, a random secret is made at first start and reused afterwards.
 * - An agent fetches the CA from `GET /cacerts` (anonymous, like /version), checks its sha256 against
 *   the hash in the token when the token carries one, and then authenticates every request with the
 *   secret as a bearer token. The secret maps to `AGENT_USER`, whose group `system:nodes` is the one
 *   upstream gives kubelets.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { UserInfo } from './authenticator.js';

/** Who an agent authenticated by the join token is. */
export const AGENT_USER: UserInfo = { name: 'system:k8ts-agent', groups: ['system:nodes'] };

/** The path agents fetch the cluster CA from, without credentials. */
export const CACERTS_PATH = '/cacerts';

const FULL = /^K10([0-9a-f]{64})::[^:]+:(.+)$/;

/** The secret part of a token given in either form. */
export function joinSecret(token: string): string {
  return FULL.exec(token.trim())?.[2] ?? token.trim();
}

/** The full form for a CA and secret. */
export function formatJoinToken(caPem: string, secret: string): string {
  return `K10${createHash('sha256').update(caPem).digest('hex')}::server:${secret}`;
}

function tokenPath(dataDir: string): string {
  return join(dataDir, 'server', 'token');
}

/** The secret to accept: from `given`, else from the token file of an earlier start, else a new one. */
export function joinSecretFor(dataDir: string, given?: string): string {
  if (given) return joinSecret(given);
  const path = tokenPath(dataDir);
  if (existsSync(path)) return joinSecret(readFileSync(path, 'utf8'));
  return randomBytes(16).toString('hex');
}

/** Writes the full token to `<dataDir>/server/token` and returns the path. */
export function writeJoinToken(dataDir: string, caPem: string, secret: string): string {
  const path = tokenPath(dataDir);
  writeFileSync(path, formatJoinToken(caPem, secret) + '\n', { mode: 0o600 });
  return path;
}

/** The bearer-token table entry for the join secret. */
export function joinTokenUsers(secret: string): Map<string, UserInfo> {
  return new Map([[secret, AGENT_USER]]);
}

/** Serves the server CA (PEM) at `CACERTS_PATH`; read from disk so it works from the first request. */
export function cacertsHandler(dataDir: string): (req: IncomingMessage, res: ServerResponse) => void {
  const path = join(dataDir, 'server', 'tls', 'server-ca.crt');
  return (_req, res) => {
    const pem = readFileSync(path);
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': pem.length });
    res.end(pem);
  };
}
