/**
 * `kubectl explain RESOURCE[.field...]`: field documentation from the server's OpenAPI v3 documents
 * (`/openapi/v3` lists one document per group-version), printed in kubectl's plaintext layout.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { KubectlCommand } from '../command.js';
import { KubectlError, UsageError } from '../errors.js';
import { makeFactory } from '../factory.js';
import { resolveTypes } from '../resource-args.js';

type Schema = Record<string, any>;

const WIDTH = 80;

/** Greedy word wrap of each paragraph to `WIDTH - indent` columns, every line indented. */
export function wrap(text: string, indent: number): string {
  const max = WIDTH - indent;
  const pad = ' '.repeat(indent);
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(' ').filter((w) => w !== '')) {
      if (line && line.length + 1 + word.length > max) { out.push(pad + line); line = word; } else line = line ? `${line} ${word}` : word;
    }
    out.push(pad + line);
  }
  return `${out.join('\n')}\n`;
}

/** An enum as kubectl's template prints it: `""` for the empty string, at most 4 values then `....`. */
function enumText(values: unknown[]): string {
  const shown = values.slice(0, 4).map((v) => (v === '' ? '""' : String(v)));
  return values.length > 4 ? `${shown.join(', ')}, ....` : shown.join(', ');
}

class Schemas {
  constructor(private readonly all: Record<string, Schema>) {}

  /** Follows `$ref` (also inside a single-element `allOf`). */
  deref(s: Schema | undefined): Schema | undefined {
    if (!s) return s;
    const ref = s.$ref ?? (Array.isArray(s.allOf) && s.allOf.length === 1 ? s.allOf[0].$ref : undefined);
    if (typeof ref === 'string') return this.all[ref.replace('#/components/schemas/', '')];
    return s;
  }

  refName(s: Schema | undefined): string | undefined {
    const ref = s?.$ref ?? (Array.isArray(s?.allOf) && s!.allOf.length === 1 ? s!.allOf[0].$ref : undefined);
    return typeof ref === 'string' ? ref.split('.').pop() : undefined;
  }

  /** `<[]ContainerPort>`, `<map[string]string>`, `<integer>`, `<Object>`... */
  typeName(s: Schema | undefined): string {
    if (!s) return 'Object';
    const name = this.refName(s);
    if (name) {
      const target = this.deref(s);
      if (target && target.type && target.type !== 'object' && !target.properties) return target.type;
      if (target && !target.type && !target.properties && target['x-kubernetes-int-or-string']) return name;
      return name;
    }
    if (s.type === 'array') return `[]${this.typeName(s.items)}`;
    if (s.type === 'object' && s.additionalProperties) return `map[string]${this.typeName(s.additionalProperties)}`;
    if (s.type === 'object' || !s.type) return 'Object';
    return s.type;
  }

  /** The schema whose fields a value of `s` has (arrays and maps look through to their items). */
  fieldsOf(s: Schema | undefined): Schema | undefined {
    let cur = this.deref(s);
    while (cur && (cur.type === 'array' || (cur.type === 'object' && cur.additionalProperties && !cur.properties))) {
      cur = this.deref(cur.type === 'array' ? cur.items : cur.additionalProperties);
    }
    return cur;
  }
}

