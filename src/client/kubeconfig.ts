/**
 * Kubeconfig files, loaded as kubectl loads them (client-go `tools/clientcmd`).
 *
 * Where the configuration comes from, in order:
 * 1. an explicit path (`--kubeconfig`): exactly that file, which must exist;
 * 2. `$KUBECONFIG`: a list of files separated by ':' (';' on Windows); missing files are skipped;
 *    files are merged so that **the first file to set a value wins**: the first `current-context`,
 *    the first cluster/user/context of each name;
 * 3. `~/.kube/config`, if it exists; otherwise an empty configuration.
 *
 * Relative file paths inside a kubeconfig (certificate-authority, client-certificate, client-key,
 * tokenFile) are relative to the directory of the file that names them, and are made absolute on load.
 *
 * `resolveRestConfig(config, overrides)` then picks the context (`--context` or current-context), its
 * cluster and user (`--cluster`, `--user` override them), and the namespace (`--namespace`, else the
 * context's, else "default"), reads certificate and token files, and returns what a REST client needs.
 * Every problem is a `KubeconfigError` with kubectl's wording where kubectl has one.
 */
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';

export interface KubeCluster {
  server?: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
  'proxy-url'?: string;
}

export interface KubeUser {
  token?: string;
  tokenFile?: string;
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  username?: string;
  password?: string;
}

export interface KubeContext {
  cluster?: string;
  user?: string;
  namespace?: string;
}

/** A kubeconfig file's content (`apiVersion: v1, kind: Config`), with named lists as kubectl writes them. */
export interface Kubeconfig {
  apiVersion?: string;
  kind?: string;
  clusters: { name: string; cluster: KubeCluster }[];
  users: { name: string; user: KubeUser }[];
  contexts: { name: string; context: KubeContext }[];
  'current-context'?: string;
  preferences?: Record<string, unknown>;
}

export class KubeconfigError extends Error {
  override name = 'KubeconfigError';
}

export const RECOMMENDED_HOME_FILE = join('.kube', 'config');

/** Parses one file's text; `path` names it in errors and anchors its relative paths. */
export function parseKubeconfig(text: string, path: string): Kubeconfig {
  let raw: unknown;
  try {
    raw = parse(text) ?? {};
  } catch (err) {
    throw new KubeconfigError(`error loading config file "${path}": ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new KubeconfigError(`error loading config file "${path}": not a kubeconfig: expected a mapping at the top level`);
  }
  const r = raw as Record<string, unknown>;
  if (r.kind !== undefined && r.kind !== 'Config') {
    throw new KubeconfigError(`error loading config file "${path}": kind "${String(r.kind)}" is not "Config"`);
  }
  const base = dirname(resolve(path));
  const abs = (p: string | undefined) => (p && !isAbsolute(p) ? join(base, p) : p);
  const named = <T>(field: string, inner: string, fix: (x: T) => T): { name: string; [k: string]: T | string }[] => {
    const list = r[field] ?? [];
    if (!Array.isArray(list)) throw new KubeconfigError(`error loading config file "${path}": "${field}" must be a list`);
    return list.map((e, i) => {
      if (!e || typeof e !== 'object' || typeof (e as { name?: unknown }).name !== 'string') {
        throw new KubeconfigError(`error loading config file "${path}": ${field}[${i}] has no name`);
      }
      const entry = e as Record<string, unknown>;
      const body = (entry[inner] ?? {}) as T;
      if (typeof body !== 'object' || body === null) throw new KubeconfigError(`error loading config file "${path}": ${field}[${i}].${inner} must be a mapping`);
      return { name: entry.name as string, [inner]: fix({ ...body }) };
    });
  };
  const cfg: Kubeconfig = {
    apiVersion: (r.apiVersion as string | undefined) ?? 'v1',
    kind: 'Config',
    clusters: named<KubeCluster>('clusters', 'cluster', (c) => {
      const ca = abs(c['certificate-authority']);
      return ca ? { ...c, 'certificate-authority': ca } : c;
    }) as Kubeconfig['clusters'],
    users: named<KubeUser>('users', 'user', (u) => {
      const out = { ...u };
      for (const k of ['client-certificate', 'client-key', 'tokenFile'] as const) {
        const p = abs(out[k]);
        if (p) out[k] = p;
      }
      return out;
    }) as Kubeconfig['users'],
    contexts: named<KubeContext>('contexts', 'context', (c) => c) as Kubeconfig['contexts'],
  };
  if (typeof r['current-context'] === 'string' && r['current-context']) cfg['current-context'] = r['current-context'];
  if (r.preferences && typeof r.preferences === 'object') cfg.preferences = r.preferences as Record<string, unknown>;
  return cfg;
}

export function readKubeconfigFile(path: string): Kubeconfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new KubeconfigError(`error loading config file "${path}": ${(err as Error).message}`);
  }
  return parseKubeconfig(text, path);
}

/** Merges files in precedence order: the first to define a name, or the current context, wins. */
export function mergeKubeconfigs(configs: Kubeconfig[]): Kubeconfig {
  const out: Kubeconfig = { apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [] };
  const firstWins = <E extends { name: string }>(into: E[], from: E[]) => {
    for (const e of from) if (!into.some((x) => x.name === e.name)) into.push(e);
  };
  for (const c of configs) {
    firstWins(out.clusters, c.clusters);
    firstWins(out.users, c.users);
    firstWins(out.contexts, c.contexts);
    if (!out['current-context'] && c['current-context']) out['current-context'] = c['current-context'];
    if (!out.preferences && c.preferences) out.preferences = c.preferences;
  }
  return out;
}

export interface LoadOptions {
  /** `--kubeconfig`. */
  explicitPath?: string;
  /** Defaults to `process.env` (reads `KUBECONFIG`). */
  env?: Record<string, string | undefined>;
  /** Defaults to `os.homedir()`. */
  homeDir?: string;
}

export interface LoadedKubeconfig {
  config: Kubeconfig;
  /** The files that were read, in precedence order. */
  files: string[];
}

/** Loads and merges the kubeconfig files kubectl would read (see the module comment). */
export function loadKubeconfig(opts: LoadOptions = {}): LoadedKubeconfig {
  if (opts.explicitPath) {
    try {
      statSync(opts.explicitPath);
    } catch (err) {
      throw new KubeconfigError(`stat ${opts.explicitPath}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
    }
    return { config: readKubeconfigFile(opts.explicitPath), files: [opts.explicitPath] };
  }
  const env = opts.env ?? process.env;
  const list = env.KUBECONFIG;
  let candidates: string[];
  if (list !== undefined && list !== '') {
    candidates = [...new Set(list.split(delimiter).filter((p) => p !== ''))];
  } else {
    candidates = [join(opts.homeDir ?? homedir(), RECOMMENDED_HOME_FILE)];
  }
  const files = candidates.filter((p) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  });
  return { config: mergeKubeconfigs(files.map(readKubeconfigFile)), files };
}

