/**
 * Where a reflector gets its data: a Lister plus a Watcher (client-go `ListerWatcher`).
 * `listWatchFor(client, ref, …)` builds one for any resource on a `Client`, with fixed selectors.
 */
import type { KubeList, KubeObject } from '../../api/types.js';
import type { Client, ListOptions, Watch, WatchOptions } from '../client.js';
import type { ResourceRef } from '../resource.js';

export interface ListFunc<T> {
  list(opts: ListOptions): Promise<KubeList<T>>;
}

export interface WatchFunc<T> {
  watch(opts: WatchOptions): Promise<Watch<T>>;
}

export interface ListerWatcher<T> extends ListFunc<T>, WatchFunc<T> {}

export function listWatchFor<T extends KubeObject>(client: Client, ref: ResourceRef, selectors: { labelSelector?: string; fieldSelector?: string } = {}): ListerWatcher<T> {
  return {
    list: (opts) => client.list<T>(ref, { ...selectors, ...opts }),
    watch: (opts) => client.watch<T>(ref, { ...selectors, ...opts }),
  };
}
