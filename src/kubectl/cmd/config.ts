/**
 * `kubectl config ...`: reads and edits kubeconfig files (no server involved). Loading follows
 * kubeconfig.ts; an edit is written to the file that defines the stanza it changes.
 */
import { readFileSync } from 'node:fs';
import type { CommandEntry, Invocation, KubectlCommand } from '../command.js';
import { entryOf } from '../command.js';
import { loadConfig } from '../connection.js';
import { KubectlError, UsageError } from '../errors.js';
import { fileForNewStanza, mergedDocument, readForEdit, redact, writeKubeconfig, type LoadedConfig, type KubeconfigFile, type NamedCluster, type NamedContext, type NamedUser } from '../kubeconfig.js';
import { alignColumns } from '../printers/tabwriter.js';

async function edit(cfg: LoadedConfig, file: string, change: (doc: KubeconfigFile) => void): Promise<void> {
  const doc = await readForEdit(file);
  change(doc);
  await writeKubeconfig(file, doc);
}

function upsert<T extends { name: string }>(list: T[] | null | undefined, name: string, make: () => T): [T[], T, boolean] {
  const l = [...(list ?? [])];
  let item = l.find((x) => x.name === name);
  const created = !item;
  if (!item) {
    item = make();
    l.push(item);
  }
  return [l, item, created];
}

const view: KubectlCommand = {
  name: 'view',
  short: 'Display merged kubeconfig settings or a specified kubeconfig file',
  long: 'Display merged kubeconfig settings or a specified kubeconfig file.\n\n You can use --output jsonpath={...} to extract specific values using a jsonpath expression.',
  usage: 'config view [flags] [options]',
  flags: [
    { name: 'flatten', kind: 'bool', usage: 'Flatten the resulting kubeconfig file into self-contained output (useful for creating portable kubeconfig files)' },
    { name: 'merge', kind: 'bool', default: true, usage: 'Merge the full hierarchy of kubeconfig files' },
    { name: 'minify', kind: 'bool', usage: 'Remove all information not used by current-context from the output' },
    { name: 'output', short: 'o', kind: 'string', default: 'yaml', usage: 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).' },
    { name: 'raw', kind: 'bool', usage: 'Display raw byte data and sensitive data' },
  ],
  async run({ flags, io }) {
    const cfg = await loadConfig(flags, io.env);
    if (flags.isSet('context')) cfg.currentContext = flags.string('context');
    let doc = mergedDocument(cfg, flags.bool('minify'));
    if (!flags.bool('raw')) doc = redact(doc);
    const out = flags.isSet('output') ? flags.string('output') : 'yaml';
    if (out === 'json') {
      io.out(`${JSON.stringify(structOrder(doc), null, 4)}\n`);
      return 0;
    }
    const { outputFormat } = await import('../printers/output.js');
    io.out(outputFormat(out).printer!.print(doc));
    return 0;
  },
};

