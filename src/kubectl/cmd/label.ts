/**
 * `kubectl label` and `kubectl annotate`: one implementation over `metadata.labels` or
 * `metadata.annotations`. `key=value` sets, `key-` removes; changing an existing value needs
 * `--overwrite`. Sends a JSON merge patch and prints `kind/name labeled|unlabeled|not labeled`.
 */
import { ApiError } from '../../api/errors.js';
import type { Invocation, KubectlCommand } from '../command.js';
import { kindPrefix, pathOf } from '../discovery.js';
import { DRY_RUN_FLAG, dryRunOf, dryRunSuffix } from '../dry-run.js';
import { apiErrorText, KubectlError, UsageError } from '../errors.js';
import { makeFactory } from '../factory.js';
import { readManifests } from '../file-input.js';
import type { FlagDef } from '../flags.js';
import { outputFormat } from '../printers/output.js';
import { resolveResourceArgs } from '../resource-args.js';
import { targetsFor } from '../targets.js';

interface Kind {
  name: 'label' | 'annotate';
  field: 'labels' | 'annotations';
  past: string;
  undone: string;
  none: string;
}

const LABEL: Kind = { name: 'label', field: 'labels', past: 'labeled', undone: 'unlabeled', none: 'not labeled' };
const ANNOTATE: Kind = { name: 'annotate', field: 'annotations', past: 'annotated', undone: 'unannotated', none: 'not annotated' };

function flagsFor(k: Kind): FlagDef[] {
  return [
    { name: 'all', kind: 'bool', usage: 'Select all resources, in the namespace of the specified resource types' },
    { name: 'all-namespaces', short: 'A', kind: 'bool', usage: 'If true, check the specified action in all namespaces.' },
    DRY_RUN_FLAG,
    { name: 'field-manager', kind: 'string', default: `kubectl-${k.name}`, usage: 'Name of the manager used to track field ownership.' },
    { name: 'field-selector', kind: 'string', usage: "Selector (field query) to filter on, supports '=', '==', and '!='." },
    { name: 'filename', short: 'f', kind: 'stringSlice', usage: `Filename, directory, or URL to files identifying the resource to update the ${k.field}` },
    { name: 'list', kind: 'bool', usage: `If true, display the ${k.field} for a given resource.` },
    { name: 'local', kind: 'bool', usage: `If true, ${k.name} will NOT contact api-server but run locally.` },
    { name: 'output', short: 'o', kind: 'string', usage: 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).' },
    { name: 'overwrite', kind: 'bool', usage: `If true, allow ${k.field} to be overwritten, otherwise reject ${k.field} updates that overwrite existing ${k.field}.` },
    { name: 'recursive', short: 'R', kind: 'bool', usage: 'Process the directory used in -f, --filename recursively.' },
    { name: 'resource-version', kind: 'string', usage: 'If non-empty, the update will only succeed if this is the current resource-version for the object. Only valid when specifying a single resource.' },
    { name: 'selector', short: 'l', kind: 'string', usage: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'." },
  ];
}

/** Splits `key=value` / `key-` arguments from resource arguments. */
export function parseChanges(args: string[], k: Kind): { resources: string[]; set: Record<string, string>; remove: string[] } {
  const resources: string[] = [];
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const a of args) {
    if (a.includes('=')) {
      const eq = a.indexOf('=');
      const key = a.slice(0, eq);
      if (key === '') throw new KubectlError(`invalid ${k.name} format: ${a}`);
      set[key] = a.slice(eq + 1);
    } else if (a.endsWith('-') && resources.length > 0) {
      remove.push(a.slice(0, -1));
    } else {
      resources.push(a);
    }
  }
  for (const r of remove) if (r in set) throw new KubectlError(`can not both modify and remove ${k.field === 'labels' ? 'a label' : 'an annotation'} in the same command`);
  return { resources, set, remove };
}

