/**
 * `-o custom-columns=HEADER:PATH,...` and `-o custom-columns-file=FILE` as kubectl prints them: headers
 * as given, one row per object, a column's values joined by ",", `<none>` when a path finds nothing,
 * values formatted like Go's %v (maps as `map[k:v]`, lists as `[a b]`), aligned like the table printer.
 */
import { findResults, parseTemplate, relaxedJSONPath } from './jsonpath.js';
import { alignColumns } from './tabwriter.js';
import { goFloatG } from './yaml.js';

export interface Column {
  header: string;
  /** The relaxed JSONPath, e.g. `{.metadata.name}`. */
  path: string;
}

export class CustomColumnsError extends Error {}

/** Parses `NAME:.metadata.name,IMAGE:.spec.containers[0].image`. */
export function parseCustomColumns(spec: string): Column[] {
  if (spec.length === 0) throw new CustomColumnsError('custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon < 0) throw new CustomColumnsError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, colon), path: relaxedJSONPath(part.slice(colon + 1)) };
  });
}

/** Parses a custom-columns file: a line of headers and a line of paths, separated by whitespace. */
export function parseCustomColumnsFile(text: string): Column[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length !== 2) throw new CustomColumnsError(`unexpected lines in custom-columns file, expected 2, saw ${lines.length}`);
  const headers = lines[0].trim().split(/\s+/);
  const paths = lines[1].trim().split(/\s+/);
  if (headers.length !== paths.length) {
    throw new CustomColumnsError(`number of headers (${headers.length}) and field specifications (${paths.length}) don't match`);
  }
  return headers.map((header, i) => ({ header, path: relaxedJSONPath(paths[i]) }));
}

/** Renders objects under `columns`. */
export function printCustomColumns(columns: Column[], objects: unknown[], noHeaders = false): string {
  const parsed = columns.map((c) => parseTemplate(c.path));
  const lines: string[][] = [];
  if (!noHeaders) lines.push(columns.map((c) => c.header));
  for (const obj of objects) {
    lines.push(parsed.map((nodes) => {
      const values = findResults(nodes, obj);
      return values.length === 0 ? '<none>' : values.map(goValue).join(',');
    }));
  }
  return alignColumns(lines);
}

/** Go's %v for a value decoded from JSON. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : goFloatG(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  const o = v as Record<string, unknown>;
  return `map[${Object.keys(o).sort().map((k) => `${k}:${goValue(o[k])}`).join(' ')}]`;
}
