/**
 * Builds the text of `src/api/schema/generated/types.ts`, the field table of every API type k8ts serves.
 *
 * Facts come from two places, both already on the development machine:
 * - the protobuf file descriptors that the kubectl 1.32 binary embeds (gzipped FileDescriptorProtos of
 *   upstream's `generated.proto` files, registered by gogo-protobuf): field names, numbers, wire types,
 *   and whether a field is a Go pointer (`(gogoproto.nullable)` unset) or a value;
 * - @kubernetes/client-node's model declarations: which fields the upstream schema marks required
 *   (declared without `?`), and JSON names where they differ from proto names.
 * No prose is taken from either. `generate.ts` is the command that writes the file.
 */
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { KINDS, EXTRA_ROOT_KINDS, protoPackage, schemaNameOfProto } from '../kinds.js';
import { INLINE, POINTER, REPEATED, REQUIRED } from '../table.js';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '../../../../..');

interface FieldDesc { name: string; number: number; label: number; type: number; typeName?: string; options?: { nullable?: boolean; customname?: string } }
interface MessageDesc { name: string; field?: FieldDesc[]; nestedType?: MessageDesc[]; options?: { mapEntry?: boolean } }
interface FileDesc { name: string; package: string; messageType?: MessageDesc[] }

/** Reads the gzipped FileDescriptorProtos embedded in a Go binary. */
function embeddedDescriptors(binary: string): FileDesc[] {
  const root = protobuf.Root.fromJSON(require('protobufjs/google/protobuf/descriptor.json'));
  const fieldOptions = root.lookupType('google.protobuf.FieldOptions');
  fieldOptions.add(new protobuf.Field('nullable', 65001, 'bool')); // (gogoproto.nullable)
  fieldOptions.add(new protobuf.Field('customname', 65004, 'string')); // (gogoproto.customname): the Go field name
  const fdp = root.lookupType('google.protobuf.FileDescriptorProto');
  const buf = readFileSync(binary);
  const gzipHeader = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0x02, 0xff]);
  const files = new Map<string, FileDesc>();
  for (let i = buf.indexOf(gzipHeader); i >= 0; i = buf.indexOf(gzipHeader, i + 1)) {
    let raw: Buffer;
    try { raw = inflateRawSync(buf.subarray(i + 10, i + 10 + 8_000_000)); } catch { continue; }
    try {
      const fd = fdp.toObject(fdp.decode(raw)) as FileDesc;
      if (fd.name?.startsWith('k8s.io/')) files.set(fd.name, fd);
    } catch { /* not a descriptor */ }
  }
  return [...files.values()];
}

const SCALAR_OF: Record<number, string> = { 1: 'double', 2: 'float', 3: 'int64', 4: 'uint64', 5: 'int32', 8: 'bool', 9: 'string', 12: 'bytes', 13: 'uint32', 17: 'int32', 18: 'int64' };

/**
 * A client-node model: its JSON property names (`baseName`s), and those declared required (`'x': T;`
 * in the declaration, where `x` is the TypeScript name), or undefined if there is no such model.
 */
function clientNodeModel(className: string): { required: Set<string>; all: Set<string> } | undefined {
  const dir = join(repo, 'node_modules/@kubernetes/client-node/dist/gen/models');
  if (!existsSync(join(dir, `${className}.d.ts`))) return undefined;
  const js = readFileSync(join(dir, `${className}.js`), 'utf8');
  const jsonName = new Map<string, string>();
  for (const m of js.matchAll(/"name": "([^"]+)",\s*"baseName": "([^"]+)"/g)) jsonName.set(m[1], m[2]);
  const required = new Set<string>();
  for (const m of readFileSync(join(dir, `${className}.d.ts`), 'utf8').matchAll(/^\s+'([^']+)'(\??):/gm)) {
    if (!m[2]) required.add(jsonName.get(m[1]) ?? m[1]);
  }
  return { required, all: new Set(jsonName.values()) };
}

function clientNodeCandidates(protoName: string): string[] {
  const parts = protoName.split('.');
  const name = parts[parts.length - 1];
  const version = parts[parts.length - 2];
  const group = parts[parts.length - 3];
  const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
  return [`${cap(group)}${cap(version)}${name}`, `${cap(version)}${name}`];
}

/** The kubectl binary whose embedded descriptors are the source of the table. */
export const DEFAULT_KUBECTL_BINARY = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';

