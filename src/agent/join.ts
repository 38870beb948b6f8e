/**
 * How an agent reaches the API server: from a kubeconfig (`--kubeconfig`), or from a server URL and the
 * join token (`--server` + `--token`), as a k3s agent joins.
 *
 * Joining with a token, step by step:
 * 1. `GET <server>/cacerts` without credentials and without verifying TLS (there is no CA yet).
 * 2. When the token has the full form `K10<sha256 of the CA>::server:<secret>` (the server writes it to
 *    `<data-dir>/server/token`), the CA must hash to it, else the join stops: someone is in between.
 *    With a bare secret the CA is trusted on first use, and a line in the log says so.
 * 3. The CA is kept in `<agent data dir>/server-ca.crt`; every request then verifies the server against
 *    it and carries the secret as a bearer token. A first authenticated request checks the token.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import type { RestConfig } from '../client/kubeconfig.js';
import { restConfigFromKubeconfig } from '../client/kubeconfig.js';
import { RestClient } from '../client/rest.js';
import type { JoinConfig } from './config.js';

export class JoinError extends Error {}

const FULL_TOKEN = /^K10([0-9a-f]{64})::[^:]+:(.+)$/;

/** The CA hash (if any) and the secret of a join token. */
export function parseJoinToken(token: string): { caHash?: string; secret: string } {
  const m = FULL_TOKEN.exec(token.trim());
  return m ? { caHash: m[1]!, secret: m[2]! } : { secret: token.trim() };
}

export async function restConfigFor(join: JoinConfig, dataDir: string, log: (line: string) => void): Promise<RestConfig> {
  if ('kubeconfig' in join) return restConfigFromKubeconfig({ explicitPath: join.kubeconfig });
  const server = join.server.replace(/\/+$/, '');
  const { caHash, secret } = parseJoinToken(join.token);
  const bootstrap = new RestClient({ server, namespace: 'default', insecureSkipTLSVerify: true }, { maxRetries: 0 });
  let ca: Buffer;
  try {
    const res = await bootstrap.request({ method: 'GET', path: '/cacerts', accept: '*/*' });
    if (res.status !== 200) throw new JoinError(`GET ${server}/cacerts: HTTP ${res.status}`);
    ca = res.body;
  } catch (err) {
    if (err instanceof JoinError) throw err;
    throw new JoinError(`cannot reach the server at ${server}: ${(err as Error).message}`);
  } finally {
    bootstrap.close();
  }
  const got = createHash('sha256').update(ca).digest('hex');
  if (caHash && got !== caHash) {
    throw new JoinError(`the CA of ${server} (sha256 ${got}) does not match the one in the token (${caHash}): not joining`);
  }
  if (!caHash) log(`the token carries no CA hash: trusting the CA that ${server} presents (sha256 ${got})`);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(joinPath(dataDir, 'server-ca.crt'), ca);
  const config: RestConfig = { server, namespace: 'default', ca, token: secret };
  const probe = new RestClient(config, { maxRetries: 0 });
  try {
    const res = await probe.request({ method: 'GET', path: '/api/v1/nodes', query: { limit: 1 } });
    if (res.status === 401) throw new JoinError(`the server at ${server} rejected the token`);
  } finally {
    probe.close();
  }
  return config;
}
