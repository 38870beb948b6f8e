/**
 * Compiled matchers for the selectors the scheduler evaluates thousands of times per pod: label selectors
 * (`metav1.LabelSelector`, used by pod affinity and topology spread) and node selectors
 * (`v1.NodeSelector`, used by node affinity and PV node affinity, with `Gt`/`Lt` and `matchFields`).
 * Each is compiled once into a closure; matching allocates nothing.
 */
import type { LabelSelector } from '../../api/types.js';

export type Labels = Readonly<Record<string, string>>;
export type LabelMatcher = (labels: Labels | undefined) => boolean;

const has = Object.prototype.hasOwnProperty;

export const matchNothing: LabelMatcher = () => false;
export const matchEverything: LabelMatcher = () => true;

interface Requirement {
  key: string;
  op: string;
  values: readonly string[];
}

function requirementMatches(r: Requirement, labels: Labels | undefined): boolean {
  const present = labels !== undefined && has.call(labels, r.key);
  switch (r.op) {
    case 'In':
      return present && r.values.includes(labels![r.key]!);
    case 'NotIn':
      return !present || !r.values.includes(labels![r.key]!);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    case 'Gt':
    case 'Lt': {
      if (!present || r.values.length !== 1) return false;
      const lv = parseIntStrict(labels![r.key]!);
      const rv = parseIntStrict(r.values[0]!);
      if (lv === undefined || rv === undefined) return false;
      return r.op === 'Gt' ? lv > rv : lv < rv;
    }
    default:
      return false;
  }
}

function parseIntStrict(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

/**
 * `metav1.LabelSelectorAsSelector`: undefined/null matches nothing, `{}` matches everything, otherwise
 * every matchLabels entry and every expression must hold. An unknown operator matches nothing.
 */
export function compileLabelSelector(ls: LabelSelector | undefined | null): LabelMatcher {
  if (ls === undefined || ls === null) return matchNothing;
  const reqs: Requirement[] = [];
  for (const [key, v] of Object.entries(ls.matchLabels ?? {})) reqs.push({ key, op: 'In', values: [v] });
  for (const e of ls.matchExpressions ?? []) {
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator)) return matchNothing;
    reqs.push({ key: e.key, op: e.operator, values: e.values ?? [] });
  }
  if (reqs.length === 0) return matchEverything;
  if (reqs.length === 1) {
    const r = reqs[0]!;
    if (r.op === 'In' && r.values.length === 1) {
      const k = r.key;
      const v = r.values[0];
      return (labels) => labels !== undefined && labels[k] === v && has.call(labels, k);
    }
    return (labels) => requirementMatches(r, labels);
  }
  return (labels) => {
    for (let i = 0; i < reqs.length; i++) if (!requirementMatches(reqs[i]!, labels)) return false;
    return true;
  };
}

/** An exact-match selector over a label set (`labels.SelectorFromSet`); empty or absent matches everything. */
export function compileSetSelector(set: Labels | undefined): LabelMatcher {
  const entries = Object.entries(set ?? {});
  if (entries.length === 0) return matchEverything;
  return (labels) => {
    if (labels === undefined) return false;
    for (const [k, v] of entries) if (labels[k] !== v || !has.call(labels, k)) return false;
    return true;
  };
}

/** The parts of a node that node selectors look at. */
export interface NodeFields {
  readonly name: string;
  readonly labels: Labels;
}

export type NodeMatcher = (node: NodeFields) => boolean;

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

/**
 * One `NodeSelectorTerm` (component-helpers' `nodeSelectorTerm`): all expressions over labels and all
 * fields (only `metadata.name`, operators In/NotIn) must hold. A term with neither matches nothing.
 */
export function compileNodeSelectorTerm(term: NodeSelectorTerm): NodeMatcher {
  const exprs = (term.matchExpressions ?? []).map((e) => ({ key: e.key, op: e.operator, values: e.values ?? [] }));
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return () => false;
  for (const f of fields) {
    if (f.key !== 'metadata.name' || (f.operator !== 'In' && f.operator !== 'NotIn') || (f.values ?? []).length !== 1) return () => false;
  }
  const fieldReqs = fields.map((f) => ({ key: 'metadata.name', op: f.operator, values: f.values ?? [] }));
  return (node) => {
    for (let i = 0; i < exprs.length; i++) if (!requirementMatches(exprs[i]!, node.labels)) return false;
    if (fieldReqs.length > 0) {
      const fl = { 'metadata.name': node.name };
      for (const r of fieldReqs) if (!requirementMatches(r, fl)) return false;
    }
    return true;
  };
}

/** A `NodeSelector`: the terms are ORed. No terms matches nothing. */
export function compileNodeSelector(terms: readonly NodeSelectorTerm[]): NodeMatcher {
  const compiled = terms.map(compileNodeSelectorTerm);
  if (compiled.length === 1) return compiled[0]!;
  return (node) => {
    for (let i = 0; i < compiled.length; i++) if (compiled[i]!(node)) return true;
    return false;
  };
}