/** Where the generated table lives. */
export const TABLE_FILE = join(repo, 'src/api/schema/generated/types.ts');

/** The text of the generated table, and warnings about facts that could not be matched. */
export function buildTableSource(binary = DEFAULT_KUBECTL_BINARY): { text: string; warnings: string[]; count: number } {
  const files = embeddedDescriptors(binary);
  const messages = new Map<string, MessageDesc>();
  const mapEntries = new Map<string, MessageDesc>();
  for (const f of files) {
    for (const m of f.messageType ?? []) {
      messages.set(`${f.package}.${m.name}`, m);
      for (const n of m.nestedType ?? []) if (n.options?.mapEntry) mapEntries.set(`${f.package}.${m.name}.${n.name}`, n);
    }
  }
  const roots = [...KINDS, ...EXTRA_ROOT_KINDS].map((k) => `${protoPackage(k.group, k.version)}.${k.kind}`);
  const seen = new Set<string>();
  const order: string[] = [];
  const visit = (name: string) => {
    if (seen.has(name)) return;
    if (!messages.has(name)) throw new Error(`no message ${name} in the descriptors`);
    seen.add(name);
    order.push(name);
    for (const f of messages.get(name)!.field ?? []) {
      if (f.type !== 11 || !f.typeName) continue;
      const t = f.typeName.slice(1);
      const entry = mapEntries.get(t);
      if (entry) {
        const v = entry.field!.find((x) => x.number === 2)!;
        if (v.type === 11) visit(v.typeName!.slice(1));
      } else visit(t);
    }
  };
  roots.forEach(visit);

  const warnings: string[] = [];
  const lines: string[] = [];
  for (const name of order.sort()) {
    const msg = messages.get(name)!;
    const candidates = clientNodeCandidates(name).map(clientNodeModel).filter((x) => x !== undefined);
    const protoFields = new Set((msg.field ?? []).map((f) => f.name));
    const score = (c: { all: Set<string> }) => [...protoFields].filter((f) => c.all.has(f)).length;
    const model = candidates.sort((a, b) => score(b) - score(a))[0];
    if (!model) warnings.push(`${name}: no client-node model; no required fields`);
    const tuples = (msg.field ?? []).map((f) => {
      let type: string;
      let flags = 0;
      if (f.type === 11) {
        const t = f.typeName!.slice(1);
        const entry = mapEntries.get(t);
        if (entry) {
          const k = entry.field!.find((x) => x.number === 1)!;
          const v = entry.field!.find((x) => x.number === 2)!;
          type = `map<${SCALAR_OF[k.type]},${v.type === 11 ? schemaNameOfProto(v.typeName!.slice(1)) : SCALAR_OF[v.type]}>`;
        } else {
          type = schemaNameOfProto(t);
          if (f.label === 3) flags |= REPEATED;
        }
      } else {
        const s = SCALAR_OF[f.type];
        if (!s) throw new Error(`${name}.${f.name}: unsupported proto type ${f.type}`);
        type = s;
        if (f.label === 3) flags |= REPEATED;
      }
      if (f.label !== 3 && f.options?.nullable !== false) flags |= POINTER;
      let json = f.name;
      if (model && !model.all.has(f.name)) {
        const short = f.typeName?.split('.').pop();
        const sameName = [...model.all].find((n) => n.toLowerCase() === f.name.toLowerCase());
        if (sameName) json = sameName;
        else if (f.type === 11 && f.options?.customname === short) flags |= INLINE;
        else warnings.push(`${name}.${f.name}: not in the client-node model`);
      }
      if (model?.required.has(json)) flags |= REQUIRED;
      return JSON.stringify(json === f.name ? [f.name, f.number, type, flags] : [f.name, f.number, type, flags, json]);
    });
    lines.push(`  ${JSON.stringify(schemaNameOfProto(name))}: [${tuples.join(', ')}],`);
  }
  const out = [
    '// Generated by src/api/schema/gen/generate.ts from the protobuf descriptors embedded in kubectl 1.32',
    '// and the required-field marks of @kubernetes/client-node. Do not edit; run the generator.',
    "import type { FieldTuple } from '../table.js';",
    '',
    'export const GENERATED_TYPES: Record<string, readonly FieldTuple[]> = {',
    ...lines,
    '};',
    '',
  ].join('\n');
  return { text: out, warnings, count: order.length };
}
