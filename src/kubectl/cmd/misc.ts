/**
 * Small commands: `run` (a pod), `patch`, `cordon`/`uncordon`, `cluster-info`, `logs`.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { ApiError } from '../../api/errors.js';
import type { Invocation, KubectlCommand } from '../command.js';
import { kindPrefix, pathOf } from '../discovery.js';
import { DRY_RUN_FLAG, dryRunOf, dryRunSuffix } from '../dry-run.js';
import { apiErrorText, KubectlError, UsageError } from '../errors.js';
import { makeFactory } from '../factory.js';
import { resolveResourceArgs } from '../resource-args.js';
import { fieldValidation, printResult } from './create.js';

type Obj = Record<string, any>;

const OUTPUT = { name: 'output', short: 'o', kind: 'string', usage: 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).' } as const;

function pairs(list: string[], what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new KubectlError(`invalid ${what}: ${item}`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

export const runCommand: KubectlCommand = {
  name: 'run',
  short: 'Run a particular image on the cluster',
  long: 'Create and run a particular image in a pod.',
  examples: '  # Start a nginx pod\n  kubectl run nginx --image=nginx',
  usage: 'run NAME --image=image [--env="key=value"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]',
  flags: [
    OUTPUT, DRY_RUN_FLAG,
    { name: 'command', kind: 'bool', usage: 'If true and extra arguments are present, use them as the \'command\' field in the container, rather than the \'args\' field which is the default.' },
    { name: 'env', kind: 'stringArray', usage: 'Environment variables to set in the container.' },
    { name: 'field-manager', kind: 'string', default: 'kubectl-run', usage: 'Name of the manager used to track field ownership.' },
    { name: 'image', kind: 'string', usage: 'The image for the container to run.' },
    { name: 'image-pull-policy', kind: 'string', usage: 'The image pull policy for the container.' },
    { name: 'labels', short: 'l', kind: 'string', usage: 'Comma separated labels to apply to the pod. Will override previous values.' },
    { name: 'port', kind: 'string', usage: 'The port that this container exposes.' },
    { name: 'restart', kind: 'string', default: 'Always', usage: 'The restart policy for this Pod.  Legal values [Always, OnFailure, Never].' },
    { name: 'annotations', kind: 'stringArray', usage: 'Annotations to apply to the pod.' },
  ],
  async run(inv: Invocation) {
    const { flags: f, io } = inv;
    const dash = f.argsLenAtDash;
    const name = inv.args[0];
    if (!name || dash === 0) throw new UsageError('NAME is required for run');
    const image = f.string('image');
    if (!image) throw new KubectlError('required flag(s) "image" not set');
    const rest = dash >= 0 ? inv.args.slice(dash) : inv.args.slice(1);
    const labels = f.string('labels') ? pairs(f.string('labels').split(','), 'label spec') : { run: name };
    const container: Obj = { image, name };
    if (rest.length) container[f.bool('command') ? 'command' : 'args'] = rest;
    const env = f.strings('env');
    if (env.length) container.env = Object.entries(pairs(env, 'env')).map(([k, v]) => ({ name: k, value: v }));
    if (f.string('image-pull-policy')) container.imagePullPolicy = f.string('image-pull-policy');
    if (f.string('port')) container.ports = [{ containerPort: Number(f.string('port')) }];
    container.resources = {};
    const annotations = f.strings('annotations');
    const pod: Obj = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { ...(annotations.length ? { annotations: pairs(annotations, 'annotation') } : {}), creationTimestamp: null, labels, name },
      spec: { containers: [container], dnsPolicy: 'ClusterFirst', restartPolicy: f.string('restart') },
      status: {},
    };
    const dry = dryRunOf(f);
    if (dry === 'client') { printResult(inv, pod, `pod/${name}`, 'created', dry); return 0; }
    const factory = await makeFactory(f, io);
    const created = await factory.transport.json<Obj>({
      method: 'POST', path: `/api/v1/namespaces/${factory.conn.namespace}/pods`, contentType: 'application/json', body: JSON.stringify(pod),
      query: { fieldManager: f.string('field-manager'), dryRun: dry === 'server' ? 'All' : undefined },
    });
    printResult(inv, created, `pod/${name}`, 'created', dry);
    return 0;
  },
};

const PATCH_TYPES: Record<string, string> = { strategic: 'application/strategic-merge-patch+json', merge: 'application/merge-patch+json', json: 'application/json-patch+json' };

export const patchCommand: KubectlCommand = {
  name: 'patch',
  short: 'Update fields of a resource',
  long: 'Update fields of a resource using strategic merge patch, a JSON merge patch, or a JSON patch.',
  examples: '  # Partially update a node using a strategic merge patch\n  kubectl patch node k8s-node-1 -p \'{"spec":{"unschedulable":true}}\'',
  usage: 'patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]',
  flags: [
    OUTPUT, DRY_RUN_FLAG,
    { name: 'field-manager', kind: 'string', default: 'kubectl-patch', usage: 'Name of the manager used to track field ownership.' },
    { name: 'patch', short: 'p', kind: 'string', usage: 'The patch to be applied to the resource JSON file.' },
    { name: 'patch-file', kind: 'string', usage: 'A file containing a patch to be applied to the resource.' },
    { name: 'subresource', kind: 'string', usage: 'If specified, patch will operate on the subresource of the requested object.' },
    { name: 'type', kind: 'string', default: 'strategic', usage: 'The type of patch being provided; one of [json merge strategic]' },
  ],
  async run(inv: Invocation) {
    const { flags: f, io } = inv;
    let body = f.string('patch');
    if (f.string('patch-file')) {
      const { readFileSync } = await import('node:fs');
      body = readFileSync(f.string('patch-file'), 'utf8');
    }
    if (!body) throw new UsageError('Must specify -p to patch');
    const type = PATCH_TYPES[f.string('type')];
    if (!type) throw new KubectlError(`--type must be one of [json merge strategic], not "${f.string('type')}"`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      const { loadYAMLParser } = await import('../kubeconfig.js');
      parsed = (await loadYAMLParser())(body);
    }
    const dry = dryRunOf(f);
    const factory = await makeFactory(f, io);
    let code = 0;
    for (const req of await resolveResourceArgs(inv.args, factory.discovery)) {
      if (req.names.length === 0) throw new UsageError('resource(s) were provided, but no name was specified');
      for (const name of req.names) {
        const path = pathOf(req.resource, req.resource.namespaced ? factory.conn.namespace : undefined, name, f.string('subresource') || undefined);
        const label = `${kindPrefix(req.resource)}/${name}`;
        try {
          const before = dry === 'client' ? undefined : await factory.transport.json<Obj>({ path });
          const after = dry === 'client' ? undefined : await factory.transport.json<Obj>({
            method: 'PATCH', path, contentType: type, body: JSON.stringify(parsed),
            query: { fieldManager: f.string('field-manager'), dryRun: dry === 'server' ? 'All' : undefined, fieldValidation: fieldValidation('strict') },
          });
          if (f.string('output') && after) { printResult(inv, after, label, 'patched', dry); continue; }
          const same = before && after && before.metadata?.resourceVersion === after.metadata?.resourceVersion;
          io.out(`${label} patched${same ? ' (no change)' : ''}${dryRunSuffix(dry)}\n`);
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          io.err(`${apiErrorText(err)}\n`);
          code = 1;
        }
      }
    }
    return code;
  },
};

function cordonCommand(name: 'cordon' | 'uncordon'): KubectlCommand {
  const unschedulable = name === 'cordon';
  return {
    name,
    short: unschedulable ? 'Mark node as unschedulable' : 'Mark node as schedulable',
    usage: `${name} NODE [options]`,
    flags: [DRY_RUN_FLAG, { name: 'selector', short: 'l', kind: 'string', usage: 'Selector (label query) to filter on' }],
    async run({ flags: f, io, args }) {
      if (args.length === 0 && !f.string('selector')) throw new UsageError('USAGE: ' + `${name} NODE [flags]`);
      const dry = dryRunOf(f);
      const factory = await makeFactory(f, io);
      let nodes: Obj[];
      if (f.string('selector')) {
        nodes = (await factory.transport.json<{ items: Obj[] }>({ path: '/api/v1/nodes', query: { labelSelector: f.string('selector') } })).items;
      } else {
        nodes = [];
        for (const n of args) nodes.push(await factory.transport.json<Obj>({ path: `/api/v1/nodes/${encodeURIComponent(n)}` }));
      }
      for (const node of nodes) {
        const label = `node/${node.metadata.name}`;
        if ((node.spec?.unschedulable === true) === unschedulable) {
          io.out(`${label} already ${name}ed\n`);
          continue;
        }
        if (dry !== 'client') {
          await factory.transport.request({
            method: 'PATCH', path: `/api/v1/nodes/${encodeURIComponent(node.metadata.name)}`, contentType: 'application/strategic-merge-patch+json',
            body: JSON.stringify({ spec: { unschedulable: unschedulable ? true : null } }), query: { dryRun: dry === 'server' ? 'All' : undefined },
          });
        }
        io.out(`${label} ${name}ed${dryRunSuffix(dry)}\n`);
      }
      return 0;
    },
  };
}

export const cordon = cordonCommand('cordon');
export const uncordon = cordonCommand('uncordon');

export const clusterInfoCommand: KubectlCommand = {
  name: 'cluster-info',
  short: 'Display cluster information',
  long: 'Display addresses of the control plane and services with label kubernetes.io/cluster-service=true.',
  usage: 'cluster-info [flags] [options]',
  async run({ flags: f, io }) {
    const factory = await makeFactory(f, io);
    const list = await factory.transport.json<{ items: Obj[] }>({ path: '/api/v1/namespaces/kube-system/services', query: { labelSelector: 'kubernetes.io/cluster-service=true' } });
    const color = (code: string, s: string) => (io.isTTY ? `\x1b[${code}m${s}\x1b[0m` : s);
    let text = `${color('32', 'Kubernetes control plane')} is running at ${color('33', factory.conn.server)}\n`;
    for (const svc of list.items) {
      const name = svc.metadata?.labels?.['kubernetes.io/name'] || svc.metadata.name;
      const port = svc.spec?.ports?.[0];
      const link = `${factory.conn.server}/api/v1/namespaces/kube-system/services/${port?.name ? `${svc.metadata.name}:${port.name}` : svc.metadata.name}/proxy`;
      text += `${color('32', name)} is running at ${color('33', link)}\n`;
    }
    io.out(`${text}\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`);
    return 0;
  },
};

export const logsCommand: KubectlCommand = {
  name: 'logs',
  short: 'Print the logs for a container in a pod',
  long: 'Print the logs for a container in a pod or specified resource. If the pod has only one container, the container name is optional.',
  examples: '  # Return snapshot logs from pod nginx with only one container\n  kubectl logs nginx\n\n  # Begin streaming the logs of the ruby container in pod web-1\n  kubectl logs -f -c ruby web-1',
  usage: 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]',
  flags: [
    { name: 'all-containers', kind: 'bool', usage: 'Get all containers\' logs in the pod(s).' },
    { name: 'container', short: 'c', kind: 'string', usage: 'Print the logs of this container' },
    { name: 'follow', short: 'f', kind: 'bool', usage: 'Specify if the logs should be streamed.' },
    { name: 'limit-bytes', kind: 'int', default: 0, usage: 'Maximum bytes of logs to return. Defaults to no limit.' },
    { name: 'previous', short: 'p', kind: 'bool', usage: 'If true, print the logs for the previous instance of the container in a pod if it exists.' },
    { name: 'since', kind: 'duration', default: '0s', usage: 'Only return logs newer than a relative duration like 5s, 2m, or 3h. Defaults to all logs.' },
    { name: 'tail', kind: 'int', default: -1, usage: 'Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10, if a selector is provided.' },
    { name: 'timestamps', kind: 'bool', usage: 'Include timestamps on each line in the log output' },
  ],
  async run({ flags: f, io, args }) {
    if (args.length === 0) throw new UsageError('expected POD or TYPE/NAME is a required argument for the logs command');
    const factory = await makeFactory(f, io);
    const ns = factory.conn.namespace;
    let podName = args[0];
    if (podName.includes('/')) {
      const [req] = await resolveResourceArgs([podName], factory.discovery);
      if (req.resource.kind !== 'Pod') {
        const owner = await factory.transport.json<Obj>({ path: pathOf(req.resource, ns, req.names[0]) });
        const sel = owner.spec?.selector?.matchLabels ?? owner.spec?.selector ?? {};
        const selector = Object.keys(sel).sort().map((k) => `${k}=${sel[k]}`).join(',');
        const pods = (await factory.transport.json<{ items: Obj[] }>({ path: `/api/v1/namespaces/${ns}/pods`, query: { labelSelector: selector } })).items;
        if (pods.length === 0) throw new KubectlError(`timed out waiting for the condition`);
        if (pods.length > 1) io.err(`Found ${pods.length} pods, using pod/${pods[0].metadata.name}\n`);
        podName = pods[0].metadata.name;
      } else {
        podName = req.names[0];
      }
    }
    const pod = await factory.transport.json<Obj>({ path: `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(podName)}` });
    const containers: string[] = (pod.spec?.containers ?? []).map((c: Obj) => c.name);
    const names = f.bool('all-containers') ? containers : [f.string('container') || (args[1] ?? '')].filter(Boolean);
    if (names.length === 0) {
      const def = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'] ?? containers[0];
      if (containers.length > 1) io.err(`Defaulted container "${def}" out of: ${containers.join(', ')}\n`);
      names.push(def);
    }
    for (const c of names) {
      const stream = await factory.transport.stream({
        path: `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(podName)}/log`,
        accept: '*/*',
        query: {
          container: c, follow: f.bool('follow') || undefined, previous: f.bool('previous') || undefined, timestamps: f.bool('timestamps') || undefined,
          tailLines: f.int('tail') >= 0 ? f.int('tail') : undefined, limitBytes: f.int('limit-bytes') > 0 ? f.int('limit-bytes') : undefined,
          sinceSeconds: f.string('since') !== '0s' ? Math.ceil((await import('../flags.js')).parseDuration(f.string('since'))! / 1000) : undefined,
        },
      });
      for await (const chunk of stream) io.out((chunk as Buffer).toString('utf8'));
    }
    return 0;
  },
};

