/**
 * `kubectl delete`: by name, by `-f`, by `-l` selector or `--all`. Sends DeleteOptions with the
 * propagation policy from `--cascade`, prints `kind "name" deleted`, then (with `--wait`, the default)
 * polls until every deleted object is gone, as kubectl does.
 */
import { ApiError } from '../../api/errors.js';
import type { Invocation, KubectlCommand } from '../command.js';
import { kindPrefix, pathOf, type ApiResource } from '../discovery.js';
import { DRY_RUN_FLAG, dryRunOf, dryRunSuffix } from '../dry-run.js';
import { apiErrorText, KubectlError, UsageError } from '../errors.js';
import { makeFactory, type Factory } from '../factory.js';
import { readManifests } from '../file-input.js';
import { parseDuration, type FlagDef } from '../flags.js';
import { resolveResourceArgs } from '../resource-args.js';
import { targetsFor } from '../targets.js';

const flags: FlagDef[] = [
  { name: 'all', kind: 'bool', usage: 'Delete all resources, in the namespace of the specified resource types.' },
  { name: 'all-namespaces', short: 'A', kind: 'bool', usage: 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.' },
  { name: 'cascade', kind: 'string', default: 'background', noOptDefault: 'background', usage: 'Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.' },
  DRY_RUN_FLAG,
  { name: 'field-selector', kind: 'string', usage: "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type." },
  { name: 'filename', short: 'f', kind: 'stringSlice', usage: 'containing the resource to delete.' },
  { name: 'force', kind: 'bool', usage: 'If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation.' },
  { name: 'grace-period', kind: 'int', default: -1, usage: 'Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion).' },
  { name: 'ignore-not-found', kind: 'bool', usage: 'Treat "resource not found" as a successful delete. Defaults to "true" when --all is specified.' },
  { name: 'now', kind: 'bool', usage: 'If true, resources are signaled for immediate shutdown (same as --grace-period=1).' },
  { name: 'output', short: 'o', kind: 'string', usage: 'Output mode. Use "-o name" for shorter output (resource/name).' },
  { name: 'recursive', short: 'R', kind: 'bool', usage: 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.' },
  { name: 'selector', short: 'l', kind: 'string', usage: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints." },
  { name: 'timeout', kind: 'duration', default: '0s', usage: 'The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object' },
  { name: 'wait', kind: 'bool', default: true, usage: 'If true, wait for resources to be gone before returning. This waits for finalizers.' },
];

export const command: KubectlCommand = {
  name: 'delete',
  short: 'Delete resources by file names, stdin, resources and names, or by resources and label selector',
  long: 'Delete resources by file names, stdin, resources and names, or by resources and label selector.\n\n JSON and YAML formats are accepted. Only one type of argument may be specified: file names, resources and names, or resources and label selector.',
  examples: '  # Delete a pod using the type and name specified in pod.json\n  kubectl delete -f ./pod.json\n\n  # Delete pods and services with label name=myLabel\n  kubectl delete pods,services -l name=myLabel\n\n  # Delete all pods\n  kubectl delete pods --all',
  usage: 'delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]',
  flags,
  run,
};

interface Victim { resource: ApiResource; namespace?: string; name: string; uid?: string }

async function run(inv: Invocation): Promise<number> {
  const { flags: f, io, args } = inv;
  const dry = dryRunOf(f);
  const cascade = cascadeOf(f.string('cascade'));
  let grace = f.int('grace-period');
  if (f.bool('now')) {
    if (grace >= 0) throw new KubectlError('--now and --grace-period cannot be specified together');
    grace = 1;
  }
  if (f.bool('force') && grace < 0) grace = 0;
  if (grace === 0 && !f.bool('force')) throw new KubectlError('--grace-period=0 must have --force specified');
  const files = f.strings('filename');
  if (files.length === 0 && args.length === 0) {
    throw new UsageError('You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   \'-f rsrc.yaml\'\n   \'--filename=rsrc.json\'\n   \'<resource> <name>\'\n   \'<resource>\'');
  }
  const all = f.bool('all');
  const selector = f.string('selector');
  const factory = await makeFactory(f, io);
  const ns = f.bool('all-namespaces') ? undefined : factory.conn.namespace;
  let ignoreNotFound = f.bool('ignore-not-found') || (all && !f.isSet('ignore-not-found'));
  const victims: Victim[] = [];
  if (files.length) {
    const manifests = await readManifests(files, { cwd: io.cwd, stdin: io.stdin, recursive: f.bool('recursive') });
    for (const t of await targetsFor(manifests, factory.discovery, { namespace: factory.conn.namespace, explicit: factory.conn.namespaceExplicit })) {
      victims.push({ resource: t.resource, namespace: t.namespace, name: t.name });
    }
  } else {
    const requests = await resolveResourceArgs(args, factory.discovery);
    for (const req of requests) {
      if (req.names.length > 0) {
        if (all || selector) throw new KubectlError('name cannot be provided when a selector is specified');
        for (const name of req.names) victims.push({ resource: req.resource, namespace: req.resource.namespaced ? ns ?? factory.conn.namespace : undefined, name });
        continue;
      }
      if (!all && !selector && !f.string('field-selector')) {
        throw new KubectlError(`resource(s) were provided, but no name was specified`);
      }
      const list = await factory.transport.json<{ items: { metadata: { name: string; namespace?: string; uid?: string } }[] }>({
        path: pathOf(req.resource, req.resource.namespaced ? ns : undefined),
        query: { labelSelector: selector || undefined, fieldSelector: f.string('field-selector') || undefined },
      });
      for (const it of list.items) victims.push({ resource: req.resource, namespace: it.metadata.namespace, name: it.metadata.name, uid: it.metadata.uid });
    }
    if (victims.length === 0) {
      io.err(ns && requests.some((r) => r.resource.namespaced) ? `No resources found\n` : 'No resources found\n');
      return 0;
    }
    ignoreNotFound ||= false;
  }

  let code = 0;
  const deleted: Victim[] = [];
  if (factory.conn.namespaceExplicit && victims.some((v) => !v.resource.namespaced)) {
    io.err('Warning: deleting cluster-scoped resources, not scoped to the provided namespace\n');
  }
  if (grace === 0 && f.bool('force')) io.err('Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n');
  for (const v of victims) {
    const body: Record<string, unknown> = { propagationPolicy: cascade };
    if (grace >= 0) body.gracePeriodSeconds = grace;
    if (dry === 'server') body.dryRun = ['All'];
    const label = `${kindPrefix(v.resource)}`;
    try {
      if (dry !== 'client') {
        await factory.transport.request({ method: 'DELETE', path: pathOf(v.resource, v.namespace, v.name), contentType: 'application/json', body: JSON.stringify(body) });
      }
      if (f.string('output') === 'name') io.out(`${label}/${v.name}\n`);
      else io.out(`${label} "${v.name}" deleted${dryRunSuffix(dry)}\n`);
      deleted.push(v);
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'NotFound' && ignoreNotFound) continue;
      if (!(err instanceof ApiError)) throw err;
      io.err(`${apiErrorText(err)}\n`);
      code = 1;
    }
  }
  if (f.bool('wait') && dry === 'none' && deleted.length > 0) {
    const timeoutMs = parseDuration(f.string('timeout')) || 7 * 24 * 3600 * 1000;
    await waitGone(factory, deleted, timeoutMs);
  }
  return code;
}

function cascadeOf(v: string): 'Background' | 'Foreground' | 'Orphan' {
  switch (v) {
    case 'background': case 'true': return 'Background';
    case 'foreground': return 'Foreground';
    case 'orphan': case 'false': return 'Orphan';
    default: throw new KubectlError(`invalid cascade value (${v}). Must be "background", "foreground", or "orphan"`);
  }
}

/** Polls each object until the server answers NotFound (or its uid changed: a new object of that name). */
async function waitGone(factory: Factory, victims: Victim[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = victims;
  let delay = 50;
  while (pending.length > 0) {
    const still: Victim[] = [];
    for (const v of pending) {
      try {
        const obj = await factory.transport.json<{ metadata?: { uid?: string } }>({ path: pathOf(v.resource, v.namespace, v.name) });
        if (v.uid && obj.metadata?.uid && obj.metadata.uid !== v.uid) continue;
        still.push(v);
      } catch (err) {
        if (err instanceof ApiError && err.reason === 'NotFound') continue;
        throw err;
      }
    }
    pending = still;
    if (pending.length === 0) return;
    if (Date.now() > deadline) {
      throw new KubectlError(`timed out waiting for the condition on ${pending.map((v) => `${v.resource.resource}/${v.name}`).join(', ')}`);
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 1000);
  }
}
