/** `kubectl drain` (cordon, then evict the node's pods through the eviction subresource) and `kubectl top`. */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { ApiError } from '../../api/errors.js';
import type { CommandEntry, KubectlCommand } from '../command.js';
import { entryOf } from '../command.js';
import { apiErrorText, KubectlError, UsageError } from '../errors.js';
import { makeFactory, type Factory } from '../factory.js';
import { parseDuration } from '../flags.js';
import { alignColumns } from '../printers/tabwriter.js';

type Obj = Record<string, any>;

export const drainCommand: KubectlCommand = {
  name: 'drain',
  short: 'Drain node in preparation for maintenance',
  usage: 'drain NODE [options]',
  flags: [
    { name: 'delete-emptydir-data', kind: 'bool', usage: 'Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained).' },
    { name: 'force', kind: 'bool', usage: 'Continue even if there are pods that do not declare a controller.' },
    { name: 'grace-period', kind: 'int', default: -1, usage: 'Period of time in seconds given to each pod to terminate gracefully. If negative, the default value specified in the pod will be used.' },
    { name: 'ignore-daemonsets', kind: 'bool', usage: 'Ignore DaemonSet-managed pods.' },
    { name: 'selector', short: 'l', kind: 'string', usage: 'Selector (label query) to filter on' },
    { name: 'pod-selector', kind: 'string', usage: 'Label selector to filter pods on the node' },
    { name: 'timeout', kind: 'duration', default: '0s', usage: 'The length of time to wait before giving up, zero means infinite' },
    { name: 'disable-eviction', kind: 'bool', usage: 'Force drain to use delete, even if eviction is supported.' },
  ],
  async run({ flags: f, io, args }) {
    if (args.length === 0 && !f.string('selector')) throw new UsageError('USAGE: drain NODE [flags]');
    const factory = await makeFactory(f, io);
    const names = f.string('selector')
      ? (await factory.transport.json<{ items: Obj[] }>({ path: '/api/v1/nodes', query: { labelSelector: f.string('selector') } })).items.map((n) => n.metadata.name)
      : args;
    for (const name of names) {
      const node = await factory.transport.json<Obj>({ path: `/api/v1/nodes/${encodeURIComponent(name)}` });
      if (node.spec?.unschedulable) io.out(`node/${name} already cordoned\n`);
      else {
        await factory.transport.request({ method: 'PATCH', path: `/api/v1/nodes/${encodeURIComponent(name)}`, contentType: 'application/strategic-merge-patch+json', body: JSON.stringify({ spec: { unschedulable: true } }) });
        io.out(`node/${name} cordoned\n`);
      }
      const pods = (await factory.transport.json<{ items: Obj[] }>({ path: '/api/v1/pods', query: { fieldSelector: `spec.nodeName=${name}`, labelSelector: f.string('pod-selector') || undefined } })).items;
      const errors: string[] = [];
      const warnings: string[] = [];
      const victims: Obj[] = [];
      const ds: string[] = [];
      const unmanaged: string[] = [];
      const local: string[] = [];
      for (const p of pods) {
        const id = `${p.metadata.namespace}/${p.metadata.name}`;
        if (p.metadata?.annotations?.['kubernetes.io/config.mirror']) continue;
        if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') { victims.push(p); continue; }
        const owner = (p.metadata?.ownerReferences ?? []).find((o: Obj) => o.controller);
        if (owner?.kind === 'DaemonSet') { ds.push(id); continue; }
        if (!owner) unmanaged.push(id);
        if ((p.spec?.volumes ?? []).some((v: Obj) => v.emptyDir)) local.push(id);
        victims.push(p);
      }
      if (ds.length) (f.bool('ignore-daemonsets') ? warnings : errors).push(f.bool('ignore-daemonsets') ? `ignoring DaemonSet-managed Pods: ${ds.join(', ')}` : `cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): ${ds.join(', ')}`);
      if (unmanaged.length) (f.bool('force') ? warnings : errors).push(f.bool('force') ? `deleting Pods that declare no controller: ${unmanaged.join(', ')}` : `cannot delete Pods that declare no controller (use --force to override): ${unmanaged.join(', ')}`);
      if (local.length && !f.bool('delete-emptydir-data')) errors.push(`cannot delete Pods with local storage (use --delete-emptydir-data to override): ${local.join(', ')}`);
      if (errors.length) {
        throw new KubectlError(`unable to drain node "${name}" due to error: [${errors.join(', ')}], continuing command...\nThere are pending nodes to be drained:\n ${name}\n${errors.map((e) => `error: ${e}`).join('\n')}`);
      }
      if (warnings.length) io.err(`Warning: ${warnings.join('; ')}\n`);
      for (const p of victims) io.out(`evicting pod ${p.metadata.namespace}/${p.metadata.name}\n`);
      await Promise.all(victims.map((p) => evict(factory, p, f.int('grace-period'), f.bool('disable-eviction'))));
      const timeout = parseDuration(f.string('timeout')) || 0;
      await waitPodsGone(factory, victims, timeout);
      for (const p of victims) io.out(`pod/${p.metadata.name} evicted\n`);
      io.out(`node/${name} drained\n`);
    }
    return 0;
  },
};

