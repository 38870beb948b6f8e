/**
 * Admission: the third stage of the request pipeline, run on writes after authorization and before
 * storage. Plugins run in a fixed order; every mutating hook runs before every validating hook, as
 * upstream's admission chain does. A plugin rejects a request by throwing an `ApiError` (usually
 * Forbidden); a mutating plugin changes `attrs.object` in place.
 */
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
