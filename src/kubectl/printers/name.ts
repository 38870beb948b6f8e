/** `-o name`: `kind[.group]/name`, the kind lower-cased (`pod/nginx`, `deployment.apps/web`). */

export interface NamedObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
}

export function resourceName(obj: NamedObject): string {
  const kind = (obj.kind ?? '').toLowerCase();
  const av = obj.apiVersion ?? '';
  const group = av.includes('/') ? av.slice(0, av.indexOf('/')) : '';
  return `${group ? `${kind}.${group}` : kind}/${obj.metadata?.name ?? ''}`;
}

/** One line per object; `operation` ("created", "deleted", ...) is appended when given. */
export function printNames(objs: NamedObject[], operation?: string): string {
  return objs.map((o) => `${resourceName(o)}${operation ? ` ${operation}` : ''}\n`).join('');
}