function make(k: Kind): KubectlCommand {
  return {
    name: k.name,
    short: k === LABEL ? 'Update the labels on a resource' : 'Update the annotations on a resource',
    usage: `${k.name} [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]`,
    flags: flagsFor(k),
    async run(inv: Invocation): Promise<number> {
      const { flags: f, io } = inv;
      const { resources, set, remove } = parseChanges(inv.args, k);
      const list = f.bool('list');
      if (!list && Object.keys(set).length === 0 && remove.length === 0) throw new UsageError(`at least one ${k.name === 'label' ? 'label' : 'annotation'} update is required`);
      const dry = dryRunOf(f);
      const factory = await makeFactory(f, io);
      const ns = f.bool('all-namespaces') ? undefined : factory.conn.namespace;
      const items: { path: string; prefix: string; name: string }[] = [];
      const files = f.strings('filename');
      if (files.length) {
        const manifests = await readManifests(files, { cwd: io.cwd, stdin: io.stdin, recursive: f.bool('recursive') });
        for (const t of await targetsFor(manifests, factory.discovery, { namespace: factory.conn.namespace, explicit: factory.conn.namespaceExplicit })) {
          items.push({ path: pathOf(t.resource, t.namespace, t.name), prefix: kindPrefix(t.resource), name: t.name });
        }
      } else {
        if (resources.length === 0) throw new UsageError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
        for (const req of await resolveResourceArgs(resources, factory.discovery)) {
          const rns = req.resource.namespaced ? ns : undefined;
          if (req.names.length) {
            for (const name of req.names) items.push({ path: pathOf(req.resource, rns ?? factory.conn.namespace, name), prefix: kindPrefix(req.resource), name });
            continue;
          }
          if (!f.bool('all') && !f.string('selector') && !f.string('field-selector')) throw new UsageError('resource(s) were provided, but no name was specified');
          const l = await factory.transport.json<{ items: { metadata: { name: string; namespace?: string } }[] }>({
            path: pathOf(req.resource, rns), query: { labelSelector: f.string('selector') || undefined, fieldSelector: f.string('field-selector') || undefined },
          });
          for (const it of l.items) items.push({ path: pathOf(req.resource, it.metadata.namespace, it.metadata.name), prefix: kindPrefix(req.resource), name: it.metadata.name });
        }
      }
      let code = 0;
      for (const it of items) {
        try {
          const obj = await factory.transport.json<{ metadata: Record<string, unknown> }>({ path: it.path });
          const old = (obj.metadata[k.field] as Record<string, string> | undefined) ?? {};
          if (list) {
            io.out(Object.keys(old).sort().map((key) => `${key}=${old[key]}\n`).join(''));
            continue;
          }
          if (!f.bool('overwrite')) {
            const clashes = Object.keys(set).filter((key) => key in old && old[key] !== set[key]);
            if (clashes.length) {
              if (k === LABEL) throw new KubectlError(`'${clashes[0]}' already has a value (${old[clashes[0]]}), and --overwrite is false`);
              throw new KubectlError(`--overwrite is false but found the following declared annotation(s): ${clashes.map((c) => `'${c}' already has a value (${old[c]})`).join('; ')}`);
            }
          }
          const next = { ...old, ...set };
          for (const r of remove) delete next[r];
          const changed = JSON.stringify(old) !== JSON.stringify(next);
          const msg = !changed ? k.none : !f.bool('overwrite') && Object.keys(next).length < Object.keys(old).length ? k.undone : k.past;
          let result: unknown = obj;
          if (changed && dry !== 'client') {
            const patch: Record<string, string | null> = { ...set };
            for (const r of remove) patch[r] = null;
            const metadata: Record<string, unknown> = { [k.field]: patch };
            if (f.string('resource-version')) metadata.resourceVersion = f.string('resource-version');
            result = await factory.transport.json({
              method: 'PATCH', path: it.path, contentType: 'application/merge-patch+json', body: JSON.stringify({ metadata }),
              query: { fieldManager: f.string('field-manager'), dryRun: dry === 'server' ? 'All' : undefined },
            });
          }
          if (f.string('output')) io.out(outputFormat(f.string('output'), { cwd: io.cwd }).printer!.print(result));
          else io.out(`${it.prefix}/${it.name} ${msg}${dryRunSuffix(dry)}\n`);
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          io.err(`${apiErrorText(err)}\n`);
          code = 1;
        }
      }
      return code;
    },
  };
}

export const labelCommand = make(LABEL);
export const annotateCommand = make(ANNOTATE);