/** The v1 Config's Go field order, used by `-o json` (which kubectl prints from the typed struct). */
function structOrder(doc: KubeconfigFile): unknown {
  const pick = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries([...keys, ...Object.keys(o)].filter((k, i, a) => a.indexOf(k) === i && o[k] !== undefined).map((k) => [k, o[k]]));
  return {
    kind: 'Config', apiVersion: 'v1', preferences: doc.preferences ?? {},
    clusters: (doc.clusters ?? []).map((c) => ({ name: c.name, cluster: pick(c.cluster, ['server', 'tls-server-name', 'insecure-skip-tls-verify', 'certificate-authority', 'certificate-authority-data', 'proxy-url', 'disable-compression']) })),
    users: (doc.users ?? []).map((u) => ({ name: u.name, user: pick(u.user, ['client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'token', 'tokenFile', 'as', 'as-uid', 'as-groups', 'as-user-extra', 'username', 'password', 'auth-provider', 'exec']) })),
    contexts: (doc.contexts ?? []).map((c) => ({ name: c.name, context: pick(c.context, ['cluster', 'user', 'namespace']) })),
    'current-context': doc['current-context'] ?? '',
  };
}

const currentContext: KubectlCommand = {
  name: 'current-context',
  short: 'Display the current-context',
  usage: 'config current-context [flags] [options]',
  async run({ flags, io }) {
    const cfg = await loadConfig(flags, io.env);
    if (!cfg.currentContext) throw new KubectlError('current-context is not set');
    io.out(`${cfg.currentContext}\n`);
  },
};

const useContext: KubectlCommand = {
  name: 'use-context',
  aliases: ['use'],
  short: 'Set the current-context in a kubeconfig file',
  usage: 'config use-context CONTEXT_NAME [flags] [options]',
  async run({ flags, io, args }) {
    if (args.length !== 1) throw new UsageError('Unexpected args: ' + JSON.stringify(args));
    const cfg = await loadConfig(flags, io.env);
    const name = args[0];
    if (!cfg.contexts.has(name)) throw new KubectlError(`no context exists with the name: "${name}"`);
    await edit(cfg, cfg.currentContextFile ?? fileForNewStanza(cfg), (doc) => { doc['current-context'] = name; });
    io.out(`Switched to context "${name}".\n`);
  },
};

const getContexts: KubectlCommand = {
  name: 'get-contexts',
  short: 'Describe one or many contexts',
  usage: 'config get-contexts [(-o|--output=)name)] [flags] [options]',
  flags: [
    { name: 'no-headers', kind: 'bool', usage: "When using the default or custom-column output format, don't print headers (default print headers)." },
    { name: 'output', short: 'o', kind: 'string', usage: 'Output format. One of: (name).' },
  ],
  async run({ flags, io, args }) {
    const cfg = await loadConfig(flags, io.env);
    const out = flags.string('output');
    if (out !== '' && out !== 'name') throw new KubectlError(`output must be one of '' or 'name': ${out}`);
    const names = args.length ? args : [...cfg.contexts.keys()].sort();
    const missing = names.filter((n) => !cfg.contexts.has(n));
    const found = names.filter((n) => cfg.contexts.has(n));
    if (out === 'name') {
      io.out(found.map((n) => `${n}\n`).join(''));
    } else {
      const rows: string[][] = flags.bool('no-headers') ? [] : [['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE']];
      for (const n of found) {
        const c = cfg.contexts.get(n)!.value;
        rows.push([n === cfg.currentContext ? '*' : '', n, c.cluster ?? '', c.user ?? '', c.namespace ?? '']);
      }
      io.out(alignColumns(rows));
    }
    if (missing.length) throw new KubectlError(missing.map((n) => `context ${n} not found`).join('\n'));
  },
};

function namesCommand(name: string, short: string, pick: (c: LoadedConfig) => string[]): KubectlCommand {
  return {
    name, short, usage: `config ${name} [flags] [options]`,
    async run({ flags, io }) {
      const cfg = await loadConfig(flags, io.env);
      io.out(`NAME\n${pick(cfg).sort().map((n) => `${n}\n`).join('')}`);
    },
  };
}

const setContext: KubectlCommand = {
  name: 'set-context',
  short: 'Set a context entry in kubeconfig',
  usage: 'config set-context [NAME | --current] [--cluster=cluster_nickname] [--user=user_nickname] [--namespace=namespace] [flags] [options]',
  flags: [{ name: 'current', kind: 'bool', usage: 'Modify the current context' }],
  async run(inv: Invocation) {
    const { flags, io, args } = inv;
    const cfg = await loadConfig(flags, io.env);
    let name = args[0];
    if (flags.bool('current')) {
      if (args.length > 0) throw new UsageError('you cannot specify both a context name and --current');
      if (!cfg.currentContext) throw new KubectlError('no current context is set');
      name = cfg.currentContext;
    }
    if (!name) throw new UsageError('you must specify a non-empty context name or --current');
    const existing = cfg.contexts.get(name);
    let created = false;
    await edit(cfg, existing?.file ?? fileForNewStanza(cfg), (doc) => {
      const [list, item, isNew] = upsert<NamedContext>(doc.contexts, name, () => ({ name, context: {} }));
      created = isNew;
      for (const [flag, key] of [['cluster', 'cluster'], ['user', 'user'], ['namespace', 'namespace']] as const) {
        if (flags.isSet(flag)) item.context[key] = flags.string(flag);
      }
      doc.contexts = list;
    });
    io.out(`Context "${name}" ${created ? 'created' : 'modified'}.\n`);
  },
};

const deleteContext: KubectlCommand = {
  name: 'delete-context',
  short: 'Delete the specified context from the kubeconfig',
  usage: 'config delete-context CONTEXT_NAME [flags] [options]',
  async run({ flags, io, args }) {
    if (args.length !== 1) throw new UsageError('Unexpected args: ' + JSON.stringify(args));
    const cfg = await loadConfig(flags, io.env);
    const name = args[0];
    const c = cfg.contexts.get(name);
    if (!c) throw new KubectlError(`cannot delete context ${name}, not in ${cfg.chain.join(':')}`);
    if (cfg.currentContext === name) io.err(`warning: this removed your active context, use "kubectl config use-context" to select a different one\n`);
    await edit(cfg, c.file, (doc) => { doc.contexts = (doc.contexts ?? []).filter((x) => x.name !== name); });
    io.out(`deleted context ${name} from ${c.file}\n`);
  },
};

const renameContext: KubectlCommand = {
  name: 'rename-context',
  short: 'Rename a context from the kubeconfig file',
  usage: 'config rename-context CONTEXT_NAME NEW_NAME [flags] [options]',
  async run({ flags, io, args }) {
    if (args.length !== 2) throw new UsageError('Unexpected args: ' + JSON.stringify(args));
    const [from, to] = args;
    const cfg = await loadConfig(flags, io.env);
    const c = cfg.contexts.get(from);
    if (!c) throw new KubectlError(`cannot rename the context "${from}", it's not in ${cfg.chain.join(':')}`);
    if (cfg.contexts.has(to)) throw new KubectlError(`cannot rename the context "${from}", the context "${to}" already exists in ${cfg.chain.join(':')}`);
    await edit(cfg, c.file, (doc) => {
      for (const x of doc.contexts ?? []) if (x.name === from) x.name = to;
      if (doc['current-context'] === from) doc['current-context'] = to;
    });
    io.out(`Context "${from}" renamed to "${to}".\n`);
  },
};

const setCluster: KubectlCommand = {
  name: 'set-cluster',
  short: 'Set a cluster entry in kubeconfig',
  usage: 'config set-cluster NAME [--server=server] [--certificate-authority=path/to/certificate/authority] [--insecure-skip-tls-verify=true] [--tls-server-name=example.com] [flags] [options]',
  flags: [{ name: 'embed-certs', kind: 'bool', usage: 'embed-certs for the cluster entry in kubeconfig' }],
  async run({ flags, io, args }) {
    if (args.length !== 1) throw new UsageError('Unexpected args: ' + JSON.stringify(args));
    const name = args[0];
    const cfg = await loadConfig(flags, io.env);
    let created = false;
    await edit(cfg, cfg.clusters.get(name)?.file ?? fileForNewStanza(cfg), (doc) => {
      const [list, item, isNew] = upsert<NamedCluster>(doc.clusters, name, () => ({ name, cluster: {} }));
      created = isNew;
      if (flags.isSet('server')) item.cluster.server = flags.string('server');
      if (flags.isSet('insecure-skip-tls-verify')) item.cluster['insecure-skip-tls-verify'] = flags.bool('insecure-skip-tls-verify');
      if (flags.isSet('tls-server-name')) item.cluster['tls-server-name'] = flags.string('tls-server-name');
      if (flags.isSet('certificate-authority')) {
        if (flags.bool('embed-certs')) {
          item.cluster['certificate-authority-data'] = readB64(flags.string('certificate-authority'));
          delete item.cluster['certificate-authority'];
        } else {
          item.cluster['certificate-authority'] = flags.string('certificate-authority');
        }
      }
      doc.clusters = list;
    });
    io.out(`Cluster "${name}" ${created ? 'set' : 'set'}.\n`);
  },
};

const setCredentials: KubectlCommand = {
  name: 'set-credentials',
  short: 'Set a user entry in kubeconfig',
  usage: 'config set-credentials NAME [--client-certificate=path/to/certfile] [--client-key=path/to/keyfile] [--token=bearer_token] [--username=basic_user] [--password=basic_password] [flags] [options]',
  flags: [{ name: 'embed-certs', kind: 'bool', usage: 'Embed client cert/key for the user entry in kubeconfig' }],
  async run({ flags, io, args }) {
    if (args.length !== 1) throw new UsageError('Unexpected args: ' + JSON.stringify(args));
    const name = args[0];
    const cfg = await loadConfig(flags, io.env);
    await edit(cfg, cfg.users.get(name)?.file ?? fileForNewStanza(cfg), (doc) => {
      const [list, item] = upsert<NamedUser>(doc.users, name, () => ({ name, user: {} }));
      for (const k of ['token', 'username', 'password'] as const) if (flags.isSet(k)) item.user[k] = flags.string(k);
      for (const k of ['client-certificate', 'client-key'] as const) {
        if (!flags.isSet(k)) continue;
        if (flags.bool('embed-certs')) {
          item.user[`${k}-data`] = readB64(flags.string(k));
          delete item.user[k];
        } else {
          item.user[k] = flags.string(k);
        }
      }
      doc.users = list;
    });
    io.out(`User "${name}" set.\n`);
  },
};

function readB64(file: string): string {
  return readFileSync(file).toString('base64');
}

const subcommands: CommandEntry[] = [
  currentContext, deleteContext, namesCommand('get-clusters', 'Display clusters defined in the kubeconfig', (c) => [...c.clusters.keys()]),
  getContexts, namesCommand('get-users', 'Display users defined in the kubeconfig', (c) => [...c.users.keys()]),
  renameContext, setCluster, setContext, setCredentials, useContext, view,
].map((c) => entryOf(c));

export const command: KubectlCommand = {
  name: 'config',
  short: 'Modify kubeconfig files',
  long: `Modify kubeconfig files using subcommands like "kubectl config set current-context my-context".

 The loading order follows these rules:

  1.  If the --kubeconfig flag is set, then only that file is loaded. The flag may only be set once and no merging takes place.
  2.  If $KUBECONFIG environment variable is set, then it is used as a list of paths (normal path delimiting rules for your system). These paths are merged. When a value is modified, it is modified in the file that defines the stanza. When a value is created, it is created in the first file that exists. If no files in the chain exist, then it creates the last file in the list.
  3.  Otherwise, \${HOME}/.kube/config is used and no merging takes place.
  4.  k8ts: when none of these exists, the local k8ts server's admin kubeconfig is used.`,
  usage: 'config SUBCOMMAND [options]',
  subcommands,
};
