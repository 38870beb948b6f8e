/**
 * Kubeconfig files as kubectl finds, merges and edits them.
 *
 * Which files (clientcmd's loading rules):
 * 1. `--kubeconfig FILE`: only that file; it must exist.
 * 2. `$KUBECONFIG`: a `:`-separated list, merged; for each cluster, context and user name the first file
 *    that defines it wins, and so does the first file that sets `current-context`. Missing files are skipped.
 * 3. `~/.kube/config`.
 * 4. k8ts only: when none of the above exists, the local server's admin kubeconfig
 *    (`/var/lib/k8ts/server/cred/admin.kubeconfig` as root, `~/.k8ts/server/cred/admin.kubeconfig` otherwise).
 *
 * Edits go back to the file that defines the stanza; new stanzas go to the first existing file of the
 * chain (or the last one when none exists), as `kubectl config` does.
 *
 * Parsing YAML costs ~40 ms of start-up for the `yaml` package, so a parsed file is cached as JSON under
 * the cache dir, keyed by path, size and mtime; the hot path (`kubectl get`) then needs no YAML parser.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { KubectlError } from './errors.js';

export interface NamedCluster { name: string; cluster: Record<string, unknown> }
export interface NamedContext { name: string; context: { cluster?: string; user?: string; namespace?: string } & Record<string, unknown> }
export interface NamedUser { name: string; user: Record<string, unknown> }

/** The kubeconfig document (clientcmd/api/v1 Config). */
export interface KubeconfigFile {
  apiVersion?: string;
  kind?: string;
  preferences?: Record<string, unknown>;
  clusters?: NamedCluster[] | null;
  contexts?: NamedContext[] | null;
  users?: NamedUser[] | null;
  'current-context'?: string;
  extensions?: unknown[];
}

/** A merged view of the chain, remembering which file each stanza came from. */
export interface LoadedConfig {
  /** The files considered, in order (existing or not). */
  chain: string[];
  /** Set when `--kubeconfig` named the file explicitly. */
  explicit: boolean;
  currentContext: string;
  currentContextFile?: string;
  clusters: Map<string, { value: Record<string, unknown>; file: string }>;
  contexts: Map<string, { value: NamedContext['context']; file: string }>;
  users: Map<string, { value: Record<string, unknown>; file: string }>;
  preferences: Record<string, unknown>;
}

export interface LoadOptions {
  kubeconfigFlag?: string;
  env: Record<string, string | undefined>;
  /** Where parsed files are cached (kubectl's --cache-dir, default ~/.kube/cache). */
  cacheDir?: string;
}

export function homeDir(env: Record<string, string | undefined>): string {
  return env.HOME || homedir();
}

/** The admin kubeconfig `k8ts server` writes, used when nothing else is configured. */
export function localServerKubeconfig(env: Record<string, string | undefined>): string {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return isRoot ? '/var/lib/k8ts/server/cred/admin.kubeconfig' : join(homeDir(env), '.k8ts', 'server', 'cred', 'admin.kubeconfig');
}

/** The file chain per the loading rules (see the file comment). */
export function kubeconfigChain(opts: LoadOptions): { chain: string[]; explicit: boolean } {
  if (opts.kubeconfigFlag) return { chain: [opts.kubeconfigFlag], explicit: true };
  const envList = opts.env.KUBECONFIG;
  if (envList !== undefined && envList !== '') {
    const seen = new Set<string>();
    const chain = envList.split(':').filter((p) => p !== '' && !seen.has(p) && seen.add(p));
    return { chain, explicit: false };
  }
  const home = join(homeDir(opts.env), '.kube', 'config');
  if (existsSync(home)) return { chain: [home], explicit: false };
  const local = localServerKubeconfig(opts.env);
  if (existsSync(local)) return { chain: [local], explicit: false };
  return { chain: [home], explicit: false };
}

