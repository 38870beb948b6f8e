/**
 * Field selectors, as upstream's `k8s.io/apimachinery/pkg/fields`: `a=b`, `a==b`, `a!=b`, joined by ','
 * (AND). In values, `\`, `,` and `=` are escaped with a backslash; any other escape, an unescaped `,`/`=` in
 * a value, or a term without an operator is a BadRequest with upstream's message. The field name is taken
 * as written (no whitespace trimming): which fields exist is up to each kind, see `supportOnly`.
 */
import { ApiError } from '../errors.js';

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

export interface FieldSelector {
  /** Sorted as upstream sorts the terms; `==` is folded into `=`. */
  readonly requirements: FieldRequirement[];
  /** True when every requirement holds; `get` returns a field's value, `undefined` for an unknown field. */
  matches(get: (field: string) => string | undefined): boolean;
  /** True when the selector does not restrict anything. */
  empty(): boolean;
  /** The canonical form: `a=b,c!=d`, values escaped. */
  toString(): string;
  /** The value a selector requires `field` to have exactly (`field=v`), if any. */
  requiresExactMatch(field: string): string | undefined;
  /**
   * Throws `ApiError` BadRequest `field label not supported: <field>` for the first field not in
   * `supported`, as upstream's per-kind field label conversion does. Returns the selector for chaining.
   */
  supportOnly(supported: Iterable<string>): FieldSelector;
}

const OPERATORS = ['!=', '==', '='] as const;

/** Splits on the commas that are not escaped by a backslash. */
function splitTerms(s: string): string[] {
  if (s.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

/** The first operator occurrence, trying `!=`, `==`, `=` at each position from the left. */
function splitTerm(term: string): [string, (typeof OPERATORS)[number], string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of OPERATORS) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

/** `fields.EscapeValue`. */
export function escapeValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** `fields.UnescapeValue`; throws BadRequest with upstream's message. */
export function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c === '\\' || c === ',' || c === '=') out += c;
      else throw new ApiError('BadRequest', `invalid field selector: invalid escape sequence: \\${c}`);
      inSlash = false;
      continue;
    }
    if (c === '\\') inSlash = true;
    // Go prints the rune with %v, i.e. as its number.
    else if (c === ',' || c === '=') throw new ApiError('BadRequest', `invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw new ApiError('BadRequest', 'invalid field selector: invalid escape sequence: \\');
  return out;
}

class Requirements implements FieldSelector {
  constructor(readonly requirements: FieldRequirement[]) {}
  matches(get: (field: string) => string | undefined): boolean {
    return this.requirements.every((r) => {
      const v = get(r.field) ?? '';
      return r.operator === '=' ? v === r.value : v !== r.value;
    });
  }
  empty(): boolean {
    return this.requirements.length === 0;
  }
  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeValue(r.value)}`).join(',');
  }
  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator === '=')?.value;
  }
  supportOnly(supported: Iterable<string>): FieldSelector {
    const ok = new Set(supported);
    for (const r of this.requirements) {
      if (!ok.has(r.field)) throw new ApiError('BadRequest', `field label not supported: ${r.field}`);
    }
    return this;
  }
}

/** Parses a field selector (upstream's `fields.ParseSelector`). Empty text selects everything. */
export function parseFieldSelector(text: string): FieldSelector {
  // Upstream sorts the raw terms before parsing them.
  const parts = splitTerms(text).sort();
  const reqs: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const split = splitTerm(part);
    if (!split) throw new ApiError('BadRequest', `invalid selector: '${text}'; can't understand '${part}'`);
    const [field, op, rhs] = split;
    reqs.push({ field, operator: op === '!=' ? '!=' : '=', value: unescapeValue(rhs) });
  }
  return new Requirements(reqs);
}

/** `fields.SelectorFromSet`: exact match on every entry. */
export function fieldSelectorFromSet(set: Record<string, string>): FieldSelector {
  return new Requirements(Object.keys(set).sort().map((field) => ({ field, operator: '=' as const, value: set[field]! })));
}
