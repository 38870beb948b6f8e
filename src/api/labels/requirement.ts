/**
 * One requirement of a label selector (`key in (a,b)`, `key!=v`, `!key`, ...), as upstream's
 * `labels.Requirement`: validated at construction, matched against a label set, printed canonically.
 */
import { aggregate, fieldErrors, fieldErrorString, type FieldError } from '../validation/field-error.js';
import { isQualifiedName, isValidLabelValue } from '../validation/names.js';

/** Upstream's `selection.Operator` values. */
export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export const BINARY_OPERATORS: readonly Operator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
export const UNARY_OPERATORS: readonly Operator[] = ['exists', '!'];

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** As given (the parser gives them sorted and de-duplicated). */
  readonly values: readonly string[];
}

/** Joins field paths like upstream's `field.Path`: an absent root prints as `<nil>`. */
function join(path: string | undefined, child: string): string {
  return path ? `${path}.${child}` : child;
}

/** `validateLabelKey`: the key as a qualified name; the error names the path (`<nil>` when there is none). */
export function validateLabelKey(key: string, path: string | undefined): FieldError | undefined {
  const errs = isQualifiedName(key);
  return errs.length ? fieldErrors.invalid(path ?? '<nil>', key, errs.join('; ')) : undefined;
}

function validateLabelValue(key: string, value: string, path: string): FieldError | undefined {
  const errs = isValidLabelValue(value);
  return errs.length ? fieldErrors.invalid(`${path}[${key}]`, value, errs.join('; ')) : undefined;
}

/**
 * `labels.NewRequirement`: checks the key, the operator's arity and every value; returns the requirement or
 * the aggregated error message (as upstream's `field.ErrorList.ToAggregate().Error()`).
 */
export function newRequirement(key: string, operator: Operator, values: readonly string[], path?: string): Requirement | { error: string } {
  const errs: FieldError[] = [];
  const keyErr = validateLabelKey(key, join(path, 'key'));
  if (keyErr) errs.push(keyErr);
  const valuePath = join(path, 'values');
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push(fieldErrors.invalid(valuePath, values, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(fieldErrors.invalid(valuePath, values, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(fieldErrors.invalid(valuePath, values, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(fieldErrors.invalid(valuePath, values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (!isInt64(v)) errs.push(fieldErrors.invalid(`${valuePath}[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
    default:
      errs.push(fieldErrors.notSupported(join(path, 'operator'), operator, [...BINARY_OPERATORS, ...UNARY_OPERATORS]));
  }
  values.forEach((v, i) => {
    const e = validateLabelValue(key, v, `${valuePath}[${i}]`);
    if (e) errs.push(e);
  });
  if (errs.length) return { error: aggregate(errs.map(fieldErrorString)) };
  return { key, operator, values: [...values] };
}

const INT64_RE = /^[+-]?\d+$/;
function isInt64(v: string): boolean {
  if (!INT64_RE.test(v)) return false;
  const n = BigInt(v);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/** `Requirement.Matches`. */
export function requirementMatches(r: Requirement, labels: Record<string, string> | undefined): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels![r.key]! : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value!);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !isInt64(value!) || r.values.length !== 1 || !isInt64(r.values[0]!)) return false;
      const lv = BigInt(value!);
      const rv = BigInt(r.values[0]!);
      return r.operator === 'gt' ? lv > rv : lv < rv;
    }
  }
}

const OPERATOR_TEXT: Record<Operator, string> = {
  '=': '=', '==': '==', '!=': '!=', in: ' in ', notin: ' notin ', gt: '>', lt: '<', exists: '', '!': '',
};

/** `Requirement.String`: `!k`, `k`, `k=v`, `k in (a,b)` with values sorted. */
export function requirementString(r: Requirement): string {
  let s = r.operator === '!' ? `!${r.key}` : r.key;
  if (r.operator === 'exists' || r.operator === '!') return s;
  s += OPERATOR_TEXT[r.operator];
  const values = r.values.length === 1 ? r.values[0]! : [...r.values].sort().join(',');
  return r.operator === 'in' || r.operator === 'notin' ? `${s}(${values})` : s + values;
}
