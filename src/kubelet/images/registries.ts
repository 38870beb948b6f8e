/**
 * The node's registry settings, in k3s's `registries.yaml` format (`--private-registry FILE`):
 *
 *   mirrors:
 *     docker.io:
 *       endpoint: ["http://127.0.0.1:5000", "https://mirror.example.com"]
 *   configs:
 *     "mirror.example.com":
 *       auth: { username: u, password: p }          # or auth (base64 user:pass), identity_token
 *       tls: { ca_file: ..., cert_file: ..., key_file: ..., insecure_skip_verify: true }
 *
 * Mirrors and TLS settings go to containerd (one hosts.toml per registry: ../containerd/config.ts);
 * credentials are handed to PullImage by the kubelet ({@link credentialsFor}).
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { AuthConfig } from '../cri/types.js';
import { parseImageReference } from './reference.js';

export interface RegistryMirror {
  /** Endpoints tried in order; the registry itself is the last resort. */
  endpoint: string[];
}

export interface RegistryAuth {
  username?: string;
  password?: string;
  /** base64 of `username:password` */
  auth?: string;
  identity_token?: string;
}

export interface RegistryTLS {
  ca_file?: string;
  cert_file?: string;
  key_file?: string;
  insecure_skip_verify?: boolean;
}

export interface RegistriesConfig {
  /** Registry host (e.g. `docker.io`) → its mirrors. */
  mirrors?: Record<string, RegistryMirror>;
  /** Registry or endpoint host (`host[:port]`) → credentials and TLS settings. */
  configs?: Record<string, { auth?: RegistryAuth; tls?: RegistryTLS }>;
}

function fail(file: string, msg: string): never {
  throw new Error(`registries config ${file}: ${msg}`);
}

/** Checks the shape of a parsed registries document and returns it typed. */
export function validateRegistries(doc: unknown, file = '(inline)'): RegistriesConfig {
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) fail(file, 'must be a mapping with "mirrors" and "configs"');
  const { mirrors, configs, ...rest } = doc as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length) fail(file, `unknown key(s) ${unknown.join(', ')} (expected mirrors, configs)`);
  const out: RegistriesConfig = {};
  if (mirrors !== undefined && mirrors !== null) {
    if (typeof mirrors !== 'object' || Array.isArray(mirrors)) fail(file, '"mirrors" must be a mapping');
    out.mirrors = {};
    for (const [host, m] of Object.entries(mirrors as Record<string, unknown>)) {
      const endpoint = (m as { endpoint?: unknown } | null)?.endpoint ?? [];
      if (!Array.isArray(endpoint) || !endpoint.every((e) => typeof e === 'string')) {
        fail(file, `mirrors.${host}.endpoint must be a list of URLs`);
      }
      for (const e of endpoint as string[]) {
        let url: URL;
        try {
          url = new URL(e);
        } catch {
          fail(file, `mirrors.${host}.endpoint: "${e}" is not a URL`);
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(file, `mirrors.${host}.endpoint: "${e}" must be http or https`);
      }
      out.mirrors[host] = { endpoint: endpoint as string[] };
    }
  }
  if (configs !== undefined && configs !== null) {
    if (typeof configs !== 'object' || Array.isArray(configs)) fail(file, '"configs" must be a mapping');
    out.configs = {};
    for (const [host, c] of Object.entries(configs as Record<string, unknown>)) {
      const { auth, tls } = (c ?? {}) as { auth?: RegistryAuth; tls?: RegistryTLS };
      if (tls?.insecure_skip_verify !== undefined && typeof tls.insecure_skip_verify !== 'boolean') {
        fail(file, `configs.${host}.tls.insecure_skip_verify must be true or false`);
      }
      if ((tls?.cert_file === undefined) !== (tls?.key_file === undefined)) {
        fail(file, `configs.${host}.tls: cert_file and key_file go together`);
      }
      out.configs[host] = { ...(auth ? { auth: { ...auth } } : {}), ...(tls ? { tls: { ...tls } } : {}) };
    }
  }
  return out;
}

/** Reads a registries.yaml; a missing file means no settings (as k3s). */
export async function loadRegistriesFile(file: string): Promise<RegistriesConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    fail(file, (err as Error).message);
  }
  return validateRegistries(doc, file);
}

/** The credentials configured for the registry an image comes from, in the CRI's shape (or undefined). */
export function credentialsFor(reg: RegistriesConfig, image: string): AuthConfig | undefined {
  const { domain } = parseImageReference(image);
  const auth = reg.configs?.[domain]?.auth ?? (domain === 'docker.io' ? reg.configs?.['registry-1.docker.io']?.auth : undefined);
  if (!auth) return undefined;
  return {
    username: auth.username ?? '',
    password: auth.password ?? '',
    auth: auth.auth ?? '',
    identityToken: auth.identity_token ?? '',
    serverAddress: domain,
  };
}
