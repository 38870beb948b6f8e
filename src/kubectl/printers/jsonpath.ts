/**
 * kubectl's JSONPath templates (client-go util/jsonpath): literal text with `{...}` actions.
 *
 * Actions: `.a.b` fields (with `\.` escapes and `/`, `-` in names), `['key']`, `[n]`, slices
 * `[start:end:step]` with negative indexes, `[*]` and `.*` wildcards, unions `[0,2]`, `..name` recursive
 * descent, `$`/`@`, filters `[?(@.x=="v")]` with == != < > <= >= or existence, quoted strings with Go
 * escapes (`{"\n"}`), and `{range EXPR}...{end}`.
 *
 * Output as kubectl prints it: the results of one action are joined by single spaces; maps and lists
 * are compact JSON; missing keys print nothing (kubectl's default --allow-missing-template-keys=true).
 */
import { goJSON } from './json.js';
import { goFloatG } from './yaml.js';

type Node =
  | { t: 'text'; text: string }
  | { t: 'list'; nodes: Node[] }
  | { t: 'field'; name: string }
  | { t: 'wildcard' }
  | { t: 'array'; params: [Param, Param, Param] }
  | { t: 'union'; parts: Node[] }
  | { t: 'filter'; left: Node; right: Node; op: string }
  | { t: 'recursive' }
  | { t: 'int'; value: number }
  | { t: 'float'; value: number }
  | { t: 'bool'; value: boolean }
  | { t: 'range'; expr: Node }
  | { t: 'end' };

interface Param {
  value: number;
  known: boolean;
  derived: boolean;
}

export class JSONPathError extends Error {}

/** Parses a template into its top-level nodes (text and actions). */
export function parseTemplate(template: string): Node[] {
  const nodes: Node[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      nodes.push({ t: 'text', text: template.slice(i) });
      break;
    }
    if (open > i) nodes.push({ t: 'text', text: template.slice(i, open) });
    const close = findClose(template, open + 1);
    if (close < 0) throw new JSONPathError(`unclosed action`);
    nodes.push(...parseAction(template.slice(open + 1, close)));
    i = close + 1;
  }
  return nodes;
}

/** Index of the `}` that closes an action, skipping quoted strings. */
function findClose(s: string, from: number): number {
  let quote = '';
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '}') return i;
  }
  return -1;
}

/** Parses the inside of one `{...}`: range/end, or a list of path steps. */
function parseAction(text: string): Node[] {
  const trimmed = text.trim();
  if (trimmed === 'end') return [{ t: 'end' }];
  if (trimmed.startsWith('range ') || trimmed === 'range') return [{ t: 'range', expr: { t: 'list', nodes: parseSteps(trimmed.slice(5)) } }];
  return [{ t: 'list', nodes: parseSteps(text) }];
}

function isTerminator(c: string | undefined): boolean {
  return c === undefined || ' \t\r\n.,[]$@{}'.includes(c);
}

function parseSteps(src: string): Node[] {
  const out: Node[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '$' || c === '@') { i++; continue; }
    if (src.startsWith('..', i)) {
      out.push({ t: 'recursive' });
      i += 1; // the second dot starts a field
      continue;
    }
    if (c === '.') {
      let j = i + 1;
      let name = '';
      while (j < src.length && !isTerminator(src[j])) {
        if (src[j] === '\\' && j + 1 < src.length) { name += src[j + 1]; j += 2; continue; }
        name += src[j++];
      }
      if (name === '*') out.push({ t: 'wildcard' });
      else if (name !== '') out.push({ t: 'field', name });
      i = j;
      continue;
    }
    if (c === '[') {
      if (src.startsWith('[?(', i)) {
        const [node, next] = parseFilter(src, i + 3);
        out.push(node);
        i = next;
        continue;
      }
      const close = src.indexOf(']', i);
      if (close < 0) throw new JSONPathError('unterminated array');
      out.push(parseArray(src.slice(i + 1, close)));
      i = close + 1;
      continue;
    }
    if (c === '"' || c === "'") {
      const [text, next] = readQuoted(src, i);
      out.push({ t: 'text', text });
      i = next;
      continue;
    }
    if (/[+\-\d]/.test(c)) {
      const m = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(src.slice(i));
      if (!m) throw new JSONPathError(`unrecognized character in action: ${charName(c)}`);
      out.push(m[1] || m[2] ? { t: 'float', value: Number(m[0]) } : { t: 'int', value: Number(m[0]) });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_0-9]+/.exec(src.slice(i))!;
      if (m[0] === 'true' || m[0] === 'false') out.push({ t: 'bool', value: m[0] === 'true' });
      else throw new JSONPathError(`unrecognized identifier ${m[0]}`);
      i += m[0].length;
      continue;
    }
    throw new JSONPathError(`unrecognized character in action: ${charName(c)}`);
  }
  return out;
}

