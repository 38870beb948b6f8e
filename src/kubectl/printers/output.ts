/**
 * The `-o/--output` formats: a registry from format name to how objects are printed. Table formats
 * ("" and "wide") are rendered from server Tables by the caller; the others print full objects.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { KubectlError } from '../errors.js';
import { parseCustomColumns, parseCustomColumnsFile, printCustomColumns } from './custom-columns.js';
import { toJSON } from './json.js';
import { executeJSONPath, JSONPathError, parseTemplate } from './jsonpath.js';
import { printNames } from './name.js';
import { toYAML } from './yaml.js';

export interface ObjectPrinter {
  /** Prints one object or a List of them. */
  print(obj: unknown): string;
}

export interface OutputFormat {
  kind: 'table' | 'objects';
  wide?: boolean;
  printer?: ObjectPrinter;
}

export const ALLOWED_FORMATS = ['custom-columns', 'custom-columns-file', 'go-template', 'go-template-file', 'json', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file', 'name', 'template', 'templatefile', 'wide', 'yaml'];

function items(obj: unknown): unknown[] {
  const o = obj as { kind?: string; items?: unknown[] };
  return o && o.kind === 'List' && Array.isArray(o.items) ? o.items : [obj];
}

function jsonpathPrinter(template: string): ObjectPrinter {
  let nodes;
  try {
    nodes = parseTemplate(template);
  } catch (err) {
    throw new KubectlError(`error parsing jsonpath ${template}, ${(err as Error).message}`);
  }
  return {
    print: (obj) => {
      try {
        return executeJSONPath(nodes, obj);
      } catch (err) {
        if (err instanceof JSONPathError) throw new KubectlError(`error executing jsonpath "${template}": Error executing template: ${err.message}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t${template}\n\tobject given to jsonpath engine was:\n\t\t${JSON.stringify(obj)}\n\n`);
        throw err;
      }
    },
  };
}

/** Parses `-o` (with --no-headers for custom columns). */
export function outputFormat(spec: string, opts: { noHeaders?: boolean; cwd?: string } = {}): OutputFormat {
  const eq = spec.indexOf('=');
  const name = eq >= 0 ? spec.slice(0, eq) : spec;
  const arg = eq >= 0 ? spec.slice(eq + 1) : '';
  switch (name) {
    case '': return { kind: 'table' };
    case 'wide': return { kind: 'table', wide: true };
    case 'yaml': return { kind: 'objects', printer: { print: (o) => toYAML(o) } };
    case 'json': return { kind: 'objects', printer: { print: (o) => toJSON(o) } };
    case 'name': return { kind: 'objects', printer: { print: (o) => printNames(items(o) as never[]) } };
    case 'jsonpath':
    case 'jsonpath-file': {
      const template = name === 'jsonpath-file' ? readTemplateFile(resolve(opts.cwd ?? '.', arg)) : arg;
      if (!template) throw new KubectlError('template format specified but no template given');
      return { kind: 'objects', printer: jsonpathPrinter(template) };
    }
    case 'custom-columns':
    case 'custom-columns-file': {
      const cols = name === 'custom-columns' ? parseCustomColumns(arg) : parseCustomColumnsFile(readTemplateFile(resolve(opts.cwd ?? '.', arg)));
      return { kind: 'objects', printer: { print: (o) => printCustomColumns(cols, items(o), opts.noHeaders) } };
    }
    default:
      throw new KubectlError(`unable to match a printer suitable for the output format "${spec}", allowed formats are: ${ALLOWED_FORMATS.join(',')}`);
  }
}

function readTemplateFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new KubectlError(`error reading --template ${file}, ${(err as Error).message}`);
  }
}
