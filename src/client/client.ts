/**
 * `Client`: the small interface every k8ts component (informers, controllers, scheduler, kubelet,
 * kubectl) uses to talk to the API server. Two implementations: `RestClient` (rest.ts, HTTPS to a real
 * server) and `FakeClient` (fake.ts, an in-memory tracker that records every call, for unit tests).
 *
 * Contract:
 * - Every method addresses a resource by `ResourceRef` (group, version, plural, optional namespace).
 * - Failures reported by the server are thrown as `ApiError` (src/api/errors.ts); test them with
 *   `isNotFound(err)`, `isConflict(err)`, `isGone(err)`, … Transport failures are thrown as plain Errors.
 * - `update` sends `metadata.resourceVersion` as given, so a stale object fails with Conflict.
 * - `watch` resolves once the server has accepted the watch; the returned `Watch` yields events in order
 *   until the server ends the stream, an error occurs (thrown from the iterator), or `stop()` is called
 *   (the iteration then simply ends). An `ERROR` event carries a `Status` object, e.g. 410 Expired.
 */
import type { Status } from '../api/errors.js';
import type { KubeList, KubeObject } from '../api/types.js';
import type { ResourceRef } from './resource.js';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  limit?: number;
  continue?: string;
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Start after this version; '' or absent: the server sends ADDED for every current object first. */
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  /** Server-side timeout: the server ends the stream after this many seconds. */
  timeoutSeconds?: number;
  sendInitialEvents?: boolean;
}

export interface GetOptions {
  resourceVersion?: string;
  subresource?: string;
}

export interface WriteOptions {
  subresource?: string;
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

export interface PatchOptions extends WriteOptions {
  /** Server-side apply only: take over conflicting fields. */
  force?: boolean;
}

/** `metav1.DeleteOptions`. */
export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/** The four patch formats of the Kubernetes API and their media types. */
export const PATCH_CONTENT_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;
export type PatchType = keyof typeof PATCH_CONTENT_TYPES;

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** One line of a watch stream. For `ERROR` the object is a `Status`. */
export interface WatchEvent<T = KubeObject> {
  type: WatchEventType;
  object: T;
}

/** A running watch: iterate it for events; `stop()` ends it (the iterator then returns). */
export interface Watch<T = KubeObject> extends AsyncIterable<WatchEvent<T>> {
  stop(): void;
}

export interface Client {
  get<T extends KubeObject = KubeObject>(ref: ResourceRef, name: string, opts?: GetOptions): Promise<T>;
  list<T extends KubeObject = KubeObject>(ref: ResourceRef, opts?: ListOptions): Promise<KubeList<T>>;
  create<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T, opts?: WriteOptions & { name?: string }): Promise<T>;
  update<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T, opts?: WriteOptions): Promise<T>;
  patch<T extends KubeObject = KubeObject>(ref: ResourceRef, name: string, type: PatchType, patch: unknown, opts?: PatchOptions): Promise<T>;
  /** Resolves with what the server returns: the deleted object, or the object with its deletionTimestamp set, or a Success Status. */
  delete(ref: ResourceRef, name: string, opts?: DeleteOptions & { subresource?: string }): Promise<KubeObject | Status>;
  watch<T extends KubeObject = KubeObject>(ref: ResourceRef, opts?: WatchOptions): Promise<Watch<T>>;
}
