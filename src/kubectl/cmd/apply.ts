/**
 * `kubectl apply -f`: client-side apply by default, server-side apply with `--server-side`.
 *
 * Client-side: the applied configuration is recorded in the `kubectl.kubernetes.io/last-applied-configuration`
 * annotation. A missing object is created with it; an existing one gets the three-way strategic merge
 * patch (last applied, new configuration, live object) from src/api/patch, or nothing when the patch
 * is empty ("unchanged"). Server-side: PATCH `application/apply-patch+yaml` with the field manager.
 */
import { ApiError } from '../../api/errors.js';
import { createThreeWayMergePatch, Schema } from '../../api/patch/index.js';
import type { Invocation, KubectlCommand } from '../command.js';
import { DRY_RUN_FLAG, dryRunOf, dryRunSuffix } from '../dry-run.js';
import { apiErrorText, KubectlError, UsageError } from '../errors.js';
import { makeFactory } from '../factory.js';
import { readManifests } from '../file-input.js';
import type { FlagDef } from '../flags.js';
import { goJSON } from '../printers/json.js';
import { targetLabel, targetPath, targetsFor, type Target } from '../targets.js';
import { fieldValidation, printResult } from './create.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const flags: FlagDef[] = [
  DRY_RUN_FLAG,
  { name: 'all', kind: 'bool', usage: 'Select all resources in the namespace of the specified resource types.' },
  { name: 'prune', kind: 'bool', usage: 'Automatically delete resource objects, that do not appear in the configs and are created by either apply or create --save-config. Should be used with either -l or --all.' },
  { name: 'prune-allowlist', kind: 'stringArray', usage: 'Overwrite the default allowlist with <group/version/kind> for --prune' },
  { name: 'selector', short: 'l', kind: 'string', usage: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'." },
  { name: 'field-manager', kind: 'string', default: 'kubectl-client-side-apply', usage: 'Name of the manager used to track field ownership.' },
  { name: 'filename', short: 'f', kind: 'stringSlice', usage: 'The files that contain the configurations to apply.' },
  { name: 'force-conflicts', kind: 'bool', usage: 'If true, server-side apply will force the changes against conflicts.' },
  { name: 'output', short: 'o', kind: 'string', usage: 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).' },
  { name: 'recursive', short: 'R', kind: 'bool', usage: 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.' },
  { name: 'server-side', kind: 'bool', usage: 'If true, apply runs in the server instead of the client.' },
  { name: 'show-managed-fields', kind: 'bool', usage: 'If true, keep the managedFields when printing objects in JSON or YAML format.' },
  { name: 'validate', kind: 'string', default: 'strict', noOptDefault: 'strict', usage: 'Must be one of: strict (or true), warn, ignore (or false).' },
];

export const command: KubectlCommand = {
  name: 'apply',
  short: 'Apply a configuration to a resource by file name or stdin',
  long: 'Apply a configuration to a resource by file name or stdin. The resource name must be specified. This resource will be created if it doesn\'t exist yet. To use \'apply\', always create the resource initially with either \'apply\' or \'create --save-config\'.\n\n JSON and YAML formats are accepted.',
  examples: '  # Apply the configuration in pod.json to a pod\n  kubectl apply -f ./pod.json\n\n  # Apply the JSON passed into stdin to a pod\n  cat pod.json | kubectl apply -f -',
  usage: 'apply (-f FILENAME | -k DIRECTORY) [options]',
  flags,
  run,
};

/** The object with its namespace filled in and the last-applied annotation set to its own JSON. */
export function modifiedConfiguration(obj: Record<string, unknown>, namespace: string | undefined, annotate = true): Record<string, unknown> {
  const meta = { ...(obj.metadata as Record<string, unknown> ?? {}) };
  if (namespace !== undefined) meta.namespace = namespace;
  const annotations = { ...(meta.annotations as Record<string, string> ?? {}) };
  delete annotations[LAST_APPLIED];
  const withoutAnnotation = { ...obj, metadata: { ...meta, annotations } };
  if (!annotate) return withoutAnnotation;
  return { ...obj, metadata: { ...meta, annotations: { ...annotations, [LAST_APPLIED]: `${goJSON(withoutAnnotation)}\n` } } };
}

function gvkOf(t: Target) {
  return { group: t.resource.group, version: t.resource.version, kind: t.resource.kind };
}

async function run(inv: Invocation): Promise<number> {
  const { flags: f, io } = inv;
  const files = f.strings('filename');
  if (inv.args.length > 0) throw new UsageError(`Unexpected args: [${inv.args.join(' ')}]`);
  if (files.length === 0) throw new UsageError('must specify one of -f and -k');
  const dry = dryRunOf(f);
  const serverSide = f.bool('server-side');
  if (serverSide && dry === 'client') throw new KubectlError('--dry-run=client doesn\'t work with --server-side (did you mean --dry-run=server instead?)');
  if (f.bool('prune') && !f.bool('all') && !f.string('selector')) {
    throw new KubectlError('all resources selected for prune without explicitly passing --all. To prune all resources, pass the --all flag. If you did not mean to prune all resources, specify a label selector');
  }
  const manifests = await readManifests(files, { cwd: io.cwd, stdin: io.stdin, recursive: f.bool('recursive') });
  if (manifests.length === 0) throw new KubectlError('no objects passed to apply');
  const factory = await makeFactory(f, io);
  const targets = await targetsFor(manifests, factory.discovery, { namespace: factory.conn.namespace, explicit: factory.conn.namespaceExplicit });
  const validation = fieldValidation(f.string('validate'));
  let code = 0;
  for (const t of targets) {
    const source = t.manifest.source;
    try {
      if (serverSide) {
        const obj = { ...t.manifest.object, metadata: { ...t.manifest.object.metadata, ...(t.namespace !== undefined ? { namespace: t.namespace } : {}) } };
        const manager = f.isSet('field-manager') ? f.string('field-manager') : 'kubectl';
        const res = await factory.transport.json<Record<string, unknown>>({
          method: 'PATCH', path: targetPath(t), contentType: 'application/apply-patch+yaml', body: JSON.stringify(obj),
          query: { fieldManager: manager, force: f.bool('force-conflicts'), fieldValidation: validation, dryRun: dry === 'server' ? 'All' : undefined },
        });
        printResult(inv, res, targetLabel(t), 'serverside-applied', dry);
        continue;
      }
      const modified = modifiedConfiguration(t.manifest.object, t.namespace);
      let current: Record<string, unknown> | undefined;
      try {
        current = await factory.transport.json<Record<string, unknown>>({ path: targetPath(t) });
      } catch (err) {
        if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
      }
      if (!current) {
        if (dry === 'client') { printResult(inv, modified, targetLabel(t), 'created', dry); continue; }
        const created = await factory.transport.json<Record<string, unknown>>({
          method: 'POST', path: targetPath(t, false), contentType: 'application/json', body: JSON.stringify(modified),
          query: { fieldManager: f.string('field-manager'), fieldValidation: validation, dryRun: dry === 'server' ? 'All' : undefined },
        });
        printResult(inv, created, targetLabel(t), 'created', dry);
        continue;
      }
      const annotations = ((current.metadata as { annotations?: Record<string, string> })?.annotations) ?? {};
      const lastApplied = annotations[LAST_APPLIED];
      if (lastApplied === undefined) {
        io.err(`Warning: resource ${t.resource.resource}/${t.name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n`);
      }
      const original = lastApplied ? JSON.parse(lastApplied) : undefined;
      const gvk = gvkOf(t);
      const patch = createThreeWayMergePatch(original, modified, current, gvk);
      if (Object.keys(patch).length === 0) {
        printResult(inv, current, targetLabel(t), 'unchanged', dry);
        continue;
      }
      if (dry === 'client') { printResult(inv, current, targetLabel(t), 'configured', dry); continue; }
      const patched = await factory.transport.json<Record<string, unknown>>({
        method: 'PATCH', path: targetPath(t),
        contentType: Schema.isKnownKind(gvk) ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json',
        body: JSON.stringify(patch),
        query: { fieldManager: f.string('field-manager'), fieldValidation: validation, dryRun: dry === 'server' ? 'All' : undefined },
      });
      printResult(inv, patched, targetLabel(t), 'configured', dry);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const text = apiErrorText(err);
      const verb = serverSide ? 'patching' : 'applying patch';
      io.err(`${text.replace(/^(Error from server \([^)]*\): )/, `$1error when ${verb === 'patching' ? 'patching' : 'creating'} "${source}": `)}\n`);
      code = 1;
    }
  }
  if (f.bool('prune')) await prune(inv, factory, targets, dry);
  return code;
}

/** A klog line as kubectl writes warnings: `W1123 17:56:39.045357    1682 file.go:71] message`. */
function klogLine(level: string, where: string, msg: string, now: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const micros = p(now.getUTCMilliseconds() * 1000, 6);
  return `${level}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())} ${p(now.getUTCHours())}:${p(now.getUTCMinutes())}:${p(now.getUTCSeconds())}.${micros} ${String(process.pid).padStart(7)} ${where}] ${msg}\n`;
}

/** kubectl's default prune set: group/version/kind. */
const DEFAULT_PRUNE = [
  '/v1/ConfigMap', '/v1/Endpoints', '/v1/Namespace', '/v1/PersistentVolumeClaim', '/v1/PersistentVolume', '/v1/Pod',
  '/v1/ReplicationController', '/v1/Secret', '/v1/Service', 'batch/v1/Job', 'batch/v1/CronJob', 'networking.k8s.io/v1/Ingress',
  'apps/v1/DaemonSet', 'apps/v1/Deployment', 'apps/v1/ReplicaSet', 'apps/v1/StatefulSet',
];

/**
 * `--prune`: deletes objects of the prune set, in the namespaces applied to, that match the selector,
 * carry the last-applied annotation (they were applied before) and are not in this apply.
 */
async function prune(inv: Invocation, factory: Awaited<ReturnType<typeof makeFactory>>, applied: Target[], dry: ReturnType<typeof dryRunOf>): Promise<void> {
  const { flags: f, io } = inv;
  const keep = new Set(applied.map((t) => `${t.resource.group}/${t.resource.kind}/${t.namespace ?? ''}/${t.name}`));
  const namespaces = new Set(applied.map((t) => t.namespace).filter((n): n is string => n !== undefined));
  const all = await factory.discovery.resources();
  const { pathOf, kindPrefix } = await import('../discovery.js');
  const allow = f.strings('prune-allowlist').length ? f.strings('prune-allowlist') : DEFAULT_PRUNE;
  if (!f.strings('prune-allowlist').length && factory.conn.namespaceExplicit) {
    io.err(klogLine('W', 'prune.go:71', 'Deprecated: kubectl apply will no longer prune non-namespaced resources by default when used with the --namespace flag in a future release. To preserve the current behaviour, list the resources you want to target explicitly in the --prune-allowlist flag.', io.now()));
  }
  for (const gvk of allow) {
    const parts = gvk.split('/');
    const [group, , kind] = parts.length === 3 ? parts : ['', parts[0], parts[1]];
    const r = all.find((x) => x.group === group && x.kind === kind);
    if (!r) continue;
    for (const ns of r.namespaced ? [...namespaces] : [undefined]) {
      const list = await factory.transport.json<{ items: { metadata: { name: string; namespace?: string; annotations?: Record<string, string> } }[] }>({
        path: pathOf(r, ns), query: { labelSelector: f.string('selector') || undefined },
      });
      for (const it of list.items) {
        if (!it.metadata.annotations?.[LAST_APPLIED]) continue;
        if (keep.has(`${r.group}/${r.kind}/${it.metadata.namespace ?? ''}/${it.metadata.name}`)) continue;
        if (dry !== 'client') {
          await factory.transport.request({
            method: 'DELETE', path: pathOf(r, it.metadata.namespace, it.metadata.name), contentType: 'application/json',
            body: JSON.stringify({ propagationPolicy: 'Background', ...(dry === 'server' ? { dryRun: ['All'] } : {}) }),
          });
        }
        io.out(`${kindPrefix(r)}/${it.metadata.name} pruned${dryRunSuffix(dry)}\n`);
      }
    }
  }
}
