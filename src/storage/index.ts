/**
 * Opens the store named by `--datastore-endpoint`. Drivers register by URL scheme, as kine's do;
 * the empty endpoint means the embedded default (SQLite in the data dir).
 */
import type { Store } from './store.js';
import { etcdDriver } from './etcd/driver.js';
import { sqliteDriver } from './sqlite/driver.js';

export interface OpenedStore {
  store: Store;
  /** One line for the server's log, e.g. "sqlite /var/lib/k8ts/server/db/state.db". */
  description: string;
}

export interface StoreDriver {
  /** URL schemes this driver serves; '' is the embedded default. */
  schemes: string[];
  open(endpoint: string, dataDir: string): Promise<OpenedStore>;
}

const drivers: StoreDriver[] = [sqliteDriver, etcdDriver];

export async function openStore(options: { endpoint: string; dataDir: string }): Promise<OpenedStore> {
  const scheme = options.endpoint === '' ? '' : options.endpoint.split('://')[0];
  const driver = drivers.find((d) => d.schemes.includes(scheme));
  if (!driver) throw new Error(`no datastore driver for endpoint "${options.endpoint}"`);
  return driver.open(options.endpoint, options.dataDir);
}
