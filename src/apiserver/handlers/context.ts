/** What every REST handler needs: the registry stores, the watch cache, the store and the clock. */
import type { Store } from '../../storage/store.js';
import type { UserInfo } from '../authn/authenticator.js';
import type { ResourceEntry } from '../registry/catalog.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { TokenSigner } from '../serviceaccount/jwt.js';
import type { WatchCache } from '../watchcache/watch-cache.js';
import type { RequestInfo } from './request-info.js';

export interface ApiContext {
  store: Store;
  cache: WatchCache;
  /** The registry store of a resource, by storage name. */
  resourceStore(storage: string): ResourceStore;
  now(): Date;
  log(line: string): void;
  /** Signs service account tokens (serviceaccounts/token). */
  tokenSigner?: TokenSigner;
}

/** One resource request after authentication and authorization. */
export interface ResourceRequest {
  info: RequestInfo;
  entry: ResourceEntry;
  query: URLSearchParams;
  user: UserInfo;
}
