/**
 * `kubectl create -f FILE` and the generators `create namespace|configmap|secret generic|deployment`.
 * Objects are POSTed with `fieldManager=kubectl-create` and `fieldValidation=Strict`; each success
 * prints `kind/name created`, each failure `Error from server (...): error when creating "FILE": ...`.
 */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ApiError } from '../../api/errors.js';
import type { CommandEntry, Invocation, KubectlCommand } from '../command.js';
import { entryOf } from '../command.js';
import { kindPrefix, resourceForKind } from '../discovery.js';
import { DRY_RUN_FLAG, dryRunOf, dryRunSuffix, type DryRun } from '../dry-run.js';
import { apiErrorText, KubectlError, UsageError } from '../errors.js';
import { makeFactory, type Factory } from '../factory.js';
import { readManifests } from '../file-input.js';
import type { FlagDef } from '../flags.js';
import { outputFormat } from '../printers/output.js';
import { targetLabel, targetPath, targetsFor } from '../targets.js';

const OUTPUT_FLAG: FlagDef = { name: 'output', short: 'o', kind: 'string', usage: 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).' };
const COMMON: FlagDef[] = [
  OUTPUT_FLAG, DRY_RUN_FLAG,
  { name: 'field-manager', kind: 'string', default: 'kubectl-create', usage: 'Name of the manager used to track field ownership.' },
  { name: 'save-config', kind: 'bool', usage: 'If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future.' },
  { name: 'validate', kind: 'string', default: 'strict', noOptDefault: 'strict', usage: 'Must be one of: strict (or true), warn, ignore (or false).' },
  { name: 'show-managed-fields', kind: 'bool', usage: 'If true, keep the managedFields when printing objects in JSON or YAML format.' },
];

export function fieldValidation(v: string): 'Strict' | 'Warn' | 'Ignore' {
  switch (v) {
    case 'strict': case 'true': case '': return 'Strict';
    case 'warn': return 'Warn';
    case 'ignore': case 'false': return 'Ignore';
    default: throw new KubectlError(`invalid - validate option "${v}"; must be one of: strict (or true), warn, ignore (or false)`);
  }
}