function charName(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${c}'`;
}

/** Reads a quoted string starting at `i` with Go's escapes; returns it and the index after it. */
function readQuoted(src: string, i: number): [string, number] {
  const q = src[i];
  let j = i + 1;
  let text = '';
  const ESC: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };
  while (j < src.length && src[j] !== q) {
    if (src[j] === '\\' && j + 1 < src.length) {
      const e = src[j + 1];
      if (e === 'x') { text += String.fromCharCode(parseInt(src.slice(j + 2, j + 4), 16)); j += 4; continue; }
      if (e === 'u') { text += String.fromCharCode(parseInt(src.slice(j + 2, j + 6), 16)); j += 6; continue; }
      text += ESC[e] ?? e;
      j += 2;
      continue;
    }
    text += src[j++];
  }
  if (j >= src.length) throw new JSONPathError('unterminated quoted string');
  return [text, j + 1];
}

function parseArray(text: string): Node {
  if (text === '*') text = ':';
  const parts = text.split(',');
  if (parts.length > 1) {
    return { t: 'union', parts: parts.map((p) => ({ t: 'list', nodes: parseSteps(`[${p.trim()}]`) } as Node)) };
  }
  const key = /^'([^']*)'$/.exec(text) ?? /^"([^"]*)"$/.exec(text);
  if (key) return { t: 'field', name: key[1] };
  const m = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/.exec(text.trim());
  if (!m) throw new JSONPathError(`invalid array index ${text}`);
  const raw = [m[1] ?? '', m[2] ?? '', m[3] ?? ''];
  const params: Param[] = [];
  for (let k = 0; k < 3; k++) {
    let v = raw[k];
    if (v !== '') {
      if (k > 0) v = v.slice(1);
      params.push(k > 0 && v === '' ? { value: 0, known: false, derived: false } : { value: Number(v), known: true, derived: false });
    } else if (k === 1) {
      params.push({ value: params[0].value + 1, known: true, derived: true });
    } else {
      params.push({ value: 0, known: false, derived: false });
    }
  }
  return { t: 'array', params: params as [Param, Param, Param] };
}

function parseFilter(src: string, start: number): [Node, number] {
  let quote = '';
  let j = start;
  for (; j < src.length; j++) {
    const c = src[j];
    if (quote) { if (c === quote) quote = ''; continue; }
    if (c === '"' || c === "'") { quote = c; continue; }
    if (c === ')') break;
  }
  if (j >= src.length) throw new JSONPathError('unterminated filter');
  if (src[j + 1] !== ']') throw new JSONPathError('unclosed array expect ]');
  const text = src.slice(start, j);
  const m = /^([^!<>=]+)([!<>=]+)(.+?)$/.exec(text);
  const node: Node = m
    ? { t: 'filter', left: { t: 'list', nodes: parseSteps(m[1]) }, right: { t: 'list', nodes: parseSteps(m[3].trim()) }, op: m[2] }
    : { t: 'filter', left: { t: 'list', nodes: parseSteps(text) }, right: { t: 'list', nodes: [] }, op: 'exists' };
  return [node, j + 2];
}

// ---------------------------------------------------------------------------------------------------
// Evaluation

type Value = unknown;
const TEXT = Symbol('text');
interface Text { [TEXT]: string }

function isObject(v: Value): v is Record<string, Value> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function walk(input: Value[], node: Node): Value[] {
  switch (node.t) {
    case 'text': return [{ [TEXT]: node.text } as Text];
    case 'int':
    case 'float':
    case 'bool': return [node.value];
    case 'list': {
      let cur = input;
      for (const n of node.nodes) cur = walk(cur, n);
      return cur;
    }
    case 'field': {
      const out: Value[] = [];
      for (const v of input) if (isObject(v) && Object.hasOwn(v, node.name)) out.push(v[node.name]);
      return out;
    }
    case 'wildcard': {
      const out: Value[] = [];
      for (const v of input) {
        if (Array.isArray(v)) out.push(...v);
        else if (isObject(v)) for (const k of Object.keys(v).sort()) out.push(v[k]);
      }
      return out;
    }
    case 'array': {
      const out: Value[] = [];
      for (const v of input) {
        if (!Array.isArray(v)) throw new JSONPathError(`${goJSON(v)} is not array or slice`);
        const len = v.length;
        let [s, e] = [node.params[0].known ? node.params[0].value : 0, node.params[1].known ? node.params[1].value : len];
        if (s < 0) s += len;
        if (e < 0 || (e === 0 && node.params[1].derived)) e += len;
        if (s === e) continue;
        if (s >= len || s < 0) throw new JSONPathError(`array index out of bounds: index ${s}, length ${len}`);
        if (e > len || e < 0) throw new JSONPathError(`array index out of bounds: index ${e - 1}, length ${len}`);
        if (s > e) throw new JSONPathError(`starting index ${s} is greater than ending index ${e}`);
        let step = 1;
        if (node.params[2].known) {
          if (node.params[2].value <= 0) throw new JSONPathError('step must be > 0');
          step = node.params[2].value;
        }
        for (let k = s; k < e; k += step) out.push(v[k]);
      }
      return out;
    }
    case 'union': return node.parts.flatMap((p) => walk(input, p));
    case 'recursive': return recursive(input);
    case 'filter': {
      const out: Value[] = [];
      for (const v of input) {
        const items = Array.isArray(v) ? v : isObject(v) ? Object.keys(v).sort().map((k) => v[k]) : [];
        for (const item of items) {
          const left = walk([item], node.left);
          if (node.op === 'exists') { if (left.length > 0) out.push(item); continue; }
          if (left.length === 0) continue;
          const right = walk([item], node.right);
          if (right.length !== 1) throw new JSONPathError(`can only compare one element at a time`);
          if (compare(left[0], plain(right[0]), node.op)) out.push(item);
        }
      }
      return out;
    }
    case 'range':
    case 'end': return input;
  }
}

