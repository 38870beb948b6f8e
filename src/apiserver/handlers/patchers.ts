/**
 * The patch types PATCH accepts, by Content-Type: each turns (current object, parsed patch body) into the
 * patched object. Server-side apply registers here too once its engine is wired (see patch handler).
 */
import { errors } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { applyJsonPatch } from '../../api/patch/json-patch.js';
import { applyMergePatch } from '../../api/patch/merge-patch.js';
import { applyStrategicMergePatch } from '../../api/patch/strategic-merge.js';
import type { ResourceEntry } from '../registry/catalog.js';

export type Patcher = (current: KubeObject, patch: unknown, entry: ResourceEntry) => KubeObject;

const patchers = new Map<string, Patcher>([
  ['application/json-patch+json', (cur, patch) => applyJsonPatch(cur, patch)],
  ['application/merge-patch+json', (cur, patch) => applyMergePatch(cur, patch)],
  ['application/strategic-merge-patch+json', (cur, patch, e) => applyStrategicMergePatch(cur, patch, { group: e.group, version: e.version, kind: e.kind })],
]);

export function registerPatcher(mediaType: string, p: Patcher): void {
  patchers.set(mediaType, p);
}

export function patcherFor(mediaType: string): Patcher {
  const p = patchers.get(mediaType);
  if (!p) {
    throw errors.unsupportedMediaType(mediaType);
  }
  return p;
}

export function patchTypes(): string[] {
  return [...patchers.keys()];
}