async function evict(factory: Factory, p: Obj, grace: number, disable: boolean): Promise<void> {
  const path = `/api/v1/namespaces/${p.metadata.namespace}/pods/${encodeURIComponent(p.metadata.name)}`;
  const opts = grace >= 0 ? { gracePeriodSeconds: grace } : {};
  for (;;) {
    try {
      if (disable) await factory.transport.request({ method: 'DELETE', path, contentType: 'application/json', body: JSON.stringify(opts) });
      else {
        await factory.transport.request({
          method: 'POST', path: `${path}/eviction`, contentType: 'application/json',
          body: JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: p.metadata.name, namespace: p.metadata.namespace }, deleteOptions: opts }),
        });
      }
      return;
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'NotFound') return;
      if (err instanceof ApiError && err.code === 429) {
        await new Promise((r) => setTimeout(r, 5000));
        continue;
      }
      throw new KubectlError(`error when evicting pods/"${p.metadata.name}" -n "${p.metadata.namespace}" (will retry after 5s): ${err instanceof ApiError ? apiErrorText(err) : String(err)}`);
    }
  }
}

async function waitPodsGone(factory: Factory, pods: Obj[], timeoutMs: number): Promise<void> {
  const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
  let pending = pods;
  while (pending.length) {
    const still: Obj[] = [];
    for (const p of pending) {
      try {
        const cur = await factory.transport.json<Obj>({ path: `/api/v1/namespaces/${p.metadata.namespace}/pods/${encodeURIComponent(p.metadata.name)}` });
        if (cur.metadata?.uid === p.metadata.uid) still.push(p);
      } catch (err) {
        if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
      }
    }
    pending = still;
    if (!pending.length) return;
    if (Date.now() > deadline) throw new KubectlError(`drain did not complete within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function metricsAvailable(factory: Factory): Promise<boolean> {
  const groups = await factory.transport.json<{ groups?: { name: string }[] }>({ path: '/apis' });
  return (groups.groups ?? []).some((g) => g.name === 'metrics.k8s.io');
}

function milli(q: string | undefined): number {
  if (!q) return 0;
  if (q.endsWith('n')) return Number(q.slice(0, -1)) / 1e6;
  if (q.endsWith('u')) return Number(q.slice(0, -1)) / 1e3;
  if (q.endsWith('m')) return Number(q.slice(0, -1));
  return Number(q) * 1000;
}

const BYTES: Record<string, number> = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

function bytes(q: string | undefined): number {
  const m = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(q ?? '');
  return m ? Number(m[1]) * (BYTES[m[2]] ?? 1) : 0;
}

const topNodes: KubectlCommand = {
  name: 'node', aliases: ['nodes', 'no'], short: 'Display resource (CPU/memory) usage of nodes', usage: 'top node [NAME | -l label] [options]',
  flags: [{ name: 'selector', short: 'l', kind: 'string', usage: 'Selector (label query) to filter on' }, { name: 'no-headers', kind: 'bool', usage: 'If present, print output without headers' }],
  async run({ flags: f, io, args }) {
    const factory = await makeFactory(f, io);
    if (!(await metricsAvailable(factory))) throw new KubectlError('Metrics API not available');
    const metrics = (await factory.transport.json<{ items: Obj[] }>({ path: '/apis/metrics.k8s.io/v1beta1/nodes', query: { labelSelector: f.string('selector') || undefined } })).items
      .filter((m) => args.length === 0 || args.includes(m.metadata.name));
    const nodes = new Map((await factory.transport.json<{ items: Obj[] }>({ path: '/api/v1/nodes' })).items.map((n) => [n.metadata.name, n]));
    const rows = f.bool('no-headers') ? [] : [['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']];
    for (const m of metrics.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))) {
      const alloc = nodes.get(m.metadata.name)?.status?.allocatable ?? {};
      const cpu = milli(m.usage?.cpu);
      const mem = bytes(m.usage?.memory);
      const pct = (v: number, t: number) => (t > 0 ? `${Math.floor((v / t) * 100)}%` : '<unknown>');
      rows.push([m.metadata.name, `${Math.round(cpu)}m`, pct(cpu, milli(alloc.cpu)), `${Math.floor(mem / 1024 ** 2)}Mi`, pct(mem, bytes(alloc.memory))]);
    }
    io.out(alignColumns(rows));
  },
};

const topPods: KubectlCommand = {
  name: 'pod', aliases: ['pods', 'po'], short: 'Display resource (CPU/memory) usage of pods', usage: 'top pod [NAME | -l label] [options]',
  flags: [
    { name: 'all-namespaces', short: 'A', kind: 'bool', usage: 'If present, list the requested object(s) across all namespaces.' },
    { name: 'containers', kind: 'bool', usage: 'If present, print usage of containers within a pod.' },
    { name: 'selector', short: 'l', kind: 'string', usage: 'Selector (label query) to filter on' },
    { name: 'no-headers', kind: 'bool', usage: 'If present, print output without headers' },
  ],
  async run({ flags: f, io, args }) {
    const factory = await makeFactory(f, io);
    if (!(await metricsAvailable(factory))) throw new KubectlError('Metrics API not available');
    const all = f.bool('all-namespaces');
    const path = all ? '/apis/metrics.k8s.io/v1beta1/pods' : `/apis/metrics.k8s.io/v1beta1/namespaces/${factory.conn.namespace}/pods`;
    const metrics = (await factory.transport.json<{ items: Obj[] }>({ path, query: { labelSelector: f.string('selector') || undefined } })).items
      .filter((m) => args.length === 0 || args.includes(m.metadata.name));
    if (metrics.length === 0) {
      io.err(all ? 'No resources found\n' : `No resources found in ${factory.conn.namespace} namespace.\n`);
      return 0;
    }
    const rows = f.bool('no-headers') ? [] : [[...(all ? ['NAMESPACE'] : []), 'NAME', ...(f.bool('containers') ? ['CONTAINER'] : []), 'CPU(cores)', 'MEMORY(bytes)']];
    for (const m of metrics) {
      const cs: Obj[] = m.containers ?? [];
      const line = (c: Obj[]) => [`${Math.round(c.reduce((s, x) => s + milli(x.usage?.cpu), 0))}m`, `${Math.floor(c.reduce((s, x) => s + bytes(x.usage?.memory), 0) / 1024 ** 2)}Mi`];
      if (f.bool('containers')) for (const c of cs) rows.push([...(all ? [m.metadata.namespace] : []), m.metadata.name, c.name, ...line([c])]);
      else rows.push([...(all ? [m.metadata.namespace] : []), m.metadata.name, ...line(cs)]);
    }
    io.out(alignColumns(rows));
    return 0;
  },
};

const topSubcommands: CommandEntry[] = [topNodes, topPods].map((c) => entryOf(c));

export const topCommand: KubectlCommand = {
  name: 'top',
  short: 'Display resource (CPU/memory) usage',
  long: 'Display resource (CPU/memory) usage.\n\n The top command allows you to see the resource consumption for nodes or pods.\n\n This command requires Metrics Server to be correctly configured and working on the server.',
  usage: 'top [flags] [options]',
  subcommands: topSubcommands,
};