function plain(v: Value): Value {
  return v !== null && typeof v === 'object' && TEXT in v ? (v as Text)[TEXT] : v;
}

function compare(a: Value, b: Value, op: string): boolean {
  if (typeof a !== typeof b && !(typeof a === 'number' && typeof b === 'number')) {
    if (op === '==') return false;
    if (op === '!=') return true;
    throw new JSONPathError('incompatible types for comparison');
  }
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return (a as number) < (b as number);
    case '>': return (a as number) > (b as number);
    case '<=': return (a as number) <= (b as number);
    case '>=': return (a as number) >= (b as number);
    default: throw new JSONPathError(`unrecognized filter operator ${op}`);
  }
}

function recursive(input: Value[]): Value[] {
  const out: Value[] = [];
  for (const v of input) {
    const children = Array.isArray(v) ? v : isObject(v) ? Object.keys(v).sort().map((k) => v[k]) : [];
    if (children.length === 0) continue;
    out.push(v, ...recursive(children));
  }
  return out;
}

/** Evaluates a template on `data` and renders the text kubectl prints. */
export function executeJSONPath(template: string | Node[], data: Value): string {
  const nodes = typeof template === 'string' ? parseTemplate(template) : template;
  let out = '';
  const run = (list: Node[], value: Value): number => {
    for (let i = 0; i < list.length; i++) {
      const n = list[i];
      if (n.t === 'end') return i;
      if (n.t === 'range') {
        const results = walk([value], n.expr);
        const body = list.slice(i + 1);
        let consumed = -1;
        if (results.length === 0) consumed = findEnd(body);
        for (const r of results) consumed = run(body, r);
        if (consumed < 0) throw new JSONPathError('not in range, nothing to end');
        i += consumed + 1;
        continue;
      }
      out += render(walk([value], n));
    }
    return list.length;
  };
  run(nodes, data);
  return out;
}

/** The values the actions of a template find in `data`, in order (text nodes excluded). */
export function findResults(template: string | Node[], data: Value): Value[] {
  const nodes = typeof template === 'string' ? parseTemplate(template) : template;
  return nodes.filter((n) => n.t !== 'text').flatMap((n) => walk([data], n)).filter((v) => !(v !== null && typeof v === 'object' && TEXT in v));
}

function findEnd(list: Node[]): number {
  let depth = 0;
  for (let i = 0; i < list.length; i++) {
    if (list[i].t === 'range') depth++;
    if (list[i].t === 'end') { if (depth === 0) return i; depth--; }
  }
  return -1;
}

function render(results: Value[]): string {
  return results.map((r) => {
    if (r !== null && typeof r === 'object' && TEXT in r) return (r as Text)[TEXT];
    return textOf(r);
  }).join(' ');
}

/** How one value prints: strings raw, numbers as Go's %v, maps and lists as compact JSON. */
export function textOf(v: Value): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : goFloatG(v);
  if (typeof v === 'boolean') return String(v);
  return goJSON(v);
}

/** kubectl's "relaxed" JSONPath for custom-columns and --sort-by: `.a.b`, `a.b` or `{.a.b}`. */
export function relaxedJSONPath(path: string): string {
  const m = /^\{?(\.?[^{}]*?)\}?$/.exec(path);
  if (!m) throw new JSONPathError(`unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'`);
  const inner = m[1];
  return `{${inner.startsWith('.') ? inner : `.${inner}`}}`;
}
