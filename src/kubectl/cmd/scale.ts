/**
 * `kubectl scale`: sets `spec.replicas` through the `/scale` subresource with a merge patch, optionally
 * guarded by `--current-replicas` and `--resource-version`; prints `kind/name scaled`.
 */
import { ApiError } from '../../api/errors.js';
import type { Invocation, KubectlCommand } from '../command.js';
import { kindPrefix, pathOf } from '../discovery.js';
import { DRY_RUN_FLAG, dryRunOf, dryRunSuffix } from '../dry-run.js';
import { apiErrorText, KubectlError, UsageError } from '../errors.js';
import { makeFactory } from '../factory.js';
import { readManifests } from '../file-input.js';
import { resolveResourceArgs } from '../resource-args.js';
import { targetsFor } from '../targets.js';

export const command: KubectlCommand = {
  name: 'scale',
  short: 'Set a new size for a deployment, replica set, or replication controller',
  long: 'Set a new size for a deployment, replica set, replication controller, or stateful set.\n\n Scale also allows users to specify one or more preconditions for the scale action.\n\n If --current-replicas or --resource-version is specified, it is validated before the scale is attempted, and it is guaranteed that the precondition holds true when the scale is sent to the server.',
  examples: '  # Scale a replica set named \'foo\' to 3\n  kubectl scale --replicas=3 rs/foo',
  usage: 'scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]',
  flags: [
    { name: 'all', kind: 'bool', usage: 'Select all resources in the namespace of the specified resource types' },
    { name: 'current-replicas', kind: 'int', default: -1, usage: 'Precondition for current size. Requires that the current size of the resource match this value in order to scale. -1 (default) for no condition.' },
    DRY_RUN_FLAG,
    { name: 'filename', short: 'f', kind: 'stringSlice', usage: 'Filename, directory, or URL to files identifying the resource to set a new size' },
    { name: 'output', short: 'o', kind: 'string', usage: 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).' },
    { name: 'replicas', kind: 'int', default: 0, usage: 'The new desired number of replicas. Required.' },
    { name: 'resource-version', kind: 'string', usage: 'Precondition for resource version. Requires that the current resource version match this value in order to scale.' },
    { name: 'selector', short: 'l', kind: 'string', usage: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'." },
    { name: 'timeout', kind: 'duration', default: '0s', usage: 'The length of time to wait before giving up on a scale operation, zero means don\'t wait.' },
  ],
  run,
};

async function run(inv: Invocation): Promise<number> {
  const { flags: f, io } = inv;
  if (!f.isSet('replicas')) throw new KubectlError('required flag(s) "replicas" not set');
  const replicas = f.int('replicas');
  if (replicas < 0) throw new UsageError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  const dry = dryRunOf(f);
  const factory = await makeFactory(f, io);
  const items: { path: string; label: string }[] = [];
  if (f.strings('filename').length) {
    const manifests = await readManifests(f.strings('filename'), { cwd: io.cwd, stdin: io.stdin });
    for (const t of await targetsFor(manifests, factory.discovery, { namespace: factory.conn.namespace, explicit: factory.conn.namespaceExplicit })) {
      items.push({ path: pathOf(t.resource, t.namespace, t.name), label: `${kindPrefix(t.resource)}/${t.name}` });
    }
  } else {
    if (inv.args.length === 0) throw new UsageError('You must provide one or more resources by argument or filename.');
    for (const req of await resolveResourceArgs(inv.args, factory.discovery)) {
      const ns = req.resource.namespaced ? factory.conn.namespace : undefined;
      let names = req.names;
      if (names.length === 0) {
        if (!f.bool('all') && !f.string('selector')) throw new UsageError('resource(s) were provided, but no name was specified');
        const l = await factory.transport.json<{ items: { metadata: { name: string } }[] }>({ path: pathOf(req.resource, ns), query: { labelSelector: f.string('selector') || undefined } });
        names = l.items.map((i) => i.metadata.name);
      }
      for (const name of names) items.push({ path: pathOf(req.resource, ns, name), label: `${kindPrefix(req.resource)}/${name}` });
    }
  }
  let code = 0;
  for (const it of items) {
    try {
      const scalePath = `${it.path}/scale`;
      if (f.int('current-replicas') >= 0 || f.string('resource-version')) {
        const cur = await factory.transport.json<{ spec?: { replicas?: number }; metadata?: { resourceVersion?: string } }>({ path: scalePath });
        if (f.int('current-replicas') >= 0 && (cur.spec?.replicas ?? 0) !== f.int('current-replicas')) {
          throw new KubectlError(`Expected replicas to be ${f.int('current-replicas')}, was ${cur.spec?.replicas ?? 0}`);
        }
        if (f.string('resource-version') && cur.metadata?.resourceVersion !== f.string('resource-version')) {
          throw new KubectlError(`Expected resourceVersion to be ${f.string('resource-version')}, was ${cur.metadata?.resourceVersion}`);
        }
      }
      if (dry !== 'client') {
        await factory.transport.request({
          method: 'PATCH', path: scalePath, contentType: 'application/merge-patch+json', body: JSON.stringify({ spec: { replicas } }),
          query: { dryRun: dry === 'server' ? 'All' : undefined },
        });
      }
      io.out(f.string('output') === 'name' ? `${it.label}\n` : `${it.label} scaled${dryRunSuffix(dry)}\n`);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      io.err(`${apiErrorText(err)}\n`);
      code = 1;
    }
  }
  return code;
}
