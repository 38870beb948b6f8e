/** Server-side apply and managedFields bookkeeping. */
export { serverSideApply, updateManagedFields, conflictError, conflictMessage, type ApplyConflict, type ApplyOptions, type ApplyResult, type UpdateOptions } from './server-side-apply.js';
export { FieldSet, pathString } from './field-set.js';
export { decodeManagedFields, encodeManagedFields, printManager, type ManagedFieldsEntry } from './managed-fields.js';
export { encodeLastApplied, LAST_APPLIED_ANNOTATION } from './last-applied.js';
