/**
 * A resource strategy: the per-kind hooks the generic registry store calls, as upstream's
 * `rest.RESTCreateStrategy` / `RESTUpdateStrategy` / `RESTDeleteStrategy`.
 *
 * Order on create: decode → `prepareForCreate` → generic meta (name, uid, timestamps) → admission
 * (mutate, then validate) → `validate` → store. On update: `prepareForUpdate(new, old)` → generic meta →
 * admission → `validateUpdate`. A hook mutates the object it is given; validation returns field errors
 * (an empty list is valid). `getAttrs` lists the field-selector values of an object: every kind has
 * `metadata.name` and `metadata.namespace`; kinds add their own (pods: `spec.nodeName`, `status.phase`, …).
 */
import type { KubeObject } from '../../api/types.js';
import type { FieldError } from '../../api/validation/field-error.js';
import type { NameValidator } from '../../api/validation/names.js';
import type { ResourceEntry } from './catalog.js';

export interface StrategyContext {
  now: Date;
  entry: ResourceEntry;
  /** Set for a request that must not persist anything. */
  dryRun: boolean;
}

export interface Strategy {
  /** Name rule for `metadata.name` (and `generateName`); default DNS-1123 subdomain. */
  nameValidator?: NameValidator;
  /** True when `metadata.generation` is kept (starts at 1, bumped on every spec change). */
  tracksGeneration?: boolean;
  /** True when the kind has a `status` subresource: the main resource cannot write status, and vice versa. */
  hasStatus?: boolean;
  /** Keep a client's status on create (nodes: the kubelet registers with its status). Default: status is reset. */
  keepStatusOnCreate?: boolean;
  /** Whether PUT may create an object that does not exist (nodes, namespaced leases, …). */
  allowCreateOnUpdate?: boolean;

  /** Fills defaults, as upstream's defaulting functions (applied on create and update). */
  defaults?(obj: KubeObject): void;
  /** Resets fields a client may not set at creation (usually status). */
  prepareForCreate?(obj: KubeObject, ctx: StrategyContext): void | Promise<void>;
  /** Copies over fields a client may not change through the main resource (usually status). */
  prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): void | Promise<void>;
  validate?(obj: KubeObject): FieldError[];
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /** Field-selector values beyond `metadata.name` and `metadata.namespace`. */
  getAttrs?(obj: KubeObject): Record<string, string>;
  /** Called once the object is gone from the store (e.g. to release a Service's ClusterIP). */
  afterDelete?(obj: KubeObject): void | Promise<void>;
  /**
   * Decides how a DELETE proceeds for an object with no finalizers: `immediate` removes it, `graceful`
   * sets deletionTimestamp now + `graceSeconds` and leaves removal to its owner (the kubelet for pods).
   */
  deletion?(obj: KubeObject, requestedGrace: number | undefined): { mode: 'immediate' } | { mode: 'graceful'; graceSeconds: number };
  /** Called instead of the generic delete marking, for kinds that enter a phase (namespaces: Terminating). */
  beginDeletion?(obj: KubeObject, ctx: StrategyContext): void;
  /** Extra condition that must hold before a marked object may leave the store (namespaces: spec.finalizers empty). */
  readyToRemove?(obj: KubeObject): boolean;
}

/** The strategies of every stored kind, by storage name. Kinds without an entry use the generic one. */
const strategies = new Map<string, Strategy>();

export function registerStrategy(storage: string, s: Strategy): void {
  strategies.set(storage, s);
}

export function strategyFor(storage: string): Strategy {
  return strategies.get(storage) ?? {};
}
