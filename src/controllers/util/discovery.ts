/**
 * What the garbage collector and the namespace controller need to know about the served resources:
 * which exist, which are namespaced, which kind each holds, and which verbs they support (upstream's
 * discovery client, reduced to that). `apiDiscovery(client)` reads `/api/v1` and `/apis` from the API
 * server; `staticDiscovery(list)` is the fake for unit tests.
 */
import type { RestClient } from '../../client/rest.js';
import type { ResourceRef } from '../../client/resource.js';

export interface DiscoveredResource extends ResourceRef {
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

export interface Discovery {
  /** Every top-level resource (no subresources), the preferred version of each group. */
  resources(): Promise<DiscoveredResource[]>;
}

interface ApiResourceList {
  groupVersion: string;
  resources: { name: string; kind: string; namespaced: boolean; verbs: string[] }[];
}

export function apiDiscovery(client: Pick<RestClient, 'json'>): Discovery {
  const fromList = (group: string, version: string, l: ApiResourceList): DiscoveredResource[] =>
    l.resources.filter((r) => !r.name.includes('/')).map((r) => ({ group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs }));
  return {
    async resources() {
      const core = await client.json<ApiResourceList>({ method: 'GET', path: '/api/v1' });
      const out = fromList('', 'v1', core);
      const groups = await client.json<{ groups: { name: string; preferredVersion: { version: string } }[] }>({ method: 'GET', path: '/apis' });
      for (const g of groups.groups) {
        const l = await client.json<ApiResourceList>({ method: 'GET', path: `/apis/${g.name}/${g.preferredVersion.version}` });
        out.push(...fromList(g.name, g.preferredVersion.version, l));
      }
      return out;
    },
  };
}

export function staticDiscovery(list: DiscoveredResource[]): Discovery {
  return { resources: async () => list };
}

const ALL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** A discovered resource from a ref and kind, with every verb: for test fixtures. */
export function discovered(ref: ResourceRef, kind: string, namespaced = true): DiscoveredResource {
  return { group: ref.group, version: ref.version, resource: ref.resource, kind, namespaced, verbs: ALL };
}
