/**
 * Listers: read-only, typed views of an informer's cache (client-go's generated listers, generic here).
 * Controllers read current state through listers, never through the API, and never mutate what they get.
 *
 * `get` returns `undefined` when the object is not in the cache.
 */
import type { KubeObject } from '../../api/types.js';
import { NAMESPACE_INDEX, type Indexer } from './store.js';

/** Anything that can decide on a label set: `Selector` from src/api/labels fits. */
export interface LabelMatcher {
  matches(labels: Record<string, string> | undefined): boolean;
}

export interface NamespaceLister<T> {
  list(selector?: LabelMatcher): T[];
  get(name: string): T | undefined;
}

export interface Lister<T> {
  /** Objects in every namespace (or all cluster-scoped objects). */
  list(selector?: LabelMatcher): T[];
  /** A cluster-scoped object by name. */
  get(name: string): T | undefined;
  namespaced(namespace: string): NamespaceLister<T>;
}

const select = <T extends KubeObject>(items: T[], selector?: LabelMatcher): T[] =>
  selector ? items.filter((o) => selector.matches(o.metadata?.labels)) : items;

export class GenericLister<T extends KubeObject> implements Lister<T> {
  constructor(private readonly indexer: Indexer<T>) {}

  list(selector?: LabelMatcher): T[] {
    return select(this.indexer.list(), selector);
  }

  get(name: string): T | undefined {
    return this.indexer.getByKey(name);
  }

  namespaced(namespace: string): NamespaceLister<T> {
    const indexer = this.indexer;
    return {
      list: (selector) => select(indexer.byIndex(NAMESPACE_INDEX, namespace), selector),
      get: (name) => indexer.getByKey(`${namespace}/${name}`),
    };
  }
}
