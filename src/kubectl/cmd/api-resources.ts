/** `kubectl api-resources` and `kubectl api-versions`: what discovery reports, in kubectl's layout. */
import type { KubectlCommand } from '../command.js';
import { KubectlError } from '../errors.js';
import { makeFactory } from '../factory.js';
import { alignColumns } from '../printers/tabwriter.js';

export const apiResourcesCommand: KubectlCommand = {
  name: 'api-resources',
  short: 'Print the supported API resources on the server',
  long: 'Print the supported API resources on the server.',
  usage: 'api-resources [flags] [options]',
  flags: [
    { name: 'api-group', kind: 'string', usage: 'Limit to resources in the specified API group.' },
    { name: 'cached', kind: 'bool', usage: 'Use the cached list of resources if available.' },
    { name: 'categories', kind: 'stringSlice', usage: 'Limit to resources that belong to the specified categories.' },
    { name: 'namespaced', kind: 'bool', default: true, usage: 'If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default.' },
    { name: 'no-headers', kind: 'bool', usage: "When using the default or custom-column output format, don't print headers (default print headers)." },
    { name: 'output', short: 'o', kind: 'string', usage: 'Output format. One of: (wide, name).' },
    { name: 'sort-by', kind: 'string', usage: "If non-empty, sort list of resources using specified field. The field can be either 'name' or 'kind'." },
    { name: 'verbs', kind: 'stringSlice', usage: 'Limit to resources that support the specified verbs.' },
  ],
  async run({ flags: f, io }) {
    const out = f.string('output');
    if (out !== '' && out !== 'wide' && out !== 'name') throw new KubectlError(`--output ${out} is not available`);
    const factory = await makeFactory(f, io);
    let all = await factory.discovery.resources(!f.bool('cached'));
    if (f.isSet('api-group')) all = all.filter((r) => r.group === f.string('api-group'));
    if (f.isSet('namespaced')) all = all.filter((r) => r.namespaced === f.bool('namespaced'));
    for (const v of f.strings('verbs')) all = all.filter((r) => r.verbs.includes(v));
    for (const c of f.strings('categories')) all = all.filter((r) => r.categories.includes(c));
    const sortBy = f.string('sort-by');
    if (sortBy && sortBy !== 'name' && sortBy !== 'kind') throw new KubectlError(`--sort-by accepts only name or kind`);
    all = [...all].sort((a, b) => {
      if (sortBy === 'kind') return a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
      if (sortBy === 'name') return a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0;
      // kubectl's default: by group, then by resource name
      if (a.group !== b.group) return a.group < b.group ? -1 : 1;
      return a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0;
    });
    if (out === 'name') {
      io.out(all.map((r) => `${r.group ? `${r.resource}.${r.group}` : r.resource}\n`).join(''));
      return 0;
    }
    const rows: string[][] = f.bool('no-headers') ? [] : [['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(out === 'wide' ? ['VERBS', 'CATEGORIES'] : [])]];
    for (const r of all) {
      rows.push([r.resource, r.shortNames.join(','), r.group ? `${r.group}/${r.version}` : r.version, String(r.namespaced), r.kind,
        ...(out === 'wide' ? [[...r.verbs].sort().join(','), r.categories.join(',')] : [])]);
    }
    io.out(alignColumns(rows));
    return 0;
  },
};

export const apiVersionsCommand: KubectlCommand = {
  name: 'api-versions',
  short: 'Print the supported API versions on the server, in the form of "group/version"',
  usage: 'api-versions [flags] [options]',
  async run({ flags: f, io }) {
    const factory = await makeFactory(f, io);
    const versions = new Set<string>();
    const core = await factory.transport.json<{ versions?: string[] }>({ path: '/api' });
    for (const v of core.versions ?? []) versions.add(v);
    const groups = await factory.transport.json<{ groups?: { versions: { groupVersion: string }[] }[] }>({ path: '/apis' });
    for (const g of groups.groups ?? []) for (const v of g.versions) versions.add(v.groupVersion);
    io.out([...versions].sort().map((v) => `${v}\n`).join(''));
    return 0;
  },
};