/** Prints a created object: with `-o` through the printer, else `kind/name created`. */
export function printResult(inv: Invocation, obj: Record<string, unknown>, label: string, verb: string, dry: DryRun, typed = false): void {
  const o = inv.flags.string('output');
  if (o === 'json' && typed) {
    // Objects kubectl builds itself are typed Go structs: JSON in field order, not sorted.
    inv.io.out(`${JSON.stringify(obj, null, 4).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`)}\n`);
    return;
  }
  if (o) {
    let printed = obj;
    if (!inv.flags.bool('show-managed-fields') && (obj.metadata as { managedFields?: unknown })?.managedFields) {
      const { managedFields: _, ...metadata } = obj.metadata as Record<string, unknown>;
      printed = { ...obj, metadata };
    }
    inv.io.out(outputFormat(o, { cwd: inv.io.cwd }).printer!.print(printed));
    return;
  }
  inv.io.out(`${label} ${verb}${dryRunSuffix(dry)}\n`);
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** `--save-config`: records the object as the last-applied configuration (as `kubectl apply` would). */
export function withLastApplied(obj: Record<string, unknown>): Record<string, unknown> {
  const meta = { ...(obj.metadata as Record<string, unknown> ?? {}) };
  const annotations = { ...(meta.annotations as Record<string, string> ?? {}) };
  delete annotations[LAST_APPLIED];
  const clean = { ...obj, metadata: { ...meta, annotations: Object.keys(annotations).length ? annotations : undefined } };
  annotations[LAST_APPLIED] = `${JSON.stringify(clean)}\n`;
  return { ...obj, metadata: { ...meta, annotations } };
}

async function createObjects(inv: Invocation, f: Factory, objs: { obj: Record<string, unknown>; source?: string }[], generated = false): Promise<number> {
  const dry = dryRunOf(inv.flags);
  const manifests = objs.map(({ obj, source }) => ({ object: obj as never, source: source ?? '' }));
  const targets = await targetsFor(manifests, f.discovery, { namespace: f.conn.namespace, explicit: f.conn.namespaceExplicit });
  let code = 0;
  for (const t of targets) {
    let body = t.manifest.object as Record<string, unknown>;
    if (inv.flags.bool('save-config')) body = withLastApplied(body);
    if (dry === 'client') {
      printResult(inv, body, targetLabel(t), 'created', dry);
      continue;
    }
    try {
      const created = await f.transport.json<Record<string, unknown>>({
        method: 'POST', path: targetPath(t, false), contentType: 'application/json', body: JSON.stringify(body),
        query: { fieldManager: inv.flags.string('field-manager'), fieldValidation: fieldValidation(inv.flags.string('validate')), dryRun: dry === 'server' ? 'All' : undefined },
      });
      const name = (created.metadata as { name?: string })?.name ?? t.name;
      printResult(inv, created, targetLabel(t, name), 'created', dry);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (generated) throw new KubectlError(`failed to create ${t.resource.kind.toLowerCase()}: ${err.message}`);
      const text = apiErrorText(err);
      inv.io.err(t.manifest.source ? `${text.replace(/^(Error from server \([^)]*\): )/, `$1error when creating "${t.manifest.source}": `)}\n` : `${text}\n`);
      code = 1;
    }
  }
  return code;
}

async function runCreateFiles(inv: Invocation): Promise<number> {
  const files = inv.flags.strings('filename');
  if (inv.args.length > 0) throw new UsageError(`Unexpected args: [${inv.args.join(' ')}]`);
  if (files.length === 0) throw new UsageError('must specify one of -f and -k');
  const manifests = await readManifests(files, { cwd: inv.io.cwd, stdin: inv.io.stdin, recursive: inv.flags.bool('recursive') });
  if (manifests.length === 0) throw new KubectlError('no objects passed to create');
  const f = await makeFactory(inv.flags, inv.io);
  return createObjects(inv, f, manifests.map((m) => ({ obj: m.object, source: m.source })));
}

/** Runs a generator: builds the object, then creates it (or prints it for --dry-run=client). */
function generator(name: string, short: string, usage: string, flags: FlagDef[], build: (inv: Invocation, name: string) => Record<string, unknown>, aliases?: string[]): KubectlCommand {
  return {
    name, short, usage, aliases, flags: [...COMMON, ...flags],
    async run(inv) {
      if (inv.args.length === 0) throw new UsageError('NAME is required');
      const obj = build(inv, inv.args[0]);
      const dry = dryRunOf(inv.flags);
      if (dry === 'client') {
        const label = `${kindPrefix({ kind: obj.kind as string, group: String(obj.apiVersion).includes('/') ? String(obj.apiVersion).split('/')[0] : '' } as never)}/${inv.args[0]}`;
        printResult(inv, inv.flags.bool('save-config') ? withLastApplied(obj) : obj, label, 'created', dry, true);
        return 0;
      }
      const f = await makeFactory(inv.flags, inv.io);
      const all = await f.discovery.resources();
      if (!resourceForKind(all, obj.apiVersion as string, obj.kind as string)) throw new KubectlError(`no matches for kind "${obj.kind}" in version "${obj.apiVersion}"`);
      return createObjects(inv, f, [{ obj }], true);
    },
  };
}

const namespace = generator('namespace', 'Create a namespace with the specified name', 'create namespace NAME [--dry-run=server|client|none] [flags] [options]', [],
  (_inv, name) => ({ kind: 'Namespace', apiVersion: 'v1', metadata: { name, creationTimestamp: null }, spec: {}, status: {} }), ['ns']);

function literalPairs(values: string[]): [string, string][] {
  return values.map((v) => {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new KubectlError(`invalid literal source ${v}, expected key=value`);
    return [v.slice(0, eq), v.slice(eq + 1)];
  });
}

function fileSources(inv: Invocation, values: string[]): [string, string][] {
  return values.map((v) => {
    const eq = v.indexOf('=');
    const [key, path] = eq > 0 ? [v.slice(0, eq), v.slice(eq + 1)] : [basename(v), v];
    try {
      return [key, readFileSync(resolve(inv.io.cwd, path), 'utf8')];
    } catch {
      throw new KubectlError(`error reading ${path}: no such file or directory`);
    }
  });
}

const DATA_FLAGS: FlagDef[] = [
  { name: 'from-literal', kind: 'stringArray', usage: 'Specify a key and literal value to insert in configmap (i.e. mykey=somevalue)' },
  { name: 'from-file', kind: 'stringSlice', usage: 'Key file can be specified using its file path, in which case file basename will be used as configmap key, or optionally with a key and file path, in which case the given key will be used.' },
];

function sortedRecord(pairs: [string, string][]): Record<string, string> | undefined {
  if (pairs.length === 0) return undefined;
  // A Go map: encoding/json writes its keys sorted.
  return Object.fromEntries([...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const configmap = generator('configmap', 'Create a config map from a local file, directory or literal value', 'create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [flags] [options]', DATA_FLAGS,
  (inv, name) => ({
    kind: 'ConfigMap', apiVersion: 'v1', metadata: { name, creationTimestamp: null },
    data: sortedRecord([...fileSources(inv, inv.flags.strings('from-file')), ...literalPairs(inv.flags.strings('from-literal'))]),
  }), ['cm']);

const secretGeneric = generator('generic', 'Create a secret from a local file, directory, or literal value', 'create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [flags] [options]',
  [...DATA_FLAGS, { name: 'type', kind: 'string', usage: 'The type of secret to create' }],
  (inv, name) => {
    const data = sortedRecord([...fileSources(inv, inv.flags.strings('from-file')), ...literalPairs(inv.flags.strings('from-literal'))]
      .map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
    return { kind: 'Secret', apiVersion: 'v1', metadata: { name, creationTimestamp: null }, data, ...(inv.flags.string('type') ? { type: inv.flags.string('type') } : {}) };
  });

const secret: KubectlCommand = {
  name: 'secret', short: 'Create a secret using a specified subcommand', usage: 'create secret (docker-registry | generic | tls) [options]',
  subcommands: [entryOf(secretGeneric)],
};

/** The container name kubectl derives from an image: its last path segment without tag or digest. */
export function containerNameFromImage(image: string): string {
  const last = image.split('/').pop() ?? image;
  return last.split('@')[0].split(':')[0].replace(/[^a-z0-9-]/g, '-');
}

const deployment = generator('deployment', 'Create a deployment with the specified name', 'create deployment NAME --image=image -- [COMMAND] [args...] [flags] [options]',
  [
    { name: 'image', kind: 'stringSlice', usage: 'Image names to run. A deployment can have multiple images set for multi-container pod.' },
    { name: 'port', kind: 'int', default: -1, usage: 'The containerPort that this deployment exposes.' },
    { name: 'replicas', short: 'r', kind: 'int', default: 1, usage: 'Number of replicas to create. Default is 1.' },
  ],
  (inv, name) => {
    const images = inv.flags.strings('image');
    if (images.length === 0) throw new KubectlError('required flag(s) "image" not set');
    const command = inv.flags.argsLenAtDash >= 0 ? inv.args.slice(inv.flags.argsLenAtDash) : [];
    const labels = { app: name };
    const port = inv.flags.int('port');
    const containers = images.map((image, i) => ({
      name: containerNameFromImage(image), image,
      ...(i === 0 && command.length ? { command } : {}),
      ...(i === 0 && port >= 0 ? { ports: [{ containerPort: port }] } : {}),
      resources: {},
    }));
    return {
      kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name, creationTimestamp: null, labels },
      spec: { replicas: inv.flags.int('replicas'), selector: { matchLabels: labels }, template: { metadata: { creationTimestamp: null, labels }, spec: { containers } }, strategy: {} },
      status: {},
    };
  }, ['deploy']);

function serviceGenerator(type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName'): KubectlCommand {
  const name = type.toLowerCase();
  const flags: FlagDef[] = type === 'ExternalName'
    ? [{ name: 'external-name', kind: 'string', usage: 'External name of service' }, { name: 'tcp', kind: 'stringSlice', usage: 'Port pairs can be specified as \'<port>:<targetPort>\'.' }]
    : [{ name: 'tcp', kind: 'stringSlice', usage: 'Port pairs can be specified as \'<port>:<targetPort>\'.' },
      ...(type === 'ClusterIP' ? [{ name: 'clusterip', kind: 'string', usage: 'Assign your own ClusterIP or set to \'None\' for a \'headless\' service (no loadbalancing).' } as FlagDef] : []),
      ...(type === 'NodePort' ? [{ name: 'node-port', kind: 'int', default: 0, usage: 'Port used to expose the service on each node in a cluster.' } as FlagDef] : [])];
  return generator(name, `Create a ${type} service`, `create service ${name} NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none] [flags] [options]`, flags, (inv, svcName) => {
    const tcp = inv.flags.strings('tcp');
    const headless = inv.flags.string('clusterip') === 'None';
    if (type === 'ExternalName') {
      if (!inv.flags.string('external-name')) throw new KubectlError('external name must be specified');
    } else if (tcp.length === 0 && !headless) {
      throw new KubectlError('at least one tcp port specifier must be provided');
    }
    const ports = tcp.map((spec) => {
      const [port, target] = spec.split(':');
      const p: Record<string, unknown> = { name: target ? `${port}-${target}` : port, protocol: 'TCP', port: Number(port), targetPort: /^\d+$/.test(target ?? port) ? Number(target ?? port) : target };
      if (type === 'NodePort' && inv.flags.int('node-port') > 0) p.nodePort = inv.flags.int('node-port');
      return p;
    });
    const labels = { app: svcName };
    return {
      kind: 'Service', apiVersion: 'v1', metadata: { name: svcName, creationTimestamp: null, labels },
      spec: {
        ...(ports.length ? { ports } : {}), selector: labels,
        ...(inv.flags.string('clusterip') ? { clusterIP: inv.flags.string('clusterip') } : {}),
        type, ...(type === 'ExternalName' ? { externalName: inv.flags.string('external-name') } : {}),
      },
      status: { loadBalancer: {} },
    };
  });
}

const service: KubectlCommand = {
  name: 'service', aliases: ['svc'], short: 'Create a service using a specified subcommand', usage: 'create service [flags] [options]',
  subcommands: [serviceGenerator('ClusterIP'), serviceGenerator('ExternalName'), serviceGenerator('LoadBalancer'), serviceGenerator('NodePort')].map((c) => entryOf(c)),
};

function commandAfterDash(inv: Invocation): string[] {
  return inv.flags.argsLenAtDash >= 0 ? inv.args.slice(inv.flags.argsLenAtDash) : [];
}

const job = generator('job', 'Create a job with the specified name', 'create job NAME --image=image [--from=cronjob/name] -- [COMMAND] [args...] [flags] [options]',
  [{ name: 'image', kind: 'string', usage: 'Image name to run.' }, { name: 'from', kind: 'string', usage: 'The name of the resource to create a Job from (only cronjob is supported).' }],
  (inv, name) => {
    if (inv.flags.string('from')) throw new KubectlError('--from is not supported by k8ts kubectl yet');
    if (!inv.flags.string('image')) throw new KubectlError('either --image or --from must be specified');
    const command = commandAfterDash(inv);
    return {
      kind: 'Job', apiVersion: 'batch/v1', metadata: { name, creationTimestamp: null },
      spec: { template: { metadata: { creationTimestamp: null }, spec: { containers: [{ name, image: inv.flags.string('image'), ...(command.length ? { command } : {}), resources: {} }], restartPolicy: 'Never' } } },
      status: {},
    };
  });

const cronjob = generator('cronjob', 'Create a cron job with the specified name', 'create cronjob NAME --image=image --schedule=\'0/5 * * * ?\' -- [COMMAND] [args...] [flags] [options]',
  [{ name: 'image', kind: 'string', usage: 'Image name to run.' }, { name: 'schedule', kind: 'string', usage: 'A schedule in the Cron format the job should be run with.' },
    { name: 'restart', kind: 'string', usage: 'job\'s restart policy. supported values: OnFailure, Never' }],
  (inv, name) => {
    if (!inv.flags.string('image')) throw new KubectlError('required flag(s) "image" not set');
    if (!inv.flags.string('schedule')) throw new KubectlError('required flag(s) "schedule" not set');
    const command = commandAfterDash(inv);
    return {
      kind: 'CronJob', apiVersion: 'batch/v1', metadata: { name, creationTimestamp: null },
      spec: {
        schedule: inv.flags.string('schedule'),
        jobTemplate: { metadata: { name, creationTimestamp: null }, spec: { template: { metadata: { creationTimestamp: null }, spec: {
          containers: [{ name, image: inv.flags.string('image'), ...(command.length ? { command } : {}), resources: {} }], restartPolicy: inv.flags.string('restart') || 'OnFailure' } } } },
      },
      status: {},
    };
  }, ['cj']);

const subcommands: CommandEntry[] = [configmap, cronjob, deployment, job, namespace, secret, service].map((c) => entryOf(c));

export const command: KubectlCommand = {
  name: 'create',
  short: 'Create a resource from a file or from stdin',
  long: 'Create a resource from a file or from stdin.\n\n JSON and YAML formats are accepted.',
  examples: '  # Create a pod using the data in pod.json\n  kubectl create -f ./pod.json\n\n  # Create a pod based on the JSON passed into stdin\n  cat pod.json | kubectl create -f -',
  usage: 'create -f FILENAME [options]',
  flags: [
    ...COMMON,
    { name: 'filename', short: 'f', kind: 'stringSlice', usage: 'Filename, directory, or URL to files to use to create the resource' },
    { name: 'recursive', short: 'R', kind: 'bool', usage: 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.' },
    { name: 'selector', short: 'l', kind: 'string', usage: 'Selector (label query) to filter on.' },
  ],
  subcommands,
  run: runCreateFiles,
};