/** `kubectl taint NODE key[=value]:Effect ... | key[:Effect]-`: edits `spec.taints` with a merge patch. */
export const taintCommand: KubectlCommand = {
  name: 'taint',
  short: 'Update the taints on one or more nodes',
  usage: 'taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N [options]',
  flags: [
    { name: 'all', kind: 'bool', usage: 'Select all nodes in the cluster' },
    { name: 'overwrite', kind: 'bool', usage: 'If true, allow taints to be overwritten, otherwise reject taint updates that overwrite existing taints.' },
    { name: 'selector', short: 'l', kind: 'string', usage: 'Selector (label query) to filter on' },
    DRY_RUN_FLAG,
  ],
  async run({ flags: f, io, args }) {
    const specs = args.filter((a) => a.includes(':') || a.includes('=') || a.endsWith('-'));
    const targets = args.filter((a) => !specs.includes(a));
    if (specs.length === 0) throw new UsageError('at least one taint update is required');
    const add: Obj[] = [];
    const remove: { key: string; effect?: string }[] = [];
    for (const s of specs) {
      if (s.endsWith('-')) {
        const [key, effect] = s.slice(0, -1).split(':');
        remove.push({ key, effect });
        continue;
      }
      const m = /^([^=:]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(s);
      if (!m) throw new KubectlError(`invalid taint spec: ${s}, unsupported taint effect`);
      add.push({ key: m[1], ...(m[2] ? { value: m[2] } : {}), effect: m[3] });
    }
    const factory = await makeFactory(f, io);
    let names = targets.filter((t) => t !== 'nodes' && t !== 'node' && t !== 'no').map((t) => t.replace(/^(nodes?|no)\//, ''));
    if (f.bool('all') || f.string('selector')) {
      names = (await factory.transport.json<{ items: Obj[] }>({ path: '/api/v1/nodes', query: { labelSelector: f.string('selector') || undefined } })).items.map((n) => n.metadata.name);
    }
    for (const name of names) {
      const node = await factory.transport.json<Obj>({ path: `/api/v1/nodes/${encodeURIComponent(name)}` });
      let taints: Obj[] = [...(node.spec?.taints ?? [])];
      for (const r of remove) {
        const before = taints.length;
        taints = taints.filter((t) => !(t.key === r.key && (!r.effect || t.effect === r.effect)));
        if (taints.length === before) throw new KubectlError(`taint "${r.key}${r.effect ? `:${r.effect}` : ''}" not found`);
      }
      let replaced = false;
      for (const a of add) {
        const existing = taints.find((t) => t.key === a.key && t.effect === a.effect);
        if (existing) replaced = true;
        if (existing && !f.bool('overwrite')) {
          throw new KubectlError(`node ${name} already has ${a.key} taint(s) with same effect(s) and --overwrite is false`);
        }
        taints = taints.filter((t) => !(t.key === a.key && t.effect === a.effect));
      }
      // kubectl puts the taints being added first, then the old ones it keeps.
      taints = [...add, ...taints];
      const dry = dryRunOf(f);
      if (dry !== 'client') {
        await factory.transport.request({
          method: 'PATCH', path: `/api/v1/nodes/${encodeURIComponent(name)}`, contentType: 'application/merge-patch+json',
          body: JSON.stringify({ spec: { taints: taints.length ? taints : null } }), query: { dryRun: dry === 'server' ? 'All' : undefined },
        });
      }
      io.out(`node/${name} ${replaced ? 'modified' : add.length ? 'tainted' : 'untainted'}${dryRunSuffix(dry)}\n`);
    }
    return 0;
  },
};