/** `--context`, `--cluster`, `--user`, `--namespace`, `--server`, `--token`, … as kubectl's global flags. */
export interface ConfigOverrides {
  context?: string;
  cluster?: string;
  user?: string;
  namespace?: string;
  server?: string;
  token?: string;
  certificateAuthority?: string;
  clientCertificate?: string;
  clientKey?: string;
  insecureSkipTLSVerify?: boolean;
  tlsServerName?: string;
  username?: string;
  password?: string;
}

/** Everything a REST client needs to reach and authenticate to one API server. */
export interface RestConfig {
  /** `https://host:port` (may carry a path prefix). */
  server: string;
  namespace: string;
  /** PEM; absent: the system roots. */
  ca?: Buffer;
  insecureSkipTLSVerify?: boolean;
  tlsServerName?: string;
  /** PEM client certificate and key. */
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  /** A file holding the token; re-read periodically (service-account tokens rotate). */
  tokenFile?: string;
  username?: string;
  password?: string;
  /** Names chosen, for messages. */
  contextName?: string;
  clusterName?: string;
  userName?: string;
}

function readPem(kind: string, path: string, owner: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new KubeconfigError(`unable to read ${kind} ${path} for ${owner} due to ${(err as Error).message}`);
  }
}

function decodeData(kind: string, b64: string, owner: string): Buffer {
  const buf = Buffer.from(b64, 'base64');
  if (buf.length === 0 && b64.length > 0) throw new KubeconfigError(`${kind}-data for ${owner} is not valid base64`);
  return buf;
}