export function loadKubeconfig(opts: LoadOptions): LoadedConfig {
  const { chain, explicit } = kubeconfigChain(opts);
  const cfg: LoadedConfig = { chain, explicit, currentContext: '', clusters: new Map(), contexts: new Map(), users: new Map(), preferences: {} };
  for (const file of chain) {
    const doc = readKubeconfigFile(file, explicit, opts.cacheDir);
    if (!doc) continue;
    if (!cfg.currentContext && doc['current-context']) {
      cfg.currentContext = doc['current-context'];
      cfg.currentContextFile = file;
    }
    for (const c of doc.clusters ?? []) if (c?.name && !cfg.clusters.has(c.name)) cfg.clusters.set(c.name, { value: resolvePaths(c.cluster ?? {}, file, ['certificate-authority']), file });
    for (const c of doc.contexts ?? []) if (c?.name && !cfg.contexts.has(c.name)) cfg.contexts.set(c.name, { value: c.context ?? {}, file });
    for (const u of doc.users ?? []) if (u?.name && !cfg.users.has(u.name)) cfg.users.set(u.name, { value: resolvePaths(u.user ?? {}, file, ['client-certificate', 'client-key', 'tokenFile']), file });
  }
  return cfg;
}

/** Makes relative file references absolute against the kubeconfig's folder (kept aside for `view`). */
function resolvePaths(v: Record<string, unknown>, file: string, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...v };
  for (const k of keys) {
    const p = out[k];
    if (typeof p === 'string' && p !== '' && !isAbsolute(p)) {
      Object.defineProperty(out, `${k}:abs`, { value: resolve(dirname(file), p), enumerable: false });
    }
  }
  return out;
}

/** The absolute path of a file field (`certificate-authority`, `client-key`, ...), or undefined. */
export function fileField(v: Record<string, unknown>, key: string): string | undefined {
  const abs = (v as Record<string, unknown>)[`${key}:abs`];
  if (typeof abs === 'string') return abs;
  const raw = v[key];
  return typeof raw === 'string' && raw !== '' ? raw : undefined;
}

/** Reads and parses one kubeconfig file; undefined when it does not exist (an error when `mustExist`). */
export function readKubeconfigFile(file: string, mustExist: boolean, cacheDir?: string): KubeconfigFile | undefined {
  let st;
  try {
    st = statSync(file);
  } catch {
    if (mustExist) throw new KubectlError(`stat ${file}: no such file or directory`);
    return undefined;
  }
  if (st.size === 0) return {};
  const key = createHash('sha256').update(`${resolve(file)}\0${st.size}\0${st.mtimeMs}`).digest('hex').slice(0, 32);
  const cachePath = cacheDir ? join(cacheDir, 'k8ts-kubeconfig', `${key}.json`) : undefined;
  if (cachePath) {
    try {
      return JSON.parse(readFileSync(cachePath, 'utf8')) as KubeconfigFile;
    } catch { /* not cached yet */ }
  }
  const text = readFileSync(file, 'utf8');
  const doc = parseKubeconfigText(text, file);
  if (cachePath) {
    try {
      mkdirSync(dirname(cachePath), { recursive: true });
      writeFileSync(`${cachePath}.tmp`, JSON.stringify(doc));
      renameSync(`${cachePath}.tmp`, cachePath);
    } catch { /* a read-only cache is fine */ }
  }
  return doc;
}

let yamlParse: ((text: string) => unknown) | undefined;

/** Loads the YAML parser; commands that read files call this once before parsing synchronously. */
export async function loadYAMLParser(): Promise<(text: string) => unknown> {
  if (!yamlParse) {
    const yaml = await import('yaml');
    yamlParse = (t: string) => yaml.parse(t, { version: '1.1', schema: 'yaml-1.1' } as never);
  }
  return yamlParse;
}

function parseKubeconfigText(text: string, file: string): KubeconfigFile {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) return JSON.parse(text) as KubeconfigFile;
  if (!yamlParse) throw new NeedsYAML();
  try {
    return (yamlParse(text) ?? {}) as KubeconfigFile;
  } catch (err) {
    throw new KubectlError(`error loading config file "${file}": ${(err as Error).message}`);
  }
}

