/** `kubectl replace -f` (PUT, or delete and create with --force) and `kubectl autoscale` (an autoscaling/v2 HPA). */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { ApiError } from '../../api/errors.js';
import type { KubectlCommand } from '../command.js';
import { kindPrefix, pathOf } from '../discovery.js';
import { DRY_RUN_FLAG, dryRunOf, dryRunSuffix } from '../dry-run.js';
import { apiErrorText, KubectlError, UsageError } from '../errors.js';
import { makeFactory } from '../factory.js';
import { readManifests } from '../file-input.js';
import { resolveResourceArgs } from '../resource-args.js';
import { targetLabel, targetPath, targetsFor } from '../targets.js';
import { fieldValidation, printResult } from './create.js';

type Obj = Record<string, any>;

export const replaceCommand: KubectlCommand = {
  name: 'replace',
  short: 'Replace a resource by file name or stdin',
  long: 'Replace a resource by file name or stdin.\n\n JSON and YAML formats are accepted. If replacing an existing resource, the complete resource spec must be provided.',
  usage: 'replace -f FILENAME [options]',
  flags: [
    DRY_RUN_FLAG,
    { name: 'filename', short: 'f', kind: 'stringSlice', usage: 'The files that contain the configurations to replace.' },
    { name: 'force', kind: 'bool', usage: 'If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation.' },
    { name: 'output', short: 'o', kind: 'string', usage: 'Output format.' },
    { name: 'recursive', short: 'R', kind: 'bool', usage: 'Process the directory used in -f, --filename recursively.' },
    { name: 'validate', kind: 'string', default: 'strict', noOptDefault: 'strict', usage: 'Must be one of: strict (or true), warn, ignore (or false).' },
  ],
  async run(inv) {
    const { flags: f, io } = inv;
    if (f.strings('filename').length === 0) throw new UsageError('must specify --filename to replace');
    const manifests = await readManifests(f.strings('filename'), { cwd: io.cwd, stdin: io.stdin, recursive: f.bool('recursive') });
    const factory = await makeFactory(f, io);
    const dry = dryRunOf(f);
    let code = 0;
    for (const t of await targetsFor(manifests, factory.discovery, { namespace: factory.conn.namespace, explicit: factory.conn.namespaceExplicit })) {
      const body = { ...t.manifest.object, metadata: { ...t.manifest.object.metadata, ...(t.namespace ? { namespace: t.namespace } : {}) } };
      try {
        let result: Obj;
        const query = { fieldManager: 'kubectl-replace', fieldValidation: fieldValidation(f.string('validate')), dryRun: dry === 'server' ? 'All' : undefined };
        if (dry === 'client') {
          result = body;
        } else if (f.bool('force')) {
          await factory.transport.request({ method: 'DELETE', path: targetPath(t), contentType: 'application/json', body: JSON.stringify({ propagationPolicy: 'Background', gracePeriodSeconds: 0 }) }).catch((err) => {
            if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
          });
          io.out(`${kindPrefix(t.resource)} "${t.name}" deleted\n`);
          for (let i = 0; i < 200; i++) {
            try {
              await factory.transport.request({ path: targetPath(t) });
              await new Promise((r) => setTimeout(r, 50));
            } catch {
              break;
            }
          }
          result = await factory.transport.json<Obj>({ method: 'POST', path: targetPath(t, false), contentType: 'application/json', body: JSON.stringify(body), query });
        } else {
          result = await factory.transport.json<Obj>({ method: 'PUT', path: targetPath(t), contentType: 'application/json', body: JSON.stringify(body), query });
        }
        printResult(inv, result, targetLabel(t), 'replaced', dry);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        io.err(`${apiErrorText(err).replace(/^(Error from server \([^)]*\): )/, `$1error when replacing "${t.manifest.source}": `)}\n`);
        code = 1;
      }
    }
    return code;
  },
};

export const autoscaleCommand: KubectlCommand = {
  name: 'autoscale',
  short: 'Auto-scale a deployment, replica set, stateful set, or replication controller',
  usage: 'autoscale (-f FILENAME | TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS [--cpu-percent=CPU] [options]',
  flags: [
    DRY_RUN_FLAG,
    { name: 'cpu-percent', kind: 'int', default: -1, usage: 'The target average CPU utilization (represented as a percent of requested CPU) over all the pods. If it\'s not specified or negative, a default autoscaling policy will be used.' },
    { name: 'max', kind: 'int', default: -1, usage: 'The upper limit for the number of pods that can be set by the autoscaler. Required.' },
    { name: 'min', kind: 'int', default: -1, usage: 'The lower limit for the number of pods that can be set by the autoscaler. If it\'s not specified or negative, the server will apply a default value.' },
    { name: 'name', kind: 'string', usage: 'The name for the newly created object. If not specified, the name of the input resource will be used.' },
    { name: 'output', short: 'o', kind: 'string', usage: 'Output format.' },
  ],
  async run(inv) {
    const { flags: f, io } = inv;
    const max = f.int('max');
    if (max < 1) throw new KubectlError('--max=MAXPODS is required and must be at least 1, max: ' + max);
    if (f.int('min') > max) throw new KubectlError(`--max=MAXPODS must be larger or equal to --min=MINPODS, max: ${max}, min: ${f.int('min')}`);
    const factory = await makeFactory(f, io);
    const [req] = await resolveResourceArgs(inv.args, factory.discovery);
    if (!req || req.names.length === 0) throw new UsageError('resource(s) were provided, but no name was specified');
    const name = req.names[0];
    await factory.transport.json({ path: pathOf(req.resource, factory.conn.namespace, name) });
    const hpaName = f.string('name') || name;
    const hpa: Obj = {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler',
      metadata: { name: hpaName },
      spec: {
        scaleTargetRef: { apiVersion: req.resource.group ? `${req.resource.group}/${req.resource.version}` : req.resource.version, kind: req.resource.kind, name },
        ...(f.int('min') >= 0 ? { minReplicas: f.int('min') } : {}),
        maxReplicas: max,
        ...(f.int('cpu-percent') >= 0 ? { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: f.int('cpu-percent') } } }] } : {}),
      },
    };
    const dry = dryRunOf(f);
    const label = `horizontalpodautoscaler.autoscaling/${hpaName}`;
    if (dry === 'client') { printResult(inv, hpa, label, 'autoscaled', dry); return 0; }
    const created = await factory.transport.json<Obj>({
      method: 'POST', path: `/apis/autoscaling/v2/namespaces/${factory.conn.namespace}/horizontalpodautoscalers`, contentType: 'application/json', body: JSON.stringify(hpa),
      query: { fieldManager: 'kubectl-autoscale', dryRun: dry === 'server' ? 'All' : undefined },
    });
    printResult(inv, created, label, 'autoscaled', dry);
    void dryRunSuffix;
    return 0;
  },
};
