/**
 * API discovery for kubectl: which resources the server has (group, version, plural, kind, scope,
 * short names, categories), cached on disk under `<cache-dir>/discovery/<host_port>/` for 6 hours as
 * kubectl caches it, and refreshed once when a name cannot be resolved.
 *
 * Asks for aggregated discovery (apidiscovery.k8s.io/v2, two requests) and falls back to the plain
 * APIVersions/APIGroupList plus one request per group-version.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Transport } from './transport.js';

export interface ApiResource {
  group: string;
  version: string;
  /** Plural, e.g. "pods". */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
}

const TTL_MS = 6 * 3600 * 1000;
const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

interface V2Resource {
  resource: string;
  responseKind?: { kind?: string };
  scope?: string;
  singularResource?: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}
interface V2Group { metadata?: { name?: string }; versions?: { version: string; resources?: V2Resource[] }[] }

export class Discovery {
  private cached?: ApiResource[];
  constructor(private readonly transport: Transport, private readonly cacheDir: string, private readonly now: () => number = Date.now) {}

  private cacheFile(): string {
    const host = new URL(this.transport.conn.server).host.replace(/[^A-Za-z0-9.]/g, '_');
    return join(this.cacheDir, 'discovery', host, 'k8ts-resources.json');
  }

  /** All served resources (preferred versions first, core group first). */
  async resources(refresh = false): Promise<ApiResource[]> {
    if (this.cached && !refresh) return this.cached;
    const file = this.cacheFile();
    if (!refresh) {
      try {
        if (this.now() - statSync(file).mtimeMs < TTL_MS) return (this.cached = JSON.parse(readFileSync(file, 'utf8')) as ApiResource[]);
      } catch { /* no cache */ }
    }
    const list = await this.fetch();
    try {
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(`${file}.tmp`, JSON.stringify(list));
      renameSync(`${file}.tmp`, file);
    } catch { /* a read-only cache is fine */ }
    return (this.cached = list);
  }

  private async fetch(): Promise<ApiResource[]> {
    const out: ApiResource[] = [];
    for (const root of ['/api', '/apis']) {
      const res = await this.transport.request({ path: root, accept: `${AGGREGATED},application/json` });
      const doc = JSON.parse(res.body) as Record<string, unknown>;
      if (String(res.headers['content-type'] ?? '').includes('apidiscovery.k8s.io')) {
        for (const g of (doc.items as V2Group[]) ?? []) {
          const v = g.versions?.[0];
          if (!v) continue;
          for (const r of v.resources ?? []) {
            out.push({
              group: g.metadata?.name ?? '', version: v.version, resource: r.resource, singular: r.singularResource ?? '',
              kind: r.responseKind?.kind ?? '', namespaced: r.scope === 'Namespaced', shortNames: r.shortNames ?? [],
              categories: r.categories ?? [], verbs: r.verbs ?? [],
            });
          }
        }
        continue;
      }
      const gvs: { group: string; version: string }[] = root === '/api'
        ? ((doc.versions as string[]) ?? []).slice(0, 1).map((v) => ({ group: '', version: v }))
        : ((doc.groups as { name: string; preferredVersion?: { version: string }; versions: { version: string }[] }[]) ?? [])
          .map((g) => ({ group: g.name, version: g.preferredVersion?.version ?? g.versions[0]?.version }));
      const lists = await Promise.all(gvs.map(async ({ group, version }) => {
        const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
        const l = await this.transport.json<{ resources?: { name: string; singularName?: string; kind: string; namespaced: boolean; shortNames?: string[]; categories?: string[]; verbs?: string[] }[] }>({ path });
        return (l.resources ?? []).filter((r) => !r.name.includes('/')).map((r) => ({
          group, version, resource: r.name, singular: r.singularName || r.kind.toLowerCase(), kind: r.kind, namespaced: r.namespaced,
          shortNames: r.shortNames ?? [], categories: r.categories ?? [], verbs: r.verbs ?? [],
        }));
      }));
      for (const l of lists) out.push(...l);
    }
    return out;
  }
}

/**
 * Finds the resource a user typed: plural, singular, short name or kind, optionally qualified as
 * `name.group` or `name.version.group` (`deployments.apps`, `deploy.v1.apps`). Core group wins ties.
 */
export function matchResource(all: ApiResource[], typed: string): ApiResource | undefined {
  const lower = typed.toLowerCase();
  const names = (r: ApiResource) => [r.resource, r.singular, r.kind.toLowerCase(), ...r.shortNames];
  const exact = all.find((r) => names(r).includes(lower));
  if (exact) return exact;
  const dot = lower.indexOf('.');
  if (dot < 0) return undefined;
  const head = lower.slice(0, dot);
  const rest = lower.slice(dot + 1);
  return all.find((r) => names(r).includes(head) && (r.group === rest || `${r.version}.${r.group}` === rest))
    ?? all.find((r) => names(r).includes(head) && r.group.startsWith(`${rest}.`));
}

/** Resources in a category (e.g. "all"), in discovery order. */
export function categoryMembers(all: ApiResource[], category: string): ApiResource[] {
  return all.filter((r) => r.categories.includes(category));
}

/** `pod`, `deployment.apps`: the lower-case kind and group kubectl prints before names. */
export function kindPrefix(r: ApiResource): string {
  return r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase();
}

/** `pods`, `deployments.apps`: the plural as upstream messages name it. */
export function qualifiedName(r: ApiResource): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

/** The URL of a collection or object of `r` (namespace ignored for cluster-scoped resources). */
export function pathOf(r: ApiResource, namespace: string | undefined, name?: string, subresource?: string): string {
  let p = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  if (r.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${r.resource}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (subresource) p += `/${subresource}`;
  return p;
}

/** The resource serving `apiVersion` + `kind` (e.g. "apps/v1", "Deployment"). */
export function resourceForKind(all: ApiResource[], apiVersion: string, kind: string): ApiResource | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
  const match = all.find((r) => r.group === group && r.kind === kind);
  return match ? { ...match, version } : undefined;
}