export const explainCommand: KubectlCommand = {
  name: 'explain',
  short: 'Get documentation for a resource',
  long: 'Describe fields and structure of various resources.\n\n This command describes the fields associated with each supported API resource. Fields are identified via a simple JSONPath identifier:\n\n        <type>.<fieldName>[.<fieldName>]',
  examples: '  # Get the documentation of the resource and its fields\n  kubectl explain pods\n\n  # Get the documentation of a specific field of a resource\n  kubectl explain pods.spec.containers',
  usage: 'explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [-o|--output=plaintext|plaintext-openapiv2] [options]',
  flags: [
    { name: 'api-version', kind: 'string', usage: 'Use given api-version (group/version) of the resource.' },
    { name: 'output', short: 'o', kind: 'string', default: 'plaintext', usage: 'Format in which to render the schema. Valid values are: (plaintext, plaintext-openapiv2).' },
    { name: 'recursive', kind: 'bool', usage: 'When true, print the name of all the fields recursively. Otherwise, print the available fields with their description.' },
  ],
  async run({ flags: f, io, args }) {
    if (args.length === 0) {
      io.err('You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.\n\n');
      throw new UsageError('Required resource not specified.');
    }
    if (args.length > 1) throw new UsageError(`We accept only this format: explain RESOURCE`);
    const [typed, ...path] = args[0].split('.');
    const factory = await makeFactory(f, io);
    let r;
    try {
      [r] = await resolveTypes(typed, factory.discovery);
    } catch (err) {
      // explain reports an unknown type without the "error: " prefix.
      if (err instanceof KubectlError) throw new KubectlError(err.message, true);
      throw err;
    }
    const index = await factory.transport.json<{ paths: Record<string, { serverRelativeURL: string }> }>({ path: '/openapi/v3' });
    const gvPath = r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`;
    const entry = index.paths[gvPath];
    if (!entry) throw new KubectlError(`couldn't find resource for "${r.group ? `${r.group}/${r.version}` : r.version}, Kind=${r.kind}"`);
    const doc = await factory.transport.json<{ components?: { schemas?: Record<string, Schema> } }>({ path: entry.serverRelativeURL.split('?')[0], query: Object.fromEntries(new URLSearchParams(entry.serverRelativeURL.split('?')[1] ?? '')) });
    const all = doc.components?.schemas ?? {};
    const schemas = new Schemas(all);
    const kindSchema = Object.values(all).find((s) => (s['x-kubernetes-group-version-kind'] ?? []).some((g: any) => g.group === r.group && g.version === r.version && g.kind === r.kind));
    if (!kindSchema) throw new KubectlError(`couldn't find resource for "${r.group ? `${r.group}/${r.version}` : r.version}, Kind=${r.kind}"`);
    let out = r.group ? `GROUP:      ${r.group}\n` : '';
    out += `KIND:       ${r.kind}\nVERSION:    ${r.version}\n\n`;
    let field: Schema | undefined;
    let fieldName = '';
    let cur: Schema | undefined = kindSchema;
    for (const p of path) {
      const holder = schemas.fieldsOf(cur);
      const next = holder?.properties?.[p];
      if (!next) {
        io.out(out);
        throw new KubectlError(`field "${p}" does not exist`);
      }
      field = next;
      fieldName = p;
      cur = next;
    }
    const target = field ? schemas.fieldsOf(field) : kindSchema;
    if (field) out += `FIELD: ${fieldName} <${schemas.typeName(field)}>\n\n`;
    out += `${field ? '\n' : ''}DESCRIPTION:\n`;
    if (field?.description) out += wrap(field.description, 4);
    const typeDesc = field ? (schemas.refName(field) || field.type === 'array' ? target?.description : undefined) : kindSchema.description;
    if (typeDesc && typeDesc !== field?.description) out += wrap(typeDesc, 4);
    out += '    \n';
    const props = target?.properties as Record<string, Schema> | undefined;
    if (props && Object.keys(props).length) {
      out += 'FIELDS:\n';
      if (f.bool('recursive')) {
        out += recursiveFields(schemas, target!, 1, new Set());
      } else {
        const required = new Set<string>(target?.required ?? []);
        for (const name of Object.keys(props).sort()) {
          const p = props[name];
          out += `  ${name}\t<${schemas.typeName(p)}>${required.has(name) ? ' -required-' : ''}\n`;
          const en = p.enum ?? schemas.deref(p)?.enum;
          if (Array.isArray(en)) out += `  enum: ${enumText(en)}\n`;
          if (p.description) out += wrap(p.description, 4);
          out += '\n';
        }
      }
    }
    out += '\n';
    io.out(out);
    return 0;
  },
};

function recursiveFields(schemas: Schemas, s: Schema, depth: number, seen: Set<Schema>): string {
  let out = '';
  const props = (s.properties ?? {}) as Record<string, Schema>;
  const required = new Set<string>(s.required ?? []);
  for (const name of Object.keys(props).sort()) {
    const p = props[name];
    out += `${'  '.repeat(depth)}${name}\t<${schemas.typeName(p)}>${required.has(name) ? ' -required-' : ''}\n`;
    const en = p.enum ?? schemas.deref(p)?.enum;
    if (Array.isArray(en)) out += `${'  '.repeat(depth)}enum: ${enumText(en)}\n`;
    const inner = schemas.fieldsOf(p);
    if (inner?.properties && !seen.has(inner)) {
      seen.add(inner);
      out += recursiveFields(schemas, inner, depth + 1, seen);
      seen.delete(inner);
    }
  }
  return out;
}
