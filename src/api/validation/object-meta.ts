/**
 * `metadata` validation, as upstream's `ValidateObjectMetaAccessor` / `ValidateObjectMetaAccessorUpdate`
 * (k8s.io/apimachinery/pkg/api/validation/objectmeta.go). Returns field errors ready for
 * `errors.invalid(group, kind, name, errs)`; an empty list means valid.
 */
import type { ObjectMeta, OwnerReference } from '../types.js';
import { fieldErrors, type FieldError } from './field-error.js';
import { isDNS1123Label, isQualifiedName, isValidLabelValue, nameIsDNSLabel, TOTAL_ANNOTATION_SIZE_LIMIT, type NameValidator } from './names.js';

export interface ObjectMetaOptions {
  /** True for namespaced kinds: `metadata.namespace` is then required, otherwise forbidden. */
  namespaced: boolean;
  /** How this kind's names are checked (`nameIsDNSSubdomain` for most). */
  nameFn: NameValidator;
  /** The path of the metadata; `metadata` unless validating an embedded template. */
  path?: string;
}

const FIELD_IMMUTABLE = 'field is immutable';
const MAX_FIELD_MANAGER_LENGTH = 128;
const MAX_SUBRESOURCE_NAME_LENGTH = 256;
const FINALIZER_ORPHAN = 'orphan';
const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';

/** `v1validation.ValidateLabels`: keys are qualified names, values label values; errors on the map's path. */
export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const m of isQualifiedName(k)) errs.push(fieldErrors.invalid(path, k, m));
    for (const m of isValidLabelValue(v)) errs.push(fieldErrors.invalid(path, v, m));
  }
  return errs;
}

/** Total bytes of all keys and values, as upstream counts them (UTF-8 lengths). */
export function annotationsSize(annotations: Record<string, string> | undefined): number {
  let n = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) n += Buffer.byteLength(k) + Buffer.byteLength(v);
  return n;
}