/** Picks context, cluster, user and namespace, and reads the files they name. */
export function resolveRestConfig(config: Kubeconfig, overrides: ConfigOverrides = {}): RestConfig {
  const contextName = overrides.context ?? config['current-context'];
  let context: KubeContext = {};
  if (contextName) {
    const found = config.contexts.find((c) => c.name === contextName);
    if (!found) throw new KubeconfigError(`context was not found for specified context: ${contextName}`);
    context = found.context;
  }
  const clusterName = overrides.cluster ?? context.cluster;
  const userName = overrides.user ?? context.user;
  let cluster: KubeCluster = {};
  if (clusterName) {
    const found = config.clusters.find((c) => c.name === clusterName);
    if (!found) throw new KubeconfigError(`cluster "${clusterName}" does not exist`);
    cluster = found.cluster;
  }
  let user: KubeUser = {};
  if (userName) {
    const found = config.users.find((u) => u.name === userName);
    if (!found) throw new KubeconfigError(`user "${userName}" does not exist`);
    user = found.user;
  }
  const server = overrides.server ?? cluster.server;
  if (!server) {
    if (!contextName && !overrides.cluster) throw new KubeconfigError('invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable');
    throw new KubeconfigError(`invalid configuration: no server found for cluster "${clusterName ?? ''}"`);
  }
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new KubeconfigError(`invalid configuration: server "${server}" is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new KubeconfigError(`invalid configuration: server "${server}" must be an http or https URL`);
  const clusterOwner = `cluster "${clusterName ?? ''}"`;
  const userOwner = `user "${userName ?? ''}"`;

  const out: RestConfig = { server: server.replace(/\/+$/, ''), namespace: overrides.namespace || context.namespace || 'default' };
  if (contextName) out.contextName = contextName;
  if (clusterName) out.clusterName = clusterName;
  if (userName) out.userName = userName;

  const insecure = overrides.insecureSkipTLSVerify ?? cluster['insecure-skip-tls-verify'] ?? false;
  const caPath = overrides.certificateAuthority ?? cluster['certificate-authority'];
  if (insecure && (caPath || cluster['certificate-authority-data']) && overrides.insecureSkipTLSVerify === undefined) {
    throw new KubeconfigError('specifying a root certificates file with the insecure flag is not allowed');
  }
  if (insecure) out.insecureSkipTLSVerify = true;
  else if (caPath) out.ca = readPem('certificate-authority', caPath, clusterOwner);
  else if (cluster['certificate-authority-data']) out.ca = decodeData('certificate-authority', cluster['certificate-authority-data'], clusterOwner);
  const tlsServerName = overrides.tlsServerName ?? cluster['tls-server-name'];
  if (tlsServerName) out.tlsServerName = tlsServerName;

  const certPath = overrides.clientCertificate ?? user['client-certificate'];
  const keyPath = overrides.clientKey ?? user['client-key'];
  if (certPath) out.cert = readPem('client-cert', certPath, userOwner);
  else if (user['client-certificate-data']) out.cert = decodeData('client-certificate', user['client-certificate-data'], userOwner);
  if (keyPath) out.key = readPem('client-key', keyPath, userOwner);
  else if (user['client-key-data']) out.key = decodeData('client-key', user['client-key-data'], userOwner);
  if (!!out.cert !== !!out.key) {
    throw new KubeconfigError(`invalid configuration: client-cert-data and client-key-data must both be specified for ${userOwner} to use the clientCert authentication method`);
  }

  const token = overrides.token ?? user.token;
  if (token) out.token = token;
  else if (user.tokenFile) {
    out.tokenFile = user.tokenFile;
    out.token = readTokenFile(user.tokenFile);
  }
  const username = overrides.username ?? user.username;
  const password = overrides.password ?? user.password;
  if (username !== undefined || password !== undefined) {
    if (out.token) throw new KubeconfigError(`invalid configuration: more than one authentication method found for ${userOwner}; found [token basicAuth], only one is allowed`);
    out.username = username ?? '';
    out.password = password ?? '';
  }
  return out;
}

/** Reads a token file (trailing whitespace trimmed, as client-go does). */
export function readTokenFile(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw new KubeconfigError(`unable to read token file ${path}: ${(err as Error).message}`);
  }
}

/** Loads as kubectl does and resolves in one step: what `k8ts kubectl` and components call. */
export function restConfigFromKubeconfig(opts: LoadOptions & ConfigOverrides = {}): RestConfig {
  return resolveRestConfig(loadKubeconfig(opts).config, opts);
}

/** Writes a kubeconfig back to YAML in kubectl's layout. */
export function stringifyKubeconfig(config: Kubeconfig): string {
  const out: Record<string, unknown> = { apiVersion: config.apiVersion ?? 'v1', kind: 'Config', clusters: config.clusters, contexts: config.contexts };
  if (config['current-context']) out['current-context'] = config['current-context'];
  out.preferences = config.preferences ?? {};
  out.users = config.users;
  return stringify(out);
}
