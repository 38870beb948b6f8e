/**
 * The patch formats of the Kubernetes API: JSON patch, JSON merge patch, strategic merge patch, and the
 * strategic patches `kubectl apply` computes. Server-side apply lives in src/api/apply.
 */
export { applyJsonPatch, decodeJsonPatch, patchRejected, MAX_JSON_PATCH_OPERATIONS } from './json-patch.js';
export { applyMergePatch, createMergePatch, createThreeWayJsonMergePatch, mergePatchValue } from './merge-patch.js';
export { applyStrategicMergePatch, StrategicPatchError } from './strategic-merge.js';
export { createThreeWayMergePatch, createTwoWayMergePatch } from './three-way.js';
export { Schema, KIND_TYPES, TYPES, type FieldMeta, type GroupVersionKind } from './merge-keys.js';
