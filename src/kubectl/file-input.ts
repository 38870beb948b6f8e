/**
 * `-f`: manifests from files, directories (`.json`, `.yaml`, `.yml`; `-R` recurses), `-` (stdin) and
 * URLs on loopback, split into documents (multi-document YAML, JSON objects, and `List` kinds expanded).
 * Each document remembers its source so errors can say `error when creating "FILE"`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { KubectlError } from './errors.js';

export interface Manifest {
  source: string;
  object: Record<string, unknown> & { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string; generateName?: string; annotations?: Record<string, string>; labels?: Record<string, string> } };
}

const EXTENSIONS = ['.json', '.yaml', '.yml'];

export async function readManifests(paths: string[], opts: { cwd: string; stdin: Readable; recursive?: boolean }): Promise<Manifest[]> {
  const out: Manifest[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push(...(await parseDocuments(await readAll(opts.stdin), 'STDIN')));
      continue;
    }
    if (/^https?:\/\//.test(p)) {
      const url = new URL(p);
      if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new KubectlError(`k8ts kubectl only reads URLs on loopback: ${p}`);
      const res = await fetch(url);
      if (!res.ok) throw new KubectlError(`unable to read URL "${p}", server reported ${res.status} ${res.statusText}, status code=${res.status}`);
      out.push(...(await parseDocuments(await res.text(), p)));
      continue;
    }
    const abs = resolve(opts.cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new KubectlError(`the path "${p}" does not exist`);
    }
    if (st.isDirectory()) {
      for (const f of listDir(abs, Boolean(opts.recursive))) out.push(...(await parseDocuments(readFileSync(f, 'utf8'), f)));
    } else {
      out.push(...(await parseDocuments(readFileSync(abs, 'utf8'), p)));
    }
  }
  return out;
}

function listDir(dir: string, recursive: boolean): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    const st = statSync(full);
    if (st.isDirectory()) { if (recursive) files.push(...listDir(full, true)); continue; }
    if (EXTENSIONS.some((e) => name.endsWith(e))) files.push(full);
  }
  return files;
}

async function readAll(stream: Readable): Promise<string> {
  let s = '';
  for await (const c of stream) s += typeof c === 'string' ? c : (c as Buffer).toString('utf8');
  return s;
}

/** Splits a file into objects; a `List` (kind ending in "List" with items) is expanded. */
export async function parseDocuments(text: string, source: string): Promise<Manifest[]> {
  const yaml = await import('yaml');
  const out: Manifest[] = [];
  let docs;
  try {
    docs = yaml.parseAllDocuments(text, { version: '1.1' } as never);
  } catch (err) {
    throw new KubectlError(`error parsing ${source}: ${(err as Error).message}`);
  }
  for (const d of Array.isArray(docs) ? docs : [docs]) {
    if (d.errors.length > 0) throw new KubectlError(`error parsing ${source}: error converting YAML to JSON: yaml: ${d.errors[0].message.split('\n')[0]}`);
    const obj = d.toJS() as Manifest['object'] | null;
    if (obj === null || obj === undefined) continue;
    if (typeof obj !== 'object' || Array.isArray(obj)) throw new KubectlError(`error validating data: invalid object in ${source}`);
    if (!obj.kind) throw new KubectlError(`error validating "${source}": error validating data: kind not set`);
    if (!obj.apiVersion) throw new KubectlError(`error validating "${source}": error validating data: apiVersion not set`);
    if (obj.kind.endsWith('List') && Array.isArray((obj as { items?: unknown }).items)) {
      for (const it of (obj as { items: Manifest['object'][] }).items) out.push({ source, object: it });
      continue;
    }
    out.push({ source, object: obj });
  }
  return out;
}
