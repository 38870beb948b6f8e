/**
 * `kubectl describe`: client-side, human-readable detail of objects with their events. Describers are
 * chosen by kind from a registry (src/kubectl/describe/); other kinds get the generic layout.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { ApiError } from '../../api/errors.js';
import type { Invocation, KubectlCommand } from '../command.js';
import { pathOf, type ApiResource } from '../discovery.js';
import { describeDeployment, describeGeneric, describeNamespace, describeNode, describeService, formatLabelSelector } from '../describe/others.js';
import { describePod } from '../describe/pod.js';
import { DescribeWriter, type EventLike } from '../describe/writer.js';
import { apiErrorText, UsageError } from '../errors.js';
import { makeFactory, type Factory } from '../factory.js';
import { readManifests } from '../file-input.js';
import { resolveResourceArgs } from '../resource-args.js';
import { targetsFor } from '../targets.js';

type Obj = Record<string, any>;

interface Context { factory: Factory; now: Date; showEvents: boolean }

type Describer = (obj: Obj, events: EventLike[] | undefined, w: DescribeWriter, ctx: Context) => Promise<void>;

/** Describers by `group/Kind`. */
const DESCRIBERS: Record<string, Describer> = {
  '/Pod': async (obj, events, w, ctx) => describePod(obj, events, w, ctx.now),
  '/Service': async (obj, events, w, ctx) => {
    let endpoints: Obj | undefined;
    try {
      endpoints = await ctx.factory.transport.json<Obj>({ path: `/api/v1/namespaces/${obj.metadata.namespace}/endpoints/${obj.metadata.name}` });
    } catch { /* no endpoints yet */ }
    describeService(obj, endpoints, events, w, ctx.now);
  },
  'apps/Deployment': async (obj, events, w, ctx) => {
    const selector = formatLabelSelector(obj.spec?.selector);
    const rs = await ctx.factory.transport.json<{ items: Obj[] }>({ path: `/apis/apps/v1/namespaces/${obj.metadata.namespace}/replicasets`, query: { labelSelector: selector } })
      .catch(() => undefined);
    describeDeployment(obj, rs?.items, events, w, ctx.now);
  },
  '/Namespace': async (obj, _events, w, ctx) => {
    const list = async (path: string) => (await ctx.factory.transport.json<{ items: Obj[] }>({ path }).catch(() => ({ items: [] as Obj[] }))).items;
    describeNamespace(obj, await list(`/api/v1/namespaces/${obj.metadata.name}/resourcequotas`), await list(`/api/v1/namespaces/${obj.metadata.name}/limitranges`), w);
  },
  '/Node': async (obj, events, w, ctx) => {
    const pods = await ctx.factory.transport.json<{ items: Obj[] }>({ path: '/api/v1/pods', query: { fieldSelector: `spec.nodeName=${obj.metadata.name}` } }).catch(() => ({ items: [] }));
    let lease: Obj | undefined;
    let leaseError: string | undefined;
    try {
      lease = await ctx.factory.transport.json<Obj>({ path: `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${obj.metadata.name}` });
    } catch (err) {
      leaseError = err instanceof ApiError ? err.message : String(err);
    }
    describeNode(obj, pods.items, lease, leaseError, events, w, ctx.now);
  },
};

