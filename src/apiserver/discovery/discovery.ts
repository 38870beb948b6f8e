/**
 * API discovery, generated from the resource catalog: `/api`, `/apis`, `/api/v1`, `/apis/G`, `/apis/G/V`,
 * and aggregated discovery (apidiscovery.k8s.io v2 and v2beta1), which kubectl asks for first and which
 * must be answered with exactly the Content-Type it asked for.
 */
import { CATALOG, GROUP_VERSIONS, type ResourceEntry } from '../registry/catalog.js';

const AGGREGATED = /application\/json;\s*g=apidiscovery\.k8s\.io;\s*v=(v2|v2beta1);\s*as=APIGroupDiscoveryList/;

/** The aggregated-discovery Content-Type the Accept header asks for, if any. */
export function aggregatedContentType(accept: string | undefined): string | undefined {
  if (!accept) return undefined;
  for (const part of accept.split(',')) {
    const m = AGGREGATED.exec(part.replace(/\s+/g, ''));
    if (m) return `application/json;g=apidiscovery.k8s.io;v=${m[1]};as=APIGroupDiscoveryList`;
  }
  return undefined;
}

function entries(group: string, version: string): ResourceEntry[] {
  return CATALOG.filter((e) => e.group === group && e.version === version);
}

function gv(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

export function apiVersions(serverAddress: string): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(group: string, versions: string[]): unknown {
  const vs = versions.map((v) => ({ groupVersion: gv(group, v), version: v }));
  return { name: group, versions: vs, preferredVersion: vs[0] };
}

export function apiGroupList(): unknown {
  return {
    kind: 'APIGroupList', apiVersion: 'v1',
    groups: GROUP_VERSIONS.filter((g) => g.group !== '').map((g) => apiGroup(g.group, g.versions)),
  };
}

export function apiGroupOf(group: string): unknown | undefined {
  const g = GROUP_VERSIONS.find((x) => x.group === group && group !== '');
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...(apiGroup(g.group, g.versions) as object) } : undefined;
}

export function apiResourceList(group: string, version: string): unknown | undefined {
  const list = entries(group, version);
  if (!list.length) return undefined;
  const resources: unknown[] = [];
  for (const e of list) {
    const r: Record<string, unknown> = { name: e.resource, singularName: e.singular, namespaced: e.namespaced, kind: e.kind, verbs: e.verbs };
    if (e.shortNames.length) r.shortNames = e.shortNames;
    if (e.categories.length) r.categories = e.categories;
    resources.push(r);
    for (const [sub, s] of Object.entries(e.subresources)) {
      const sr: Record<string, unknown> = { name: `${e.resource}/${sub}`, singularName: '', namespaced: e.namespaced, kind: s.kind, verbs: s.verbs };
      if (s.group !== undefined) { sr.group = s.group; sr.version = s.version; }
      resources.push(sr);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv(group, version), resources };
}

function discoveryVersion(group: string, version: string): unknown {
  return {
    version,
    resources: entries(group, version).map((e) => {
      const r: Record<string, unknown> = {
        resource: e.resource,
        responseKind: { group: e.group, version: e.version, kind: e.kind },
        scope: e.namespaced ? 'Namespaced' : 'Cluster',
        singularResource: e.singular,
        verbs: e.verbs,
      };
      if (e.shortNames.length) r.shortNames = e.shortNames;
      if (e.categories.length) r.categories = e.categories;
      const subs = Object.entries(e.subresources).map(([sub, s]) => ({
        subresource: sub, responseKind: { group: s.group ?? e.group, version: s.version ?? e.version, kind: s.kind }, verbs: s.verbs,
      }));
      if (subs.length) r.subresources = subs;
      return r;
    }),
    freshness: 'Current',
  };
}

/** The aggregated discovery document of `/api` (core) or `/apis` (every named group). */
export function aggregatedDiscovery(core: boolean, contentType: string): unknown {
  const version = contentType.includes('v=v2beta1') ? 'v2beta1' : 'v2';
  const groups = GROUP_VERSIONS.filter((g) => (g.group === '') === core);
  return {
    kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {},
    items: groups.map((g) => ({
      metadata: core ? { creationTimestamp: null } : { name: g.group, creationTimestamp: null },
      versions: g.versions.map((v) => discoveryVersion(g.group, v)),
    })),
  };
}
