/**
 * Label selectors, as upstream's `k8s.io/apimachinery/pkg/labels`.
 *
 * - `parseLabelSelector("a=b,c in (x,y),!d")` parses the string form used by `?labelSelector=` and
 *   `kubectl -l`; bad input throws `ApiError` BadRequest with upstream's message.
 * - `selectorFromLabelSelector(spec.selector)` turns the structured form (matchLabels + matchExpressions)
 *   into a Selector, as `metav1.LabelSelectorAsSelector`: undefined matches nothing, empty matches all.
 * - `selectorFromSet({app: 'x'})` is the exact-match selector of a label map (`labels.SelectorFromSet`).
 */
import { ApiError } from '../errors.js';
import type { LabelSelector } from '../types.js';
import { lex, type ScannedItem, type Token } from './lexer.js';
import {
  BINARY_OPERATORS, newRequirement, requirementMatches, requirementString, validateLabelKey,
  type Operator, type Requirement,
} from './requirement.js';

export type { Operator, Requirement } from './requirement.js';

/** A set of requirements, all of which must hold (logical AND). */
export interface Selector {
  /** True when every requirement holds for `labels` (an absent label map is an empty one). */
  matches(labels: Record<string, string> | undefined): boolean;
  /** True when the selector does not restrict anything (matches every object). */
  empty(): boolean;
  /** The canonical string form: requirements sorted by key, joined with ','. `parseLabelSelector` reads it back. */
  toString(): string;
  /** The requirements, sorted by key. Empty for both "everything" and "nothing". */
  readonly requirements: Requirement[];
  /** The value a selector requires `key` to have exactly (`key=v`, `key==v`, `key in (v)`), if any. */
  requiresExactMatch(key: string): string | undefined;
  /** A new selector with more requirements. */
  add(...reqs: Requirement[]): Selector;
}

const byKey = (a: Requirement, b: Requirement): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

class RequirementsSelector implements Selector {
  readonly requirements: Requirement[];
  constructor(reqs: Requirement[]) {
    // Sorted by key so the string form is deterministic (requirements on one key keep their order).
    this.requirements = [...reqs].sort(byKey);
  }
  matches(labels: Record<string, string> | undefined): boolean {
    return this.requirements.every((r) => requirementMatches(r, labels));
  }
  empty(): boolean {
    return this.requirements.length === 0;
  }
  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
  requiresExactMatch(key: string): string | undefined {
    const r = this.requirements.find((x) => x.key === key);
    if (!r) return undefined;
    if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0];
    return undefined;
  }
  add(...reqs: Requirement[]): Selector {
    return new RequirementsSelector([...this.requirements, ...reqs]);
  }
}

class NothingSelector implements Selector {
  readonly requirements: Requirement[] = [];
  matches(): boolean {
    return false;
  }
  empty(): boolean {
    return false;
  }
  toString(): string {
    return '';
  }
  requiresExactMatch(): string | undefined {
    return undefined;
  }
  add(): Selector {
    return this;
  }
}

const EVERYTHING: Selector = new RequirementsSelector([]);
const NOTHING: Selector = new NothingSelector();

/** The selector that matches every label set. */
export const everything = (): Selector => EVERYTHING;
/** The selector that matches nothing (what a nil `LabelSelector` means). */
export const nothing = (): Selector => NOTHING;
/** True only for the `nothing()` selector. */
export const matchesNothing = (s: Selector): boolean => s === NOTHING;

class ParseError extends Error {}

/** The recursive-descent parser over the lexer's tokens; in `values` context `in`/`notin` are identifiers. */
class Parser {
  private pos = 0;
  constructor(private readonly items: ScannedItem[]) {}

