/**
 * kubectl's resource arguments: `TYPE`, `TYPE NAME...`, `TYPE1,TYPE2 [NAME...]`, `TYPE/NAME...`, with
 * types given as plural, singular, short name, kind, `type.group` or a category such as `all`.
 * Unknown types are looked up again after refreshing discovery, as kubectl does.
 */
import { categoryMembers, matchResource, type ApiResource, type Discovery } from './discovery.js';
import { KubectlError } from './errors.js';

export interface ResourceRequest {
  resource: ApiResource;
  /** Empty: the whole collection. */
  names: string[];
}

export async function resolveResourceArgs(args: string[], discovery: Discovery): Promise<ResourceRequest[]> {
  if (args.length === 0) return [];
  const slashed = args.map((a) => a.includes('/'));
  if (slashed[0]) {
    if (!slashed.every(Boolean)) throw new KubectlError('arguments in resource/name form must have a single resource and name');
    const out: ResourceRequest[] = [];
    for (const a of args) {
      const slash = a.indexOf('/');
      const [resource] = await resolveTypes(a.slice(0, slash), discovery);
      const name = a.slice(slash + 1);
      if (name === '') throw new KubectlError('arguments in resource/name form must have a single resource and name');
      const last = out[out.length - 1];
      if (last && last.resource === resource) last.names.push(name);
      else out.push({ resource, names: [name] });
    }
    return out;
  }
  if (slashed.some(Boolean)) {
    throw new KubectlError("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'");
  }
  const types = await resolveTypes(args[0], discovery);
  return types.map((resource) => ({ resource, names: args.slice(1) }));
}

/** Resolves a comma-separated list of types (with categories expanded) to resources. */
export async function resolveTypes(typed: string, discovery: Discovery): Promise<ApiResource[]> {
  const out: ApiResource[] = [];
  for (const t of typed.split(',').filter((x) => x !== '')) {
    let all = await discovery.resources();
    let found = lookup(all, t);
    if (found.length === 0) {
      all = await discovery.resources(true);
      found = lookup(all, t);
    }
    if (found.length === 0) throw new KubectlError(`the server doesn't have a resource type "${t.split('.')[0]}"`);
    for (const r of found) if (!out.includes(r)) out.push(r);
  }
  return out;
}

function lookup(all: ApiResource[], t: string): ApiResource[] {
  const r = matchResource(all, t);
  if (r) return [r];
  return categoryMembers(all, t.toLowerCase());
}
