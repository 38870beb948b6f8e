/**
 * Field errors, as upstream's `k8s.io/apimachinery/pkg/util/validation/field` renders them.
 *
 * A `FieldError` is what `errors.invalid(group, kind, name, causes)` in src/api/errors.ts takes:
 * `field` is the dotted path (`metadata.name`, `spec.containers[0].image`, `metadata.labels[app]`),
 * `type` is the Status cause type (`FieldValueInvalid`, ...), and `detail` is the full body upstream puts in
 * the cause message, e.g. `Invalid value: "Foo": a lowercase RFC 1123 subdomain must ...`.
 */

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

export interface FieldError {
  field: string;
  type: FieldErrorType;
  detail: string;
}

/** The words upstream prints for each error type. */
const TYPE_WORDS: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** Renders a bad value as upstream's `%q` / `%v` do for the common JSON types. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  // A list of strings prints as Go's %#v does, which is what upstream's selector errors show.
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return `[]string{${value.map((v) => JSON.stringify(v)).join(', ')}}`;
  return JSON.stringify(value);
}

function withValue(type: FieldErrorType, value: unknown, detail: string): string {
  const body = `${TYPE_WORDS[type]}: ${formatValue(value)}`;
  return detail ? `${body}: ${detail}` : body;
}

function bare(type: FieldErrorType, detail: string): string {
  return detail ? `${TYPE_WORDS[type]}: ${detail}` : TYPE_WORDS[type];
}

/** Constructors named as upstream's `field.Invalid`, `field.Required`, ... */
export const fieldErrors = {
  invalid: (field: string, value: unknown, detail: string): FieldError =>
    ({ field, type: 'FieldValueInvalid', detail: withValue('FieldValueInvalid', value, detail) }),
  required: (field: string, detail = ''): FieldError =>
    ({ field, type: 'FieldValueRequired', detail: bare('FieldValueRequired', detail) }),
  forbidden: (field: string, detail: string): FieldError =>
    ({ field, type: 'FieldValueForbidden', detail: bare('FieldValueForbidden', detail) }),
  duplicate: (field: string, value: unknown): FieldError =>
    ({ field, type: 'FieldValueDuplicate', detail: withValue('FieldValueDuplicate', value, '') }),
  notFound: (field: string, value: unknown): FieldError =>
    ({ field, type: 'FieldValueNotFound', detail: withValue('FieldValueNotFound', value, '') }),
  notSupported: (field: string, value: unknown, valid: readonly string[]): FieldError => ({
    field,
    type: 'FieldValueNotSupported',
    detail: withValue('FieldValueNotSupported', value, valid.length ? `supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}` : ''),
  }),
  tooLong: (field: string, maxLength: number): FieldError => ({
    field,
    type: 'FieldValueTooLong',
    detail: bare('FieldValueTooLong', maxLength >= 0 ? `may not be more than ${maxLength} ${maxLength === 1 ? 'byte' : 'bytes'}` : 'value is too long'),
  }),
  tooMany: (field: string, actual: number, max: number): FieldError => ({
    field,
    type: 'FieldValueTooMany',
    detail: bare('FieldValueTooMany', `${actual}: must have at most ${max} items`),
  }),
};

/** `field.Error.Error()`: `<field>: <detail>` — the text of one error in an aggregated message. */
export function fieldErrorString(e: FieldError): string {
  return `${e.field}: ${e.detail}`;
}

/** `utilerrors.NewAggregate(errs).Error()`: duplicates dropped; one error as is, several as `[a, b]`. */
export function aggregate(messages: string[]): string {
  const unique = [...new Set(messages)];
  if (unique.length === 1) return unique[0]!;
  return `[${unique.join(', ')}]`;
}

/**
 * The message of an `Invalid` status as upstream's `NewInvalid` writes it:
 * `Pod "x" is invalid: metadata.name: Invalid value: ...`, several errors as `[a, b]`.
 */
export function invalidMessage(group: string, kind: string, name: string, errs: FieldError[]): string {
  const qualified = group ? `${kind}.${group}` : kind;
  return errs.length === 0 ? `${qualified} "${name}" is invalid` : `${qualified} "${name}" is invalid: ${aggregate(errs.map(fieldErrorString))}`;
}

/** Helper for building field paths: `path('spec').child('containers').index(0).key('app')`. */
export class FieldPath {
  private constructor(private readonly text: string) {}
  static root(name: string): FieldPath {
    return new FieldPath(name);
  }
  child(name: string): FieldPath {
    return new FieldPath(this.text ? `${this.text}.${name}` : name);
  }
  index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }
  key(k: string): FieldPath {
    return new FieldPath(`${this.text}[${k}]`);
  }
  toString(): string {
    return this.text;
  }
}
