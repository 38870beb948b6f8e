/**
 * Admission: the third stage of the request pipeline, run on writes after authorization and before
 * storage. Plugins run in a fixed order; every mutating hook runs before every validating hook, as
 * upstream's admission chain does. A plugin rejects a request by throwing an `ApiError` (usually
 * Forbidden); a mutating plugin changes `attrs.object` in place.
 */
import { ApiError } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import type { UserInfo } from '../authn/authenticator.js';
import type { ResourceEntry } from '../registry/catalog.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionAttributes {
  operation: Operation;
  entry: ResourceEntry;
  subresource: string;
  namespace: string;
  name: string;
  /** The incoming object (CREATE, UPDATE); mutating plugins change it in place. */
  object?: KubeObject;
  /** The stored object (UPDATE, DELETE). */
  oldObject?: KubeObject;
  user?: UserInfo;
  dryRun: boolean;
}

export interface AdmissionPlugin {
  name: string;
  mutate?(a: AdmissionAttributes): void | Promise<void>;
  validate?(a: AdmissionAttributes): void | Promise<void>;
}

/** An ordered list of plugins, run as one stage. */
export class AdmissionChain {
  constructor(private readonly plugins: AdmissionPlugin[]) {}

  async admit(a: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.mutate) await p.mutate(a);
    for (const p of this.plugins) if (p.validate) await p.validate(a);
  }

  get names(): string[] {
    return this.plugins.map((p) => p.name);
  }
}

/** Upstream's `admission.NewForbidden`: 403 `pods "x" is forbidden: <why>`, naming the resource. */
export function forbidden(a: AdmissionAttributes, why: string): ApiError {
  const resource = a.entry.group ? `${a.entry.resource}.${a.entry.group}` : a.entry.resource;
  return new ApiError('Forbidden', `${resource} "${a.name}" is forbidden: ${why}`, { name: a.name, group: a.entry.group || undefined, kind: a.entry.resource });
}

/** Upstream's `utilerrors.NewAggregate(...).Error()`: one message as is, several deduplicated in brackets. */
export function aggregate(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}
