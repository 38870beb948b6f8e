/**
 * `kubectl rollout status|history|undo|pause|resume|restart` for Deployments (and `restart`,
 * `status` for DaemonSets and StatefulSets), `kubectl expose`, and `kubectl set image`.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { CommandEntry, Invocation, KubectlCommand } from '../command.js';
import { entryOf } from '../command.js';
import { kindPrefix, pathOf, qualifiedName, type ApiResource } from '../discovery.js';
import { DRY_RUN_FLAG, dryRunOf, dryRunSuffix } from '../dry-run.js';
import { KubectlError, UsageError } from '../errors.js';
import { makeFactory, type Factory } from '../factory.js';
import { parseDuration } from '../flags.js';
import { resolveResourceArgs } from '../resource-args.js';
import { printResult } from './create.js';

type Obj = Record<string, any>;

interface Target { factory: Factory; resource: ApiResource; name: string; path: string; label: string }

async function targets(inv: Invocation): Promise<Target[]> {
  const factory = await makeFactory(inv.flags, inv.io);
  if (inv.args.length === 0) throw new UsageError('required resource not specified');
  const out: Target[] = [];
  for (const req of await resolveResourceArgs(inv.args, factory.discovery)) {
    if (req.names.length === 0) throw new UsageError('resource(s) were provided, but no name was specified');
    for (const name of req.names) {
      out.push({ factory, resource: req.resource, name, path: pathOf(req.resource, factory.conn.namespace, name), label: `${kindPrefix(req.resource)}/${name}` });
    }
  }
  return out;
}

async function patch(t: Target, body: unknown, type = 'application/strategic-merge-patch+json'): Promise<Obj> {
  return t.factory.transport.json<Obj>({ method: 'PATCH', path: t.path, contentType: type, body: JSON.stringify(body), query: { fieldManager: 'kubectl-rollout' } });
}

const restart: KubectlCommand = {
  name: 'restart', short: 'Restart a resource', usage: 'rollout restart RESOURCE [options]',
  async run(inv) {
    for (const t of await targets(inv)) {
      const now = inv.io.now().toISOString().replace(/\.\d+Z$/, 'Z');
      await patch(t, { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': now } } } } });
      inv.io.out(`${t.label} restarted\n`);
    }
  },
};

function pauseCommand(name: 'pause' | 'resume'): KubectlCommand {
  const paused = name === 'pause';
  return {
    name, short: paused ? 'Mark the provided resource as paused' : 'Resume a paused resource', usage: `rollout ${name} RESOURCE [options]`,
    async run(inv) {
      for (const t of await targets(inv)) {
        const obj = await t.factory.transport.json<Obj>({ path: t.path });
        if ((obj.spec?.paused === true) === paused) throw new KubectlError(`${qualifiedName(t.resource)} "${t.name}" is ${paused ? 'already paused' : 'not paused'}`);
        await patch(t, { spec: { paused: paused ? true : null } });
        inv.io.out(`${t.label} ${paused ? 'paused' : 'resumed'}\n`);
      }
    },
  };
}

async function ownedReplicaSets(t: Target, d: Obj): Promise<Obj[]> {
  const sel = d.spec?.selector?.matchLabels ?? {};
  const list = await t.factory.transport.json<{ items: Obj[] }>({
    path: `/apis/apps/v1/namespaces/${t.factory.conn.namespace}/replicasets`,
    query: { labelSelector: Object.keys(sel).sort().map((k) => `${k}=${sel[k]}`).join(',') },
  });
  return list.items.filter((rs) => (rs.metadata?.ownerReferences ?? []).some((o: Obj) => o.controller && o.uid === d.metadata?.uid));
}

const revisionOf = (rs: Obj) => Number(rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0);

const history: KubectlCommand = {
  name: 'history', short: 'View rollout history', usage: 'rollout history (TYPE NAME | TYPE/NAME) [flags] [options]',
  flags: [{ name: 'revision', kind: 'int', default: 0, usage: 'See the details, including podTemplate of the revision specified' }],
  async run(inv) {
    for (const t of await targets(inv)) {
      const d = await t.factory.transport.json<Obj>({ path: t.path });
      const rss = (await ownedReplicaSets(t, d)).sort((a, b) => revisionOf(a) - revisionOf(b));
      const want = inv.flags.int('revision');
      if (want > 0) {
        const rs = rss.find((x) => revisionOf(x) === want);
        if (!rs) throw new KubectlError(`unable to find the specified revision`);
        const { DescribeWriter } = await import('../describe/writer.js');
        const { describePodTemplate } = await import('../describe/pod.js');
        const w = new DescribeWriter();
        describePodTemplate(w, rs.spec?.template);
        inv.io.out(`${t.label} with revision #${want}\n${w.toString()}\n`);
        continue;
      }
      if (rss.length === 0) { inv.io.out(`${t.label} \nNo rollout history found.\n`); continue; }
      const { alignColumns } = await import('../printers/tabwriter.js');
      const rows = [['REVISION', 'CHANGE-CAUSE'], ...rss.map((rs) => [String(revisionOf(rs)), rs.metadata?.annotations?.['kubernetes.io/change-cause'] ?? '<none>'])];
      inv.io.out(`${t.label} \n${alignColumns(rows)}\n`);
    }
  },
};

const undo: KubectlCommand = {
  name: 'undo', short: 'Undo a previous rollout', usage: 'rollout undo (TYPE NAME | TYPE/NAME) [flags] [options]',
  flags: [{ name: 'to-revision', kind: 'int', default: 0, usage: 'The revision to rollback to. Default to 0 (last revision).' }, DRY_RUN_FLAG],
  async run(inv) {
    for (const t of await targets(inv)) {
      const d = await t.factory.transport.json<Obj>({ path: t.path });
      if (d.spec?.paused) throw new KubectlError(`you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again`);
      const rss = (await ownedReplicaSets(t, d)).sort((a, b) => revisionOf(b) - revisionOf(a));
      const want = inv.flags.int('to-revision');
      const target = want > 0 ? rss.find((rs) => revisionOf(rs) === want) : rss[1];
      if (!target) throw new KubectlError(want > 0 ? `unable to find specified revision ${want} in history` : 'no rollout history found for deployment "' + t.name + '"');
      const template = structuredClone(target.spec.template);
      if (template.metadata?.labels) delete template.metadata.labels['pod-template-hash'];
      const dry = dryRunOf(inv.flags);
      if (JSON.stringify(template) === JSON.stringify(d.spec.template)) {
        inv.io.out(`${t.label} skipped rollback (current template already matches revision ${revisionOf(target)})\n`);
        continue;
      }
      if (dry !== 'client') {
        await patch(t, [{ op: 'replace', path: '/spec/template', value: template }, { op: 'replace', path: '/metadata/annotations', value: d.metadata.annotations ?? {} }], 'application/json-patch+json');
      }
      inv.io.out(`${t.label} rolled back${dryRunSuffix(dry)}\n`);
    }
  },
};

/** The message kubectl's DeploymentStatusViewer prints, and whether the rollout is done. */
export function deploymentStatus(d: Obj): [string, boolean] {
  const name = d.metadata?.name;
  const spec = d.spec ?? {};
  const st = d.status ?? {};
  if ((d.metadata?.generation ?? 0) > (st.observedGeneration ?? 0)) return ['Waiting for deployment spec update to be observed...\n', false];
  const progressing = (st.conditions ?? []).find((c: Obj) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') throw new KubectlError(`deployment "${name}" exceeded its progress deadline`);
  const replicas = spec.replicas ?? 1;
  const updated = st.updatedReplicas ?? 0;
  if (updated < replicas) return [`Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...\n`, false];
  if ((st.replicas ?? 0) > updated) return [`Waiting for deployment "${name}" rollout to finish: ${(st.replicas ?? 0) - updated} old replicas are pending termination...\n`, false];
  if ((st.availableReplicas ?? 0) < updated) return [`Waiting for deployment "${name}" rollout to finish: ${st.availableReplicas ?? 0} of ${updated} updated replicas are available...\n`, false];
  return [`deployment "${name}" successfully rolled out\n`, true];
}

const status: KubectlCommand = {
  name: 'status', short: 'Show the status of the rollout', usage: 'rollout status (TYPE NAME | TYPE/NAME) [flags] [options]',
  flags: [
    { name: 'watch', short: 'w', kind: 'bool', default: true, usage: 'Watch the status of the rollout until it\'s done.' },
    { name: 'timeout', kind: 'duration', default: '0s', usage: 'The length of time to wait before ending watch, zero means never.' },
    { name: 'revision', kind: 'int', default: 0, usage: 'Pin to a specific revision for showing its status. Defaults to 0 (last revision).' },
  ],
  async run(inv) {
    const timeout = parseDuration(inv.flags.string('timeout')) ?? 0;
    const deadline = timeout > 0 ? Date.now() + timeout : Infinity;
    for (const t of await targets(inv)) {
      if (t.resource.kind !== 'Deployment') throw new KubectlError(`no status viewer has been implemented for ${t.resource.kind}`);
      let last = '';
      for (;;) {
        const d = await t.factory.transport.json<Obj>({ path: t.path });
        const [msg, done] = deploymentStatus(d);
        if (msg !== last) inv.io.out(msg);
        last = msg;
        if (done || !inv.flags.bool('watch')) break;
        if (Date.now() > deadline) throw new KubectlError('timed out waiting for the condition');
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  },
};

const subcommands: CommandEntry[] = [history, pauseCommand('pause'), restart, pauseCommand('resume'), status, undo].map((c) => entryOf(c));

export const rolloutCommand: KubectlCommand = {
  name: 'rollout',
  short: 'Manage the rollout of a resource',
  long: 'Manage the rollout of one or many resources.\n\n Valid resource types include:\n\n  *  deployments\n  *  daemonsets\n  *  statefulsets',
  usage: 'rollout SUBCOMMAND [options]',
  subcommands,
};

export const exposeCommand: KubectlCommand = {
  name: 'expose',
  short: 'Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service',
  usage: 'expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]',
  flags: [
    DRY_RUN_FLAG,
    { name: 'output', short: 'o', kind: 'string', usage: 'Output format.' },
    { name: 'name', kind: 'string', usage: 'The name for the newly created object.' },
    { name: 'port', kind: 'string', usage: 'The port that the service should serve on.' },
    { name: 'protocol', kind: 'string', usage: 'The network protocol for the service to be created. Default is \'TCP\'.' },
    { name: 'target-port', kind: 'string', usage: 'Name or number for the port on the container that the service should direct traffic to. Optional.' },
    { name: 'type', kind: 'string', usage: 'Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is \'ClusterIP\'.' },
    { name: 'selector', kind: 'string', usage: 'A label selector to use for this service.' },
    { name: 'labels', short: 'l', kind: 'string', usage: 'Labels to apply to the service created by this call.' },
    { name: 'session-affinity', kind: 'string', usage: 'If non-empty, set the session affinity for the service to this; legal values: \'None\', \'ClientIP\'' },
    { name: 'external-ip', kind: 'string', usage: 'Additional external IP address (not managed by Kubernetes) to accept for the service.' },
  ],
  async run(inv) {
    const f = inv.flags;
    const [t] = await targets(inv);
    const obj = await t.factory.transport.json<Obj>({ path: t.path });
    const kind = t.resource.kind;
    const selector: Record<string, string> = f.string('selector')
      ? Object.fromEntries(f.string('selector').split(',').map((kv) => kv.split('=') as [string, string]))
      : kind === 'Pod' ? obj.metadata?.labels ?? {} : kind === 'Service' ? obj.spec?.selector ?? {} : obj.spec?.selector?.matchLabels ?? obj.spec?.selector ?? {};
    if (Object.keys(selector).length === 0) throw new KubectlError(`couldn't retrieve selectors via --selector flag or introspection: the ${kind} has no selector`);
    let ports: Obj[];
    if (f.string('port')) {
      ports = [{ port: Number(f.string('port')), protocol: f.string('protocol') || 'TCP' }];
    } else {
      const containers: Obj[] = kind === 'Pod' ? obj.spec?.containers ?? [] : obj.spec?.template?.spec?.containers ?? [];
      const found = kind === 'Service' ? obj.spec?.ports ?? [] : containers.flatMap((c) => c.ports ?? []).map((p: Obj) => ({ port: p.containerPort, protocol: p.protocol ?? 'TCP', name: p.name }));
      if (found.length === 0) throw new KubectlError(`couldn't find port via --port flag or introspection`);
      ports = found.map((p: Obj, i: number) => ({ ...(found.length > 1 ? { name: p.name ?? `port-${i + 1}` } : {}), port: p.port, protocol: p.protocol ?? 'TCP', targetPort: p.targetPort ?? p.port }));
    }
    if (f.string('target-port')) {
      const tp = f.string('target-port');
      for (const p of ports) p.targetPort = /^\d+$/.test(tp) ? Number(tp) : tp;
    }
    for (const p of ports) if (p.targetPort === undefined) p.targetPort = p.port;
    const name = f.string('name') || t.name;
    const labels = f.string('labels') ? Object.fromEntries(f.string('labels').split(',').map((kv) => kv.split('=') as [string, string])) : obj.metadata?.labels;
    const svc: Obj = {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name, ...(labels && Object.keys(labels).length ? { labels } : {}) },
      spec: { ports, selector, ...(f.string('type') ? { type: f.string('type') } : {}), ...(f.string('session-affinity') ? { sessionAffinity: f.string('session-affinity') } : {}),
        ...(f.string('external-ip') ? { externalIPs: [f.string('external-ip')] } : {}) },
    };
    const dry = dryRunOf(f);
    if (dry === 'client') { printResult(inv, svc, `service/${name}`, 'exposed', dry); return; }
    const created = await t.factory.transport.json<Obj>({
      method: 'POST', path: `/api/v1/namespaces/${t.factory.conn.namespace}/services`, contentType: 'application/json', body: JSON.stringify(svc),
      query: { fieldManager: 'kubectl-expose', dryRun: dry === 'server' ? 'All' : undefined },
    });
    printResult(inv, created, `service/${name}`, 'exposed', dry);
  },
};

const setImage: KubectlCommand = {
  name: 'image', short: 'Update the image of a pod template', usage: 'set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]',
  flags: [DRY_RUN_FLAG, { name: 'output', short: 'o', kind: 'string', usage: 'Output format.' }],
  async run(inv) {
    const images = inv.args.filter((a) => a.includes('='));
    const resources = inv.args.filter((a) => !a.includes('='));
    if (images.length === 0) throw new UsageError('at least one image update is required');
    const ts = await targets({ ...inv, args: resources });
    for (const t of ts) {
      const obj = await t.factory.transport.json<Obj>({ path: t.path });
      const podSpecPath = t.resource.kind === 'Pod' ? ['spec'] : t.resource.kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template', 'spec'] : ['spec', 'template', 'spec'];
      const podSpec = podSpecPath.reduce((o: Obj, k) => o?.[k], obj) ?? {};
      const containers: Obj[] = [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])];
      const updates: Obj[] = [];
      for (const kv of images) {
        const [cname, image] = [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)];
        const matched = cname === '*' ? containers : containers.filter((c) => c.name === cname);
        if (matched.length === 0) throw new KubectlError(`unable to find container named "${cname}"`);
        for (const c of matched) updates.push({ name: c.name, image });
      }
      const body = podSpecPath.reduceRight<Obj>((acc, k) => ({ [k]: acc }), { containers: updates });
      const dry = dryRunOf(inv.flags);
      if (dry !== 'client') await patch(t, body);
      inv.io.out(`${t.label} image updated${dryRunSuffix(dry)}\n`);
    }
  },
};

export const setCommand: KubectlCommand = {
  name: 'set',
  short: 'Set specific features on objects',
  long: 'Configure application resources.\n\n These commands help you make changes to existing application resources.',
  usage: 'set SUBCOMMAND [options]',
  subcommands: [entryOf(setImage)],
};
