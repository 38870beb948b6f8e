/** etcd v3: `--datastore-endpoint http://HOST:PORT[,http://HOST2:PORT…]` (or https). */
import type { StoreDriver } from '../index.js';
import { EtcdStore } from './store.js';

export const etcdDriver: StoreDriver = {
  schemes: ['http', 'https'],
  async open(endpoint) {
    const store = await EtcdStore.open(endpoint);
    return { store, description: `etcd ${endpoint}` };
  },
};