/** `ValidateAnnotations`: keys are qualified names ignoring case; the whole map at most 256 KiB. */
export function validateAnnotations(annotations: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of Object.keys(annotations ?? {})) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(fieldErrors.invalid(path, k, m));
  }
  if (annotationsSize(annotations) > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(fieldErrors.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

/** `ValidateOwnerReferences`: each needs apiVersion with a version, kind, name and uid; one controller at most. */
export function validateOwnerReferences(refs: OwnerReference[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let controller = '';
  for (const ref of refs ?? []) {
    const apiVersion = ref.apiVersion ?? '';
    const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    if (!version) errs.push(fieldErrors.invalid(`${path}.apiVersion`, apiVersion, 'version must not be empty'));
    if (!ref.kind) errs.push(fieldErrors.invalid(`${path}.kind`, ref.kind ?? '', 'kind must not be empty'));
    if (!ref.name) errs.push(fieldErrors.invalid(`${path}.name`, ref.name ?? '', 'name must not be empty'));
    if (!ref.uid) errs.push(fieldErrors.invalid(`${path}.uid`, ref.uid ?? '', 'uid must not be empty'));
    if (ref.controller) {
      const name = `${ref.kind}/${ref.name}`;
      if (controller) {
        errs.push(fieldErrors.invalid(path, refs, `Only one reference can have Controller set to true. Found "true" in references for ${controller} and ${name}`));
      } else {
        controller = name;
      }
    }
  }
  return errs;
}

/** `ValidateFinalizers`: qualified names; `orphan` and `foregroundDeletion` not both. */
export function validateFinalizers(finalizers: string[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers ?? []) for (const m of isQualifiedName(f)) errs.push(fieldErrors.invalid(path, f, m));
  if (finalizers?.includes(FINALIZER_ORPHAN) && finalizers.includes(FINALIZER_DELETE_DEPENDENTS)) {
    errs.push(fieldErrors.invalid(path, finalizers, `finalizer ${FINALIZER_ORPHAN} and ${FINALIZER_DELETE_DEPENDENTS} cannot be both set`));
  }
  return errs;
}

/** `ValidateManagedFields`: operation Apply|Update, fieldsType FieldsV1, manager at most 128 characters. */
export function validateManagedFields(entries: ObjectMeta['managedFields'], path: string): FieldError[] {
  const errs: FieldError[] = [];
  (entries ?? []).forEach((e, i) => {
    const p = `${path}[${i}]`;
    if (e.operation !== 'Apply' && e.operation !== 'Update') errs.push(fieldErrors.invalid(`${p}.operation`, e.operation ?? '', 'must be `Apply` or `Update`'));
    if (e.fieldsType && e.fieldsType !== 'FieldsV1') errs.push(fieldErrors.invalid(`${p}.fieldsType`, e.fieldsType, 'must be `FieldsV1`'));
    if ((e.manager ?? '').length > MAX_FIELD_MANAGER_LENGTH) errs.push(fieldErrors.tooLong(`${p}.manager`, MAX_FIELD_MANAGER_LENGTH));
    if ((e.subresource ?? '').length > MAX_SUBRESOURCE_NAME_LENGTH) errs.push(fieldErrors.tooLong(`${p}.subresource`, MAX_SUBRESOURCE_NAME_LENGTH));
  });
  return errs;
}

/** The checks create and update share: labels, annotations, ownerReferences, finalizers, managedFields. */
function validateMetaMaps(m: ObjectMeta, path: string): FieldError[] {
  return [
    ...validateLabels(m.labels, `${path}.labels`),
    ...validateAnnotations(m.annotations, `${path}.annotations`),
    ...validateOwnerReferences(m.ownerReferences, `${path}.ownerReferences`),
    ...validateFinalizers(m.finalizers, `${path}.finalizers`),
    ...validateManagedFields(m.managedFields, `${path}.managedFields`),
  ];
}

/** `ValidateNamespaceName`. */
export const validateNamespaceName: NameValidator = nameIsDNSLabel;

/** Create-time validation of `metadata` (`ValidateObjectMeta`). */
export function validateObjectMeta(meta: ObjectMeta | undefined, opts: ObjectMetaOptions): FieldError[] {
  const path = opts.path ?? 'metadata';
  const m = meta ?? {};
  const errs: FieldError[] = [];
  if (m.generateName) for (const msg of opts.nameFn(m.generateName, true)) errs.push(fieldErrors.invalid(`${path}.generateName`, m.generateName, msg));
  if (!m.name) errs.push(fieldErrors.required(`${path}.name`, 'name or generateName is required'));
  else for (const msg of opts.nameFn(m.name, false)) errs.push(fieldErrors.invalid(`${path}.name`, m.name, msg));
  if (opts.namespaced) {
    if (!m.namespace) errs.push(fieldErrors.required(`${path}.namespace`));
    else for (const msg of isDNS1123Label(m.namespace)) errs.push(fieldErrors.invalid(`${path}.namespace`, m.namespace, msg));
  } else if (m.namespace) {
    errs.push(fieldErrors.forbidden(`${path}.namespace`, 'not allowed on this type'));
  }
  if (m.generation !== undefined && m.generation < 0) errs.push(fieldErrors.invalid(`${path}.generation`, m.generation, 'must be greater than or equal to 0'));
  errs.push(...validateMetaMaps(m, path));
  return errs;
}

function immutable(newVal: unknown, oldVal: unknown, path: string): FieldError[] {
  if (JSON.stringify(newVal ?? null) === JSON.stringify(oldVal ?? null)) return [];
  return [fieldErrors.invalid(path, newVal ?? '', FIELD_IMMUTABLE)];
}

/**
 * Update-time validation of `metadata` (`ValidateObjectMetaUpdate`): name, namespace, uid and
 * creationTimestamp are immutable; resourceVersion must be set; generation never decreases; no new
 * finalizers once deletion has started; labels, annotations, ownerReferences, managedFields as on create.
 */
export function validateObjectMetaUpdate(newMeta: ObjectMeta | undefined, oldMeta: ObjectMeta | undefined, opts: { path?: string } = {}): FieldError[] {
  const path = opts.path ?? 'metadata';
  const n = newMeta ?? {};
  const o = oldMeta ?? {};
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const old = new Set(o.finalizers ?? []);
    const extra = [...new Set((n.finalizers ?? []).filter((f) => !old.has(f)))].sort();
    if (extra.length) errs.push(fieldErrors.forbidden(`${path}.finalizers`, `no new finalizers can be added if the object is being deleted, found new finalizers []string{${extra.map((f) => JSON.stringify(f)).join(', ')}}`));
  }
  if (!n.resourceVersion) errs.push(fieldErrors.invalid(`${path}.resourceVersion`, n.resourceVersion ?? '', 'must be specified for an update'));
  if ((n.generation ?? 0) < (o.generation ?? 0)) errs.push(fieldErrors.invalid(`${path}.generation`, n.generation ?? 0, 'must not be decremented'));
  errs.push(...immutable(n.name, o.name, `${path}.name`));
  errs.push(...immutable(n.namespace, o.namespace, `${path}.namespace`));
  errs.push(...immutable(n.uid, o.uid, `${path}.uid`));
  errs.push(...immutable(n.creationTimestamp, o.creationTimestamp, `${path}.creationTimestamp`));
  errs.push(...immutable(n.deletionTimestamp, o.deletionTimestamp, `${path}.deletionTimestamp`));
  errs.push(...immutable(n.deletionGracePeriodSeconds, o.deletionGracePeriodSeconds, `${path}.deletionGracePeriodSeconds`));
  errs.push(...validateMetaMaps(n, path));
  return errs;
}