/** Thrown when a YAML file must be parsed before the parser was loaded; `withKubeconfig` retries. */
export class NeedsYAML extends Error {}

/** Loads the config, importing the YAML parser only when a file is not in the cache. */
export async function loadKubeconfigAsync(opts: LoadOptions): Promise<LoadedConfig> {
  try {
    return loadKubeconfig(opts);
  } catch (err) {
    if (!(err instanceof NeedsYAML)) throw err;
    await loadYAMLParser();
    return loadKubeconfig(opts);
  }
}

/** The merged config as one v1 document (what `kubectl config view` prints before redaction). */
export function mergedDocument(cfg: LoadedConfig, minify = false): KubeconfigFile {
  const byName = <T>(m: Map<string, { value: T }>, key: 'cluster' | 'context' | 'user') =>
    [...m.keys()].sort().map((name) => ({ name, [key]: { ...(m.get(name)!.value as object) } })) as never[];
  let doc: KubeconfigFile = {
    apiVersion: 'v1', kind: 'Config', preferences: cfg.preferences,
    clusters: byName(cfg.clusters, 'cluster'), contexts: byName(cfg.contexts, 'context'), users: byName(cfg.users, 'user'),
    'current-context': cfg.currentContext,
  };
  if (minify) {
    if (!cfg.currentContext) throw new KubectlError('current-context must exist in order to minify');
    const ctx = cfg.contexts.get(cfg.currentContext);
    if (!ctx) throw new KubectlError(`cannot locate context ${cfg.currentContext}`);
    doc = {
      ...doc,
      clusters: (doc.clusters ?? []).filter((c) => c.name === ctx.value.cluster),
      contexts: (doc.contexts ?? []).filter((c) => c.name === cfg.currentContext),
      users: (doc.users ?? []).filter((u) => u.name === ctx.value.user),
    };
  }
  for (const k of ['clusters', 'contexts', 'users'] as const) if ((doc[k] ?? []).length === 0) doc[k] = null;
  return doc;
}

/** `config view` without --raw: certificate data is `DATA+OMITTED`, secrets `REDACTED`. */
export function redact(doc: KubeconfigFile): KubeconfigFile {
  const out: KubeconfigFile = structuredClone(doc);
  for (const c of out.clusters ?? []) if (c.cluster['certificate-authority-data']) c.cluster['certificate-authority-data'] = 'DATA+OMITTED';
  for (const u of out.users ?? []) {
    for (const k of ['client-certificate-data', 'client-key-data']) if (u.user[k]) u.user[k] = 'DATA+OMITTED';
    for (const k of ['token', 'password']) if (u.user[k]) u.user[k] = 'REDACTED';
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Editing

/** Reads `file` for editing (an empty Config when it does not exist). */
export async function readForEdit(file: string): Promise<KubeconfigFile> {
  if (!existsSync(file)) return { apiVersion: 'v1', kind: 'Config', preferences: {}, clusters: [], contexts: [], users: [], 'current-context': '' };
  await loadYAMLParser();
  return readKubeconfigFile(file, true) ?? {};
}

/** Writes a Config back, lists sorted by name, in kubectl's YAML. */
export async function writeKubeconfig(file: string, doc: KubeconfigFile): Promise<void> {
  const { toYAML } = await import('./printers/yaml.js');
  const sorted: KubeconfigFile = {
    apiVersion: doc.apiVersion ?? 'v1', kind: doc.kind ?? 'Config', preferences: doc.preferences ?? {},
    clusters: sortByName(doc.clusters), contexts: sortByName(doc.contexts), users: sortByName(doc.users),
    'current-context': doc['current-context'] ?? '',
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, toYAML(sorted), { mode: 0o600 });
}

function sortByName<T extends { name: string }>(list: T[] | null | undefined): T[] | null {
  if (!list || list.length === 0) return null;
  return [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The file a new stanza goes to: the first existing file of the chain, else the last one. */
export function fileForNewStanza(cfg: LoadedConfig): string {
  return cfg.chain.find((f) => existsSync(f)) ?? cfg.chain[cfg.chain.length - 1];
}