  private peek(valuesContext: boolean): ScannedItem {
    const it = this.items[this.pos]!;
    return valuesContext && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'identifier', literal: it.literal } : it;
  }
  private next(valuesContext: boolean): ScannedItem {
    const it = this.peek(valuesContext);
    this.pos++;
    return it;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, literal } = this.peek(true);
      if (tok === 'identifier' || tok === '!') {
        let r: Requirement;
        try {
          r = this.requirement();
        } catch (e) {
          if (e instanceof ParseError) throw new ParseError(`unable to parse requirement: ${e.message}`);
          throw e;
        }
        reqs.push(r);
        const after = this.next(true);
        if (after.tok === 'end') return reqs;
        if (after.tok === ',') {
          const t2 = this.peek(true);
          if (t2.tok !== 'identifier' && t2.tok !== '!') throw new ParseError(`found '${t2.literal}', expected: identifier after ','`);
          continue;
        }
        throw new ParseError(`found '${after.literal}', expected: ',' or 'end of string'`);
      }
      if (tok === 'end') return reqs;
      throw new ParseError(`found '${literal}', expected: !, identifier, or 'end of string'`);
    }
  }

  private requirement(): Requirement {
    let operator: Operator | undefined;
    let it = this.next(true);
    if (it.tok === '!') {
      operator = '!';
      it = this.next(true);
    }
    if (it.tok !== 'identifier') throw new ParseError(`found '${it.literal}', expected: identifier`);
    const key = it.literal;
    const keyErr = validateLabelKey(key, undefined);
    if (keyErr) throw new ParseError(`${keyErr.field}: ${keyErr.detail}`);
    const la = this.peek(true).tok;
    if (la === 'end' || la === ',') operator = operator === '!' ? '!' : 'exists';
    if (operator === 'exists' || operator === '!') return this.build(key, operator, []);

    const op = this.operator();
    const values = op === 'in' || op === 'notin' ? this.valueSet() : this.exactValue();
    return this.build(key, op, [...values].sort());
  }

  private build(key: string, op: Operator, values: string[]): Requirement {
    const r = newRequirement(key, op, values);
    if ('error' in r) throw new ParseError(r.error);
    return r;
  }

  private operator(): Operator {
    const { tok, literal } = this.next(false);
    const ops: Partial<Record<Token, Operator>> = { in: 'in', '=': '=', '==': '==', '>': 'gt', '<': 'lt', notin: 'notin', '!=': '!=' };
    const op = ops[tok];
    if (!op) throw new ParseError(`found '${literal}', expected: ${BINARY_OPERATORS.join(', ')}`);
    return op;
  }

  private valueSet(): Set<string> {
    const open = this.next(true);
    if (open.tok !== '(') throw new ParseError(`found '${open.literal}' expected: '('`);
    const { tok, literal } = this.peek(true);
    if (tok === 'identifier' || tok === ',') {
      const s = this.identifiers();
      if (this.next(true).tok !== ')') throw new ParseError(`found '${literal}', expected: ')'`);
      return s;
    }
    if (tok === ')') {
      this.next(true);
      return new Set(['']);
    }
    throw new ParseError(`found '${literal}', expected: ',', ')' or identifier`);
  }

  /** A possibly empty, comma-separated list of possibly empty values: `(a,,b)`, `(,a)`, `(a,)`. */
  private identifiers(): Set<string> {
    const s = new Set<string>();
    for (;;) {
      const { tok, literal } = this.next(true);
      if (tok === 'identifier') {
        s.add(literal);
        const t2 = this.peek(true);
        if (t2.tok === ',') continue;
        if (t2.tok === ')') return s;
        throw new ParseError(`found '${t2.literal}', expected: ',' or ')'`);
      }
      if (tok === ',') {
        if (s.size === 0) s.add('');
        const t2 = this.peek(true).tok;
        if (t2 === ')') {
          s.add('');
          return s;
        }
        if (t2 === ',') s.add('');
        continue;
      }
      throw new ParseError(`found '${literal}', expected: ',', or identifier`);
    }
  }

  private exactValue(): Set<string> {
    const la = this.peek(true).tok;
    if (la === 'end' || la === ',') return new Set(['']);
    const { tok, literal } = this.next(true);
    if (tok === 'identifier') return new Set([literal]);
    throw new ParseError(`found '${literal}', expected: identifier`);
  }
}

