/**
 * `kubectl diff -f`: what `apply` would change. The live objects and the server's dry-run result of the
 * apply (the three-way patch, or the create) are written as YAML into LIVE-* and MERGED-* temp folders,
 * then compared with `diff -u -N` (or `$KUBECTL_EXTERNAL_DIFF`). Exit code 1 means differences.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../../api/errors.js';
import { createThreeWayMergePatch, Schema } from '../../api/patch/index.js';
import type { KubectlCommand } from '../command.js';
import { KubectlError, UsageError } from '../errors.js';
import { makeFactory } from '../factory.js';
import { readManifests } from '../file-input.js';
import { toYAML } from '../printers/yaml.js';
import { targetPath, targetsFor } from '../targets.js';
import { LAST_APPLIED, modifiedConfiguration } from './apply.js';

type Obj = Record<string, any>;

function clean(o: Obj | undefined): Obj | undefined {
  if (!o) return o;
  const c = structuredClone(o);
  if (c.metadata) delete c.metadata.managedFields;
  if (c.kind === 'Secret' && c.data) for (const k of Object.keys(c.data)) c.data[k] = '***';
  return c;
}

export const diffCommand: KubectlCommand = {
  name: 'diff',
  short: 'Diff the live version against a would-be applied version',
  long: 'Diff configurations specified by file name or stdin between the current online configuration, and the configuration as it would be if applied.\n\n The output is always YAML.\n\n KUBECTL_EXTERNAL_DIFF environment variable can be used to select your own diff command.',
  usage: 'diff -f FILENAME [options]',
  flags: [
    { name: 'filename', short: 'f', kind: 'stringSlice', usage: 'Filename, directory, or URL to files contains the configuration to diff' },
    { name: 'recursive', short: 'R', kind: 'bool', usage: 'Process the directory used in -f, --filename recursively.' },
    { name: 'server-side', kind: 'bool', usage: 'If true, apply runs in the server instead of the client.' },
    { name: 'force-conflicts', kind: 'bool', usage: 'If true, server-side apply will force the changes against conflicts.' },
    { name: 'field-manager', kind: 'string', default: 'kubectl-client-side-apply', usage: 'Name of the manager used to track field ownership.' },
  ],
  async run({ flags: f, io }) {
    if (f.strings('filename').length === 0) throw new UsageError('Missing filename argument: -f');
    const manifests = await readManifests(f.strings('filename'), { cwd: io.cwd, stdin: io.stdin, recursive: f.bool('recursive') });
    const factory = await makeFactory(f, io);
    const live = mkdtempSync(join(tmpdir(), 'LIVE-'));
    const merged = mkdtempSync(join(tmpdir(), 'MERGED-'));
    try {
      for (const t of await targetsFor(manifests, factory.discovery, { namespace: factory.conn.namespace, explicit: factory.conn.namespaceExplicit })) {
        let current: Obj | undefined;
        try {
          current = await factory.transport.json<Obj>({ path: targetPath(t) });
        } catch (err) {
          if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
        }
        let result: Obj;
        if (f.bool('server-side')) {
          const obj = { ...t.manifest.object, metadata: { ...t.manifest.object.metadata, ...(t.namespace ? { namespace: t.namespace } : {}) } };
          result = await factory.transport.json<Obj>({
            method: 'PATCH', path: targetPath(t), contentType: 'application/apply-patch+yaml', body: JSON.stringify(obj),
            query: { dryRun: 'All', fieldManager: f.isSet('field-manager') ? f.string('field-manager') : 'kubectl', force: f.bool('force-conflicts') },
          });
        } else {
          const modified = modifiedConfiguration(t.manifest.object, t.namespace, false);
          if (!current) {
            // A new object is created (dry run) as it is in the file.
            const local = { ...t.manifest.object, metadata: { ...t.manifest.object.metadata, ...(t.namespace ? { namespace: t.namespace } : {}) } };
            result = await factory.transport.json<Obj>({ method: 'POST', path: targetPath(t, false), contentType: 'application/json', body: JSON.stringify(local), query: { dryRun: 'All', fieldManager: f.string('field-manager') } });
          } else {
            const last = current.metadata?.annotations?.[LAST_APPLIED];
            const gvk = { group: t.resource.group, version: t.resource.version, kind: t.resource.kind };
            const patch = createThreeWayMergePatch(last ? JSON.parse(last) : undefined, modified, current, gvk);
            result = await factory.transport.json<Obj>({
              method: 'PATCH', path: targetPath(t), body: JSON.stringify(patch),
              contentType: Schema.isKnownKind(gvk) ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json',
              query: { dryRun: 'All', fieldManager: f.string('field-manager') },
            });
          }
        }
        const file = `${t.resource.group ? `${t.resource.group}.` : ''}${t.resource.version}.${t.resource.kind}.${t.namespace ?? ''}.${t.name}`;
        if (current) writeFileSync(join(live, file), toYAML(clean(current)));
        writeFileSync(join(merged, file), toYAML(clean(result)));
      }
      const external = io.env.KUBECTL_EXTERNAL_DIFF;
      const [cmd, ...extra] = external ? external.split(/\s+/) : ['diff', '-u', '-N'];
      const r = spawnSync(cmd, [...extra, live, merged], { encoding: 'utf8' });
      if (r.error) throw new KubectlError(`failed to run "${cmd}": ${r.error.message}`);
      io.out(r.stdout);
      if (r.stderr) io.err(r.stderr);
      if ((r.status ?? 0) > 1) throw new KubectlError(`exit status ${r.status}`, false, r.status ?? 1);
      return r.status ?? 0;
    } finally {
      rmSync(live, { recursive: true, force: true });
      rmSync(merged, { recursive: true, force: true });
    }
  },
};
