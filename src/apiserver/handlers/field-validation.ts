/**
 * Decoding checks on a request's object: its JSON types against the schema (always), and
 * `fieldValidation=Strict|Warn|Ignore` (default Warn): fields the kind's schema does not define are a
 * 400 BadRequest under Strict, a `Warning` header per field under Warn, and dropped silently under Ignore.
 */
import type { ServerResponse } from 'node:http';
import { errors } from '../../api/errors.js';
import { typeErrorOfKind } from '../../api/schema/type-errors.js';
import { unknownFieldsOfKind } from '../../api/schema/unknown-fields.js';
import type { KubeObject } from '../../api/types.js';
import { apiVersionOf, type ResourceEntry } from '../registry/catalog.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function fieldValidationOf(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw errors.badRequest(`fieldValidation parameter unsupported: ${v}`);
}

/** Checks `obj` for unknown fields per `mode`; under Warn, adds the warnings to `res`. */
export function checkUnknownFields(obj: KubeObject, entry: ResourceEntry, mode: FieldValidation, res: ServerResponse, kind = entry.kind): void {
  const typeError = typeErrorOfKind(apiVersionOf(entry), kind, obj as Record<string, unknown>);
  if (typeError) throw errors.badRequest(`${kind} in version "${entry.version}" cannot be handled as a ${kind}: ${typeError}`);
  if (mode === 'Ignore') return;
  const unknown = unknownFieldsOfKind(apiVersionOf(entry), kind, obj as Record<string, unknown>);
  if (!unknown.length) return;
  if (mode === 'Strict') {
    throw errors.badRequest(`${kind} in version "${entry.version}" cannot be handled as a ${kind}: strict decoding error: ${unknown.map((p) => `unknown field "${p}"`).join(', ')}`);
  }
  const existing = res.getHeader('Warning');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  res.setHeader('Warning', [...list, ...unknown.map((p) => `299 - ${JSON.stringify(`unknown field "${p}"`)}`)]);
}
