/** Maps manifests to where they live on the server: resource, namespace, name. */
import { kindPrefix, pathOf, resourceForKind, type ApiResource, type Discovery } from './discovery.js';
import { KubectlError } from './errors.js';
import type { Manifest } from './file-input.js';

export interface Target {
  manifest: Manifest;
  resource: ApiResource;
  /** Undefined for cluster-scoped resources. */
  namespace?: string;
  name: string;
}

export async function targetsFor(manifests: Manifest[], discovery: Discovery, ns: { namespace: string; explicit: boolean }): Promise<Target[]> {
  const out: Target[] = [];
  for (const m of manifests) {
    const o = m.object;
    let all = await discovery.resources();
    let r = resourceForKind(all, o.apiVersion!, o.kind!);
    if (!r) {
      all = await discovery.resources(true);
      r = resourceForKind(all, o.apiVersion!, o.kind!);
    }
    const name = o.metadata?.name ?? '';
    const objNs = o.metadata?.namespace;
    if (!r) {
      throw new KubectlError(`resource mapping not found for name: "${name}" namespace: "${objNs ?? ''}" from "${m.source}": no matches for kind "${o.kind}" in version "${o.apiVersion}"\nensure CRDs are installed first`);
    }
    let namespace: string | undefined;
    if (r.namespaced) {
      if (objNs && ns.explicit && objNs !== ns.namespace) {
        throw new KubectlError(`the namespace from the provided object "${objNs}" does not match the namespace "${ns.namespace}". You must pass '--namespace=${objNs}' to perform this operation.`);
      }
      namespace = objNs || ns.namespace;
    }
    out.push({ manifest: m, resource: r, namespace, name });
  }
  return out;
}

export function targetPath(t: Target, withName = true): string {
  return pathOf(t.resource, t.namespace, withName ? t.name : undefined);
}

export function targetLabel(t: Target, name = t.name): string {
  return `${kindPrefix(t.resource)}/${name}`;
}
