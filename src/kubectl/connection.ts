/**
 * From kubeconfig plus the global flags to what a request needs: server URL, TLS material, credentials
 * and the default namespace (clientcmd's DeferredLoadingClientConfig with its override flags).
 */
import { readFileSync } from 'node:fs';
import { KubectlError } from './errors.js';
import type { ParsedFlags } from './flags.js';
import { fileField, loadKubeconfigAsync, homeDir, type LoadedConfig } from './kubeconfig.js';
import { join } from 'node:path';

export interface Connection {
  /** e.g. `https://127.0.0.1:6443` (kubectl's default `http://localhost:8080` when nothing is set). */
  server: string;
  ca?: string;
  cert?: string;
  key?: string;
  token?: string;
  username?: string;
  password?: string;
  insecure: boolean;
  tlsServerName?: string;
  /** The namespace commands default to: `-n`, else the context's, else "default". */
  namespace: string;
  /** True when `-n/--namespace` was given. */
  namespaceExplicit: boolean;
  /** Milliseconds; 0 means no timeout. */
  timeoutMs: number;
  /** kubectl's --cache-dir (discovery cache lives under it). */
  cacheDir: string;
}

export function cacheDirOf(flags: ParsedFlags, env: Record<string, string | undefined>): string {
  return flags.string('cache-dir') || env.KUBECACHEDIR || join(homeDir(env), '.kube', 'cache');
}

export async function loadConfig(flags: ParsedFlags, env: Record<string, string | undefined>): Promise<LoadedConfig> {
  return loadKubeconfigAsync({ kubeconfigFlag: flags.string('kubeconfig') || undefined, env, cacheDir: cacheDirOf(flags, env) });
}

export async function connectionFor(flags: ParsedFlags, env: Record<string, string | undefined>): Promise<Connection> {
  const cfg = await loadConfig(flags, env);
  const ctxName = flags.string('context') || cfg.currentContext;
  const ctx = ctxName ? cfg.contexts.get(ctxName)?.value : undefined;
  if (flags.isSet('context') && !ctx) throw new KubectlError(`context was not found for specified context: ${ctxName}`);
  const clusterName = flags.string('cluster') || ctx?.cluster || '';
  const userName = flags.string('user') || ctx?.user || '';
  const cluster = cfg.clusters.get(clusterName)?.value ?? {};
  if (flags.isSet('cluster') && !cfg.clusters.has(clusterName)) throw new KubectlError(`cluster "${clusterName}" does not exist`);
  const user = cfg.users.get(userName)?.value ?? {};
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const readPath = (p: string | undefined) => {
    if (!p) return undefined;
    try {
      return readFileSync(p, 'utf8');
    } catch (err) {
      throw new KubectlError(`unable to read ${p}: ${(err as Error).message}`);
    }
  };
  const b64 = (v: unknown) => (str(v) ? Buffer.from(String(v), 'base64').toString('utf8') : undefined);
  const caFile = flags.string('certificate-authority') || fileField(cluster, 'certificate-authority');
  const certFile = flags.string('client-certificate') || fileField(user, 'client-certificate');
  const keyFile = flags.string('client-key') || fileField(user, 'client-key');
  let token = flags.string('token') || str(user.token);
  if (!token && fileField(user, 'tokenFile')) token = readPath(fileField(user, 'tokenFile'))?.trim();
  const server = flags.string('server') || str(cluster.server) || 'http://localhost:8080';
  const nsFlag = flags.string('namespace');
  return {
    server: server.replace(/\/+$/, ''),
    ca: caFile ? readPath(caFile) : b64(cluster['certificate-authority-data']),
    cert: certFile ? readPath(certFile) : b64(user['client-certificate-data']),
    key: keyFile ? readPath(keyFile) : b64(user['client-key-data']),
    token,
    username: flags.string('username') || str(user.username),
    password: flags.string('password') || str(user.password),
    insecure: flags.bool('insecure-skip-tls-verify') || cluster['insecure-skip-tls-verify'] === true,
    tlsServerName: flags.string('tls-server-name') || str(cluster['tls-server-name']),
    namespace: nsFlag || ctx?.namespace || 'default',
    namespaceExplicit: nsFlag !== '',
    timeoutMs: parseTimeout(flags.string('request-timeout')),
    cacheDir: cacheDirOf(flags, env),
  };
}

function parseTimeout(s: string): number {
  if (s === '' || s === '0') return 0;
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(s);
  if (!m) throw new KubectlError(`invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms']!;
}
