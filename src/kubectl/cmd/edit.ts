/**
 * `kubectl edit`: opens the object as YAML in `$KUBE_EDITOR` / `$EDITOR` (default `vi`), then sends
 * the difference as a strategic merge patch (merge patch for kinds without a schema). An unchanged
 * or empty file cancels. Also `kubectl wait` and `kubectl completion`.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../../api/errors.js';
import { createTwoWayMergePatch, Schema } from '../../api/patch/index.js';
import type { KubectlCommand } from '../command.js';
import { kindPrefix, pathOf } from '../discovery.js';
import { apiErrorText, KubectlError, UsageError } from '../errors.js';
import { makeFactory } from '../factory.js';
import { parseDuration } from '../flags.js';
import { loadYAMLParser } from '../kubeconfig.js';
import { findResults, parseTemplate, relaxedJSONPath } from '../printers/jsonpath.js';
import { goJSON } from '../printers/json.js';
import { toYAML } from '../printers/yaml.js';
import { resolveResourceArgs } from '../resource-args.js';

type Obj = Record<string, any>;

const HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

export const editCommand: KubectlCommand = {
  name: 'edit',
  short: 'Edit a resource on the server',
  long: 'Edit a resource from the default editor.\n\n The edit command allows you to directly edit any API resource you can retrieve via the command-line tools. It will open the editor defined by your KUBE_EDITOR, or EDITOR environment variables, or fall back to \'vi\' for Linux or \'notepad\' for Windows.',
  usage: 'edit (RESOURCE/NAME | -f FILENAME) [options]',
  flags: [
    { name: 'output', short: 'o', kind: 'string', usage: 'Output format.' },
    { name: 'field-manager', kind: 'string', default: 'kubectl-edit', usage: 'Name of the manager used to track field ownership.' },
    { name: 'subresource', kind: 'string', usage: 'If specified, edit will operate on the subresource of the requested object.' },
  ],
  async run({ flags: f, io, args }) {
    if (args.length === 0) throw new UsageError('you must specify resources by --filename when --local is set.');
    const factory = await makeFactory(f, io);
    const editor = io.env.KUBE_EDITOR || io.env.EDITOR || 'vi';
    const parse = await loadYAMLParser();
    let code = 0;
    for (const req of await resolveResourceArgs(args, factory.discovery)) {
      for (const name of req.names) {
        const path = pathOf(req.resource, req.resource.namespaced ? factory.conn.namespace : undefined, name, f.string('subresource') || undefined);
        const label = `${kindPrefix(req.resource)}/${name}`;
        const original = await factory.transport.json<Obj>({ path });
        const shown = structuredClone(original);
        if (shown.metadata) delete shown.metadata.managedFields;
        const dir = mkdtempSync(join(tmpdir(), 'kubectl-edit-'));
        const file = join(dir, `${name}.yaml`);
        try {
          writeFileSync(file, HEADER + toYAML(shown));
          const r = spawnSync('sh', ['-c', `${editor} "$1"`, 'editor', file], { stdio: 'inherit', env: io.env as NodeJS.ProcessEnv });
          if (r.status !== 0) throw new KubectlError(`there was a problem with the editor "${editor}"`);
          const text = readFileSync(file, 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('\n');
          if (text.trim() === '') { io.err('Edit cancelled, no changes made.\n'); continue; }
          const edited = parse(text) as Obj;
          if (goJSON(edited) === goJSON(shown)) { io.err('Edit cancelled, no changes made.\n'); continue; }
          const gvk = { group: req.resource.group, version: req.resource.version, kind: req.resource.kind };
          const strategic = Schema.isKnownKind(gvk);
          const patch = createTwoWayMergePatch(shown, edited, gvk);
          await factory.transport.json({
            method: 'PATCH', path, body: JSON.stringify(patch),
            contentType: strategic ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json',
            query: { fieldManager: f.string('field-manager') },
          });
          io.out(`${label} edited\n`);
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          io.err(`error: ${label} could not be patched: ${apiErrorText(err).replace(/^Error from server \([^)]*\): /, '')}\n`);
          code = 1;
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    }
    return code;
  },
};

/** `kubectl wait --for=delete|condition=NAME[=VALUE]|jsonpath='{...}'=VALUE`. */
export const waitCommand: KubectlCommand = {
  name: 'wait',
  short: 'Experimental: Wait for a specific condition on one or many resources',
  usage: 'wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|delete|condition=available|jsonpath=\'{}\'[=value]] [options]',
  flags: [
    { name: 'all', kind: 'bool', usage: 'Select all resources in the namespace of the specified resource types' },
    { name: 'for', kind: 'string', usage: 'The condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath=\'{JSONPath expression}\'=[JSONPath value]].' },
    { name: 'selector', short: 'l', kind: 'string', usage: 'Selector (label query) to filter on' },
    { name: 'timeout', kind: 'duration', default: '30s', usage: 'The length of time to wait before giving up.  Zero means check once and don\'t wait, negative means wait for a week.' },
  ],
  async run({ flags: f, io, args }) {
    const spec = f.string('for');
    if (!spec) throw new KubectlError('--for must be specified');
    const timeoutMs = parseDuration(f.string('timeout')) ?? 30_000;
    const deadline = Date.now() + (timeoutMs < 0 ? 7 * 24 * 3600_000 : timeoutMs);
    const factory = await makeFactory(f, io);
    const items: { path: string; label: string; plural: string }[] = [];
    for (const req of await resolveResourceArgs(args, factory.discovery)) {
      const ns = req.resource.namespaced ? factory.conn.namespace : undefined;
      let names = req.names;
      if (!names.length) {
        if (!f.bool('all') && !f.string('selector')) throw new UsageError('resource(s) were provided, but no name was specified');
        names = (await factory.transport.json<{ items: Obj[] }>({ path: pathOf(req.resource, ns), query: { labelSelector: f.string('selector') || undefined } })).items.map((i) => i.metadata.name);
        if (!names.length) throw new KubectlError('no matching resources found');
      }
      for (const name of names) items.push({ path: pathOf(req.resource, ns, name), label: `${kindPrefix(req.resource)}/${name}`, plural: `${req.resource.resource}/${name}` });
    }
    const check = conditionCheck(spec);
    for (const it of items) {
      for (;;) {
        let obj: Obj | undefined;
        try {
          obj = await factory.transport.json<Obj>({ path: it.path });
        } catch (err) {
          if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
        }
        const verdict = check(obj);
        if (verdict) { io.out(`${it.label} ${verdict}\n`); break; }
        if (obj === undefined && spec !== 'delete' && spec !== 'create') throw new KubectlError(`${it.label.split('/')[0]}s "${it.label.split('/')[1]}" not found`);
        if (Date.now() >= deadline) throw new KubectlError(`timed out waiting for the condition on ${it.plural}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    return 0;
  },
};

/** The test for `--for`, returning what kubectl prints ("condition met", "deleted") when it holds. */
function conditionCheck(spec: string): (obj: Obj | undefined) => string | undefined {
  if (spec === 'delete') return (o) => (o === undefined ? 'deleted' : undefined);
  if (spec === 'create') return (o) => (o !== undefined ? 'condition met' : undefined);
  if (spec.startsWith('condition=')) {
    const rest = spec.slice('condition='.length);
    const eq = rest.indexOf('=');
    const [type, value] = eq >= 0 ? [rest.slice(0, eq), rest.slice(eq + 1)] : [rest, 'true'];
    return (o) => {
      const c = (o?.status?.conditions ?? []).find((x: Obj) => String(x.type).toLowerCase() === type.toLowerCase());
      return c && String(c.status).toLowerCase() === value.toLowerCase() ? 'condition met' : undefined;
    };
  }
  if (spec.startsWith('jsonpath=')) {
    const rest = spec.slice('jsonpath='.length);
    const m = /^(\{.*\})(?:=(.*))?$/.exec(rest) ?? /^([^=]*)(?:=(.*))?$/.exec(rest)!;
    const nodes = parseTemplate(relaxedJSONPath(m[1]));
    return (o) => {
      if (!o) return undefined;
      const found = findResults(nodes, o);
      if (m[2] === undefined) return found.length ? 'condition met' : undefined;
      return found.length === 1 && String(found[0]) === m[2] ? 'condition met' : undefined;
    };
  }
  throw new KubectlError(`unrecognized condition: "${spec}"`);
}

/** `kubectl completion bash|zsh`: completes command names, resource types and names via kubectl itself. */
export const completionCommand: KubectlCommand = {
  name: 'completion',
  short: 'Output shell completion code for the specified shell (bash, zsh, fish, or powershell)',
  usage: 'completion SHELL [options]',
  async run({ io, args }) {
    const shell = args[0];
    if (!shell) throw new UsageError('Shell not specified.');
    const { KUBECTL_COMMAND_NAMES } = await import('../registry.js');
    const words = KUBECTL_COMMAND_NAMES.join(' ');
    const bash = `# kubectl completion for bash (k8ts)
_k8ts_kubectl() {
  local cur prev words cword
  cur="\${COMP_WORDS[COMP_CWORD]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${words}" -- "$cur") )
    return
  fi
  case "\${COMP_WORDS[1]}" in
    get|describe|delete|edit|label|annotate|patch|scale|rollout|explain|wait)
      if [ "$COMP_CWORD" -eq 2 ]; then
        COMPREPLY=( $(compgen -W "$(kubectl api-resources --cached -o name 2>/dev/null | sed 's/\\..*//')" -- "$cur") )
      else
        COMPREPLY=( $(compgen -W "$(kubectl get "\${COMP_WORDS[2]}" -o name 2>/dev/null | sed 's|.*/||')" -- "$cur") )
      fi ;;
  esac
}
complete -o default -F _k8ts_kubectl kubectl
`;
    if (shell === 'bash') io.out(bash);
    else if (shell === 'zsh') io.out(`#compdef kubectl\nautoload -U +X bashcompinit && bashcompinit\n${bash}`);
    else throw new UsageError(`Unsupported shell type "${shell}".`);
    return 0;
  },
};