export const command: KubectlCommand = {
  name: 'describe',
  short: 'Show details of a specific resource or group of resources',
  long: 'Show details of a specific resource or group of resources.\n\n Print a detailed description of the selected resources, including related resources such as events or controllers. You may select a single object by name, all objects of that type, provide a name prefix, or label selector.',
  examples: '  # Describe a node\n  kubectl describe nodes kubernetes-node-emt8.c.myproject.internal\n\n  # Describe a pod\n  kubectl describe pods/nginx',
  usage: 'describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]',
  flags: [
    { name: 'all-namespaces', short: 'A', kind: 'bool', usage: 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.' },
    { name: 'chunk-size', kind: 'int', default: 500, usage: 'Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future.' },
    { name: 'filename', short: 'f', kind: 'stringSlice', usage: 'Filename, directory, or URL to files containing the resource to describe' },
    { name: 'recursive', short: 'R', kind: 'bool', usage: 'Process the directory used in -f, --filename recursively.' },
    { name: 'selector', short: 'l', kind: 'string', usage: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'." },
    { name: 'show-events', kind: 'bool', default: true, usage: 'If true, display events related to the described object.' },
  ],
  run,
};

async function run(inv: Invocation): Promise<number> {
  const { flags: f, io } = inv;
  if (inv.args.length === 0 && f.strings('filename').length === 0) {
    io.err('You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.\n\n');
    throw new UsageError('Required resource not specified.');
  }
  const factory = await makeFactory(f, io);
  const ctx: Context = { factory, now: io.now(), showEvents: f.bool('show-events') };
  const allNs = f.bool('all-namespaces');
  const ns = allNs ? undefined : factory.conn.namespace;
  const found: { resource: ApiResource; obj: Obj; prefixMatch?: boolean }[] = [];
  let code = 0;
  const errors: string[] = [];
  if (f.strings('filename').length) {
    const manifests = await readManifests(f.strings('filename'), { cwd: io.cwd, stdin: io.stdin, recursive: f.bool('recursive') });
    for (const t of await targetsFor(manifests, factory.discovery, { namespace: factory.conn.namespace, explicit: factory.conn.namespaceExplicit })) {
      try {
        found.push({ resource: t.resource, obj: await factory.transport.json<Obj>({ path: pathOf(t.resource, t.namespace, t.name) }) });
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        errors.push(apiErrorText(err));
      }
    }
  } else {
    for (const req of await resolveResourceArgs(inv.args, factory.discovery)) {
      const rns = req.resource.namespaced ? ns : undefined;
      if (req.names.length > 0 && !f.string('selector')) {
        for (const name of req.names) {
          try {
            found.push({ resource: req.resource, obj: await factory.transport.json<Obj>({ path: pathOf(req.resource, rns ?? factory.conn.namespace, name) }) });
          } catch (err) {
            if (!(err instanceof ApiError)) throw err;
            // kubectl falls back to a name-prefix search before reporting NotFound.
            const list = await factory.transport.json<{ items: Obj[] }>({ path: pathOf(req.resource, rns) }).catch(() => ({ items: [] as Obj[] }));
            const prefixed = list.items.filter((o) => String(o.metadata?.name ?? '').startsWith(name));
            if (err.reason === 'NotFound' && prefixed.length) {
              for (const o of prefixed) found.push({ resource: req.resource, obj: withKind(req.resource, o), prefixMatch: true });
            } else {
              errors.push(apiErrorText(err));
            }
          }
        }
        continue;
      }
      const list = await factory.transport.json<{ items: Obj[] }>({ path: pathOf(req.resource, rns), query: { labelSelector: f.string('selector') || undefined } });
      let items = list.items;
      if (req.names.length) items = items.filter((o) => req.names.some((n) => String(o.metadata?.name ?? '').startsWith(n)));
      for (const o of items) found.push({ resource: req.resource, obj: withKind(req.resource, o) });
    }
    if (found.length === 0 && errors.length === 0) {
      io.err(allNs || !ns ? 'No resources found\n' : `No resources found in ${ns} namespace.\n`);
      return 0;
    }
  }
  let first = true;
  for (const { resource, obj, prefixMatch } of found) {
    const events = ctx.showEvents ? await eventsFor(factory, obj) : undefined;
    const w = new DescribeWriter();
    const describer = DESCRIBERS[`${resource.group}/${resource.kind}`];
    if (describer) await describer(obj, events, w, ctx);
    else describeGeneric(obj, events, w, ctx.now);
    // kubectl separates described objects with a blank line; prefix matches end with a newline each.
    if (prefixMatch) io.out(`${w.toString()}\n`);
    else io.out(first ? w.toString() : `\n\n${w.toString()}`);
    first = false;
  }
  for (const e of errors) { io.err(`${e}\n`); code = 1; }
  return code;
}

function withKind(r: ApiResource, o: Obj): Obj {
  return { apiVersion: r.group ? `${r.group}/${r.version}` : r.version, kind: r.kind, ...o };
}

/** Events about the object, by involvedObject name, namespace and uid (as kubectl searches them). */
async function eventsFor(factory: Factory, obj: Obj): Promise<EventLike[] | undefined> {
  const m = obj.metadata ?? {};
  const sel = [`involvedObject.name=${m.name}`, `involvedObject.namespace=${m.namespace ?? ''}`, ...(m.uid ? [`involvedObject.uid=${m.uid}`] : [])].join(',');
  const path = m.namespace ? `/api/v1/namespaces/${m.namespace}/events` : '/api/v1/events';
  try {
    const list = await factory.transport.json<{ items: EventLike[] }>({ path, query: { fieldSelector: sel, limit: 500 } });
    return list.items;
  } catch {
    return undefined;
  }
}
