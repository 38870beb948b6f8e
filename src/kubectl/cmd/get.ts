/**
 * `kubectl get`: lists or reads resources and prints them. The default and `-o wide` output is the
 * server's Table (server-side printing); the other formats print the objects themselves.
 */
import type { KubectlCommand, Invocation } from '../command.js';
import { kindPrefix, pathOf, qualifiedName, type ApiResource } from '../discovery.js';
import { KubectlError, UsageError } from '../errors.js';
import { makeFactory, type Factory } from '../factory.js';
import type { FlagDef } from '../flags.js';
import type { OutputFormat } from '../printers/output.js';
import { printTable, tableCells, type Table } from '../printers/table.js';
import { alignColumns } from '../printers/tabwriter.js';
import { resolveResourceArgs, type ResourceRequest } from '../resource-args.js';
import { ApiError } from '../../api/errors.js';

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

const flags: FlagDef[] = [
  { name: 'all-namespaces', short: 'A', kind: 'bool', usage: 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.' },
  { name: 'allow-missing-template-keys', kind: 'bool', default: true, usage: 'If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.' },
  { name: 'chunk-size', kind: 'int', default: 500, usage: 'Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future.' },
  { name: 'field-selector', kind: 'string', usage: "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type." },
  { name: 'filename', short: 'f', kind: 'stringSlice', usage: 'Filename, directory, or URL to files identifying the resource to get from a server.' },
  { name: 'ignore-not-found', kind: 'bool', usage: 'If the requested object does not exist the command will return exit code 0.' },
  { name: 'label-columns', short: 'L', kind: 'stringSlice', usage: 'Accepts a comma separated list of labels that are going to be presented as columns. Names are case-sensitive. You can also use multiple flag options like -L label1 -L label2...' },
  { name: 'no-headers', kind: 'bool', usage: "When using the default or custom-column output format, don't print headers (default print headers)." },
  { name: 'output', short: 'o', kind: 'string', usage: 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, custom-columns, custom-columns-file, wide). See custom columns [https://kubernetes.io/docs/reference/kubectl/#custom-columns], golang template [http://golang.org/pkg/text/template/#pkg-overview] and jsonpath template [https://kubernetes.io/docs/reference/kubectl/jsonpath/].' },
  { name: 'output-watch-events', kind: 'bool', usage: 'Output watch event objects when --watch or --watch-only is used. Existing objects are output as initial ADDED events.' },
  { name: 'raw', kind: 'string', usage: 'Raw URI to request from the server.  Uses the transport specified by the kubeconfig file.' },
  { name: 'recursive', short: 'R', kind: 'bool', usage: 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.' },
  { name: 'selector', short: 'l', kind: 'string', usage: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints." },
  { name: 'server-print', kind: 'bool', default: true, usage: 'If true, have the server return the appropriate table output. Supports extension APIs and CRDs.' },
  { name: 'show-kind', kind: 'bool', usage: 'If present, list the resource type for the requested object(s).' },
  { name: 'show-labels', kind: 'bool', usage: 'When printing, show all labels as the last column (default hide labels column)' },
  { name: 'show-managed-fields', kind: 'bool', usage: 'If true, keep the managedFields when printing objects in JSON or YAML format.' },
  { name: 'sort-by', kind: 'string', usage: "If non-empty, sort list types using this field specification.  The field specification is expressed as a JSONPath expression (e.g. '{.metadata.name}'). The field in the API resource specified by this JSONPath expression must be an integer or a string." },
  { name: 'subresource', kind: 'string', usage: 'If specified, gets the subresource of the requested object.' },
  { name: 'template', kind: 'string', usage: 'Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].' },
  { name: 'watch', short: 'w', kind: 'bool', usage: 'After listing/getting the requested object, watch for changes.' },
  { name: 'watch-only', kind: 'bool', usage: 'Watch for changes to the requested object(s), without listing/getting first.' },
];

export const command: KubectlCommand = {
  name: 'get',
  short: 'Display one or many resources',
  long: `Display one or many resources.

 Prints a table of the most important information about the specified resources. You can filter the list using a label selector and the --selector flag. If the desired resource type is namespaced you will only see results in the current namespace if you don't specify any namespace.

Use "kubectl api-resources" for a complete list of supported resources.`,
  examples: `  # List all pods in ps output format
  kubectl get pods

  # List all pods in ps output format with more information (such as node name)
  kubectl get pods -o wide

  # List deployments in JSON output format, in the "v1" version of the "apps" API group
  kubectl get deployments.v1.apps -o json

  # Return only the phase value of the specified pod
  kubectl get -o jsonpath='{.status.phase}' pod/web-pod-13je7

  # List all pods existing in all namespaces
  kubectl get pods --all-namespaces`,
  usage: 'get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]',
  flags,
  run,
};

async function run(inv: Invocation): Promise<number> {
  const { flags: f, args, io } = inv;
  // The object printers (YAML, JSON, JSONPath, ...) are loaded only when asked for: `get` with the
  // default table output is the hot path, and every module loaded costs start-up time.
  const o = f.string('output');
  const format: OutputFormat = o === '' ? { kind: 'table' } : o === 'wide' ? { kind: 'table', wide: true }
    : (await import('../printers/output.js')).outputFormat(o, { noHeaders: f.bool('no-headers'), cwd: io.cwd });
  if (f.bool('show-labels') && format.kind !== 'table') throw new KubectlError(`--show-labels option cannot be used with ${f.string('output')} printer`);
  if (args.length === 0 && f.strings('filename').length === 0 && !f.string('raw')) {
    io.err('You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\n');
    throw new UsageError('Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).');
  }
  const factory = await makeFactory(f, io);
  if (f.string('raw')) {
    const res = await factory.transport.request({ path: f.string('raw') });
    io.out(res.body);
    return 0;
  }
  const requests = await resolveResourceArgs(args, factory.discovery);
  const allNs = f.bool('all-namespaces');
  const namespace = allNs ? undefined : factory.conn.namespace;
  if (f.bool('watch') || f.bool('watch-only')) return watch(inv, factory, requests, format, namespace, allNs);
  let exit = 0;
  const errors: string[] = [];

  // Fetch everything first (kubectl prints after all requests), keeping per-name errors.
  interface Fetched { req: ResourceRequest; tables: Table[]; objects: unknown[] }
  const fetched: Fetched[] = [];
  for (const req of requests) {
    const one: Fetched = { req, tables: [], objects: [] };
    fetched.push(one);
    const ns = req.resource.namespaced ? namespace : undefined;
    const query = {
      labelSelector: f.string('selector') || undefined,
      fieldSelector: f.string('field-selector') || undefined,
      includeObject: format.kind === 'table' && f.string('sort-by') ? 'Object' : undefined,
    };
    if (req.names.length === 0) {
      const list = await listAll(factory, req.resource, ns, query, format.kind === 'table', f.int('chunk-size'));
      if (format.kind === 'table') one.tables.push(list as Table);
      else one.objects.push(...withTypeMeta(req.resource, (list as { items?: unknown[] }).items ?? []));
      continue;
    }
    for (const name of req.names) {
      try {
        const obj = await factory.transport.json({
          path: pathOf(req.resource, ns, name, f.string('subresource') || undefined),
          accept: format.kind === 'table' ? TABLE_ACCEPT : 'application/json',
          query: { includeObject: query.includeObject },
        });
        if (format.kind === 'table') one.tables.push(asTable(obj, req.resource));
        else one.objects.push(obj);
      } catch (err) {
        if (err instanceof ApiError && err.reason === 'NotFound' && f.bool('ignore-not-found')) continue;
        if (err instanceof ApiError && err.reason === 'NotFound') {
          errors.push(`Error from server (NotFound): ${err.message}`);
          exit = 1;
          continue;
        }
        throw err;
      }
    }
  }

  const namedRequest = requests.some((r) => r.names.length > 0);
  if (format.kind === 'table') {
    const kinds = new Set(fetched.map((x) => x.req.resource));
    const withKind = kinds.size > 1 || f.bool('show-kind');
    let printedAny = false;
    for (const x of fetched) {
      const merged = mergeTables(x.tables);
      if (!merged || merged.rows.length === 0) continue;
      if (f.string('sort-by')) await sortRows(merged, f.string('sort-by'));
      if (printedAny && !f.bool('no-headers')) io.out('\n');
      io.out(printTable(merged, {
        wide: format.wide, noHeaders: f.bool('no-headers'), withNamespace: allNs && x.req.resource.namespaced,
        showLabels: f.bool('show-labels'), labelColumns: f.strings('label-columns'),
        kindPrefix: withKind ? kindPrefix(x.req.resource) : undefined,
        color: io.isTTY && !io.env.NO_COLOR,
      }));
      printedAny = true;
    }
    for (const e of errors) io.err(`${e}\n`);
    if (!printedAny && errors.length === 0 && !namedRequest) io.err(noResources(requests, allNs, namespace));
    return exit;
  }

  let objects = fetched.flatMap((x) => x.objects);
  if (!f.bool('show-managed-fields')) objects = objects.map(stripManagedFields);
  if (f.string('sort-by')) objects = await sortObjects(objects, f.string('sort-by'));
  const single = objects.length === 1 && requests.length === 1 && requests[0].names.length === 1;
  if (objects.length > 0 || !namedRequest) {
    io.out(format.printer!.print(single ? objects[0] : { apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } }));
  }
  for (const e of errors) io.err(`${e}\n`);
  return exit;
}

/**
 * `get -w` / `--watch-only`: lists (unless watch-only), then follows the watch from the list's
 * resourceVersion. Each event prints one row through its own tabwriter flush, as kubectl does.
 */
async function watch(inv: Invocation, factory: Factory, requests: ResourceRequest[], format: OutputFormat, namespace: string | undefined, allNs: boolean): Promise<number> {
  const { flags: f, io } = inv;
  if (requests.length !== 1) throw new KubectlError('you may only specify a single resource type');
  if (requests[0].names.length > 1) throw new KubectlError(`watch is only supported on individual resources and resource collections, but ${requests[0].names.length} resources were found`);
  const req = requests[0];
  const r = req.resource;
  const ns = r.namespaced ? namespace : undefined;
  const table = format.kind === 'table';
  const query: Record<string, string | undefined> = {
    labelSelector: f.string('selector') || undefined,
    fieldSelector: req.names.length ? `metadata.name=${req.names[0]}` : f.string('field-selector') || undefined,
  };
  const opts = {
    wide: format.wide, noHeaders: f.bool('no-headers'), withNamespace: allNs && r.namespaced,
    showLabels: f.bool('show-labels'), labelColumns: f.strings('label-columns'),
  };
  let rv = '';
  let headerPrinted = f.bool('no-headers');
  const eventColumn = f.bool('output-watch-events');
  // kubectl's tabwriter remembers column widths across flushes while watching: columns only grow.
  const widths: number[] = eventColumn ? ['MODIFIED'.length + 3] : [];
  const printTableEvent = (t: Table, type?: string) => {
    let cells = tableCells(t, { ...opts, noHeaders: headerPrinted });
    if (eventColumn) cells = cells.map((row, i) => [!headerPrinted && i === 0 ? 'EVENT' : type ?? 'ADDED', ...row]);
    if (cells.length) io.out(alignColumns(cells, undefined, undefined, widths));
    if (t.rows.length) headerPrinted = true;
  };
  if (!f.bool('watch-only')) {
    const list = await factory.transport.json<Record<string, unknown> & { metadata?: { resourceVersion?: string } }>({
      path: pathOf(r, ns), accept: table ? TABLE_ACCEPT : 'application/json', query,
    });
    rv = list.metadata?.resourceVersion ?? '';
    if (table) {
      const t = asTable(list, r);
      if (t.rows.length) printTableEvent(t);
      else io.err(noResources(requests, allNs, namespace));
    } else {
      for (const item of withTypeMeta(r, (list.items as unknown[]) ?? [])) io.out(format.printer!.print(item));
    }
  }
  const stream = await factory.transport.stream({
    path: pathOf(r, ns), accept: table ? TABLE_ACCEPT : 'application/json',
    query: { ...query, watch: 'true', resourceVersion: rv || undefined },
  });
  let buf = '';
  for await (const chunk of stream) {
    buf += (chunk as Buffer).toString('utf8');
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (!line) continue;
      const ev = JSON.parse(line) as { type: string; object: Record<string, unknown> };
      if (ev.type === 'ERROR') throw ApiError.fromStatus(ev.object as never);
      if (ev.type === 'BOOKMARK') continue;
      if (table) printTableEvent(asTable(ev.object, r), ev.type);
      else io.out(format.printer!.print(ev.object));
    }
  }
  return 0;
}

async function listAll(factory: Factory, r: ApiResource, ns: string | undefined, query: Record<string, string | undefined>, table: boolean, chunk: number): Promise<unknown> {
  let result: { items?: unknown[]; rows?: unknown[]; metadata?: { continue?: string } } | undefined;
  let cont: string | undefined;
  do {
    const page = await factory.transport.json<typeof result & object>({
      path: pathOf(r, ns),
      accept: table ? TABLE_ACCEPT : 'application/json',
      query: { ...query, limit: chunk > 0 ? chunk : undefined, continue: cont },
    });
    if (!result) result = page;
    else if (page.rows) result.rows = [...(result.rows ?? []), ...page.rows];
    else result.items = [...(result.items ?? []), ...(page.items ?? [])];
    cont = page.metadata?.continue || undefined;
  } while (cont);
  if (table) return asTable(result, r);
  return result;
}

/** A list's items carry no kind/apiVersion on the wire; kubectl fills them in before printing. */
function withTypeMeta(r: ApiResource, items: unknown[]): unknown[] {
  const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
  return items.map((it) => ({ apiVersion, kind: r.kind, ...(it as object) }));
}

function stripManagedFields(obj: unknown): unknown {
  const o = obj as { metadata?: { managedFields?: unknown } };
  if (!o?.metadata?.managedFields) return obj;
  const { managedFields: _, ...metadata } = o.metadata;
  return { ...o, metadata };
}

/** A plain object or list (a server without Table support) becomes a NAME / AGE table. */
function asTable(obj: unknown, r: ApiResource): Table {
  const o = obj as { kind?: string; items?: unknown[] };
  if (o?.kind === 'Table') return obj as Table;
  const items = Array.isArray(o?.items) ? o.items : [obj];
  void r;
  return {
    kind: 'Table', apiVersion: 'meta.k8s.io/v1',
    columnDefinitions: [{ name: 'Name', type: 'string', format: 'name', priority: 0 }, { name: 'Age', type: 'string', priority: 0 }],
    rows: items.map((it) => {
      const m = (it as { metadata?: { name?: string; creationTimestamp?: string } }).metadata ?? {};
      return { cells: [m.name ?? '', m.creationTimestamp ? shortAge(Date.now() - Date.parse(m.creationTimestamp)) : '<unknown>'], object: it as never };
    }),
  };
}

/** duration.HumanDuration, as upstream's AGE columns print it. */
export function shortAge(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 24 * 8) return h % 24 === 0 ? `${Math.floor(h / 24)}d` : `${Math.floor(h / 24)}d${h % 24}h`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24)}d`;
  if (h < 24 * 365 * 8) { const y = Math.floor(h / 24 / 365); const d = Math.floor(h / 24) % 365; return d === 0 ? `${y}y` : `${y}y${d}d`; }
  return `${Math.floor(h / 24 / 365)}y`;
}

function mergeTables(tables: Table[]): Table | undefined {
  if (tables.length === 0) return undefined;
  return { ...tables[0], rows: tables.flatMap((t) => t.rows) };
}

function sortKey(v: unknown): string | number {
  return typeof v === 'number' ? v : typeof v === 'string' ? v : JSON.stringify(v ?? '');
}

function compare(a: unknown, b: unknown): number {
  const ka = sortKey(a);
  const kb = sortKey(b);
  if (typeof ka === 'number' && typeof kb === 'number') return ka - kb;
  return String(ka) < String(kb) ? -1 : String(ka) > String(kb) ? 1 : 0;
}

async function sortObjects(objects: unknown[], spec: string): Promise<unknown[]> {
  const { findResults, parseTemplate, relaxedJSONPath } = await import('../printers/jsonpath.js');
  const nodes = parseTemplate(relaxedJSONPath(spec));
  return [...objects].sort((a, b) => compare(findResults(nodes, a)[0], findResults(nodes, b)[0]));
}

async function sortRows(table: Table, spec: string): Promise<void> {
  const { findResults, parseTemplate, relaxedJSONPath } = await import('../printers/jsonpath.js');
  const nodes = parseTemplate(relaxedJSONPath(spec));
  table.rows.sort((a, b) => compare(findResults(nodes, a.object)[0], findResults(nodes, b.object)[0]));
}

function noResources(requests: ResourceRequest[], allNs: boolean, namespace: string | undefined): string {
  const namespaced = requests.some((r) => r.resource.namespaced);
  if (allNs || !namespaced) return 'No resources found\n';
  return `No resources found in ${namespace} namespace.\n`;
}

export { qualifiedName };