/**
 * Parses the string form of a label selector (upstream's `labels.Parse`). An empty or blank string is the
 * selector that matches everything. Throws `ApiError` BadRequest with upstream's message on bad input.
 */
export function parseLabelSelector(text: string): Selector {
  try {
    return new RequirementsSelector(new Parser(lex(text)).parse());
  } catch (e) {
    if (e instanceof ParseError) throw new ApiError('BadRequest', e.message);
    throw e;
  }
}

const EXPRESSION_OPERATORS: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * `metav1.LabelSelectorAsSelector`: undefined/null matches nothing; `{}` (no matchLabels, no
 * matchExpressions) matches everything; otherwise the AND of all. Throws `ApiError` BadRequest for an
 * unknown operator or invalid keys/values, with upstream's messages.
 */
export function selectorFromLabelSelector(ls: LabelSelector | undefined | null): Selector {
  if (ls === undefined || ls === null) return NOTHING;
  const matchLabels = ls.matchLabels ?? {};
  const exprs = ls.matchExpressions ?? [];
  if (Object.keys(matchLabels).length + exprs.length === 0) return EVERYTHING;
  const reqs: Requirement[] = [];
  const take = (r: Requirement | { error: string }): void => {
    if ('error' in r) throw new ApiError('BadRequest', r.error);
    reqs.push(r);
  };
  for (const [k, v] of Object.entries(matchLabels)) take(newRequirement(k, '=', [v]));
  for (const e of exprs) {
    const op = Object.hasOwn(EXPRESSION_OPERATORS, e.operator) ? EXPRESSION_OPERATORS[e.operator] : undefined;
    if (!op) throw new ApiError('BadRequest', `${JSON.stringify(e.operator)} is not a valid label selector operator`);
    take(newRequirement(e.key, op, [...(e.values ?? [])]));
  }
  return new RequirementsSelector(reqs);
}

/** `labels.SelectorFromSet`: exact match on every entry; an empty or absent set matches everything. */
export function selectorFromSet(set: Record<string, string> | undefined): Selector {
  if (!set) return EVERYTHING;
  return new RequirementsSelector(Object.entries(set).map(([key, v]) => ({ key, operator: '=' as const, values: [v] })));
}

/** `labels.Set.String()`-style rendering of a label map: `a=b,c=d`, sorted by key (as kubectl prints). */
export function formatLabels(set: Record<string, string> | undefined): string {
  if (!set) return '';
  return Object.keys(set).sort().map((k) => `${k}=${set[k]}`).join(',');
}

/**
 * The structured form of a selector string (upstream's `metav1.ParseToLabelSelector`): `=`/`==` go to
 * matchLabels, `in`/`notin`/exists/`!` to matchExpressions; `!=`, `>` and `<` have no structured form.
 * Throws `ApiError` BadRequest.
 */
export function parseToLabelSelector(text: string): LabelSelector {
  let reqs: Requirement[];
  try {
    reqs = parseLabelSelector(text).requirements;
  } catch (e) {
    throw new ApiError('BadRequest', `couldn't parse the selector string "${text}": ${(e as Error).message}`);
  }
  const out: { matchLabels: Record<string, string>; matchExpressions: { key: string; operator: string; values?: string[] }[] } = { matchLabels: {}, matchExpressions: [] };
  const ops: Partial<Record<Operator, string>> = { in: 'In', notin: 'NotIn', exists: 'Exists', '!': 'DoesNotExist' };
  for (const r of reqs) {
    if (r.operator === '=' || r.operator === '==') {
      out.matchLabels[r.key] = r.values[0]!;
      continue;
    }
    const op = ops[r.operator];
    if (!op) throw new ApiError('BadRequest', `"${r.operator}" isn't supported in label selectors`);
    out.matchExpressions.push(r.values.length ? { key: r.key, operator: op, values: [...r.values].sort() } : { key: r.key, operator: op });
  }
  return out as LabelSelector;
}
