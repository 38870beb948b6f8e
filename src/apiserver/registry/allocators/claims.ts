/**
 * Allocation claims in the store, so that several API servers sharing one datastore (etcd, for a highly
 * available control plane) never hand out the same ClusterIP or NodePort: an address is taken by creating
 * its key (`/registry/ipaddresses/10.43.0.7`, `/registry/servicenodeports/30080`) — the store's
 * create-if-absent is the lock — and given back by deleting it. The in-memory allocators stay the fast
 * first guess; a claim that already exists means another server got there first.
 */
import { randomUUID } from 'node:crypto';
import { isStoreError, type Store } from '../../../storage/store.js';

export interface Claims {
  /** True when the claim was made; false when someone holds it already. */
  claim(id: string): Promise<boolean>;
  release(id: string): Promise<void>;
  /** Every id claimed now (to resynchronise an in-memory allocator that ran out of candidates). */
  list(): Promise<string[]>;
}

/** A claim is stored as a small object (`kind` e.g. IPAddress, as upstream's allocator keeps them). */
export function storeClaims(store: Store, prefix: string, kind: string): Claims {
  return {
    async claim(id) {
      const obj = {
        apiVersion: 'internal.k8ts.io/v1', kind,
        metadata: { name: id, uid: randomUUID(), creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') },
        spec: { parentRef: { resource: 'services' } },
      };
      try {
        await store.create(`${prefix}${id}`, Buffer.from(JSON.stringify(obj)));
        return true;
      } catch (err) {
        if (isStoreError(err, 'KeyExists')) return false;
        throw err;
      }
    },
    async release(id) {
      try {
        await store.delete(`${prefix}${id}`);
      } catch (err) {
        if (!isStoreError(err, 'NotFound')) throw err;
      }
    },
    async list() {
      const out: string[] = [];
      let cont: string | undefined;
      do {
        const page = await store.list(prefix, { limit: 10_000, continue: cont });
        for (const kv of page.kvs) out.push(kv.key.slice(prefix.length));
        cont = page.continue;
      } while (cont);
      return out;
    },
  };
}

/** Claims that always succeed (a single API server, or tests). */
export const noClaims: Claims = { claim: async () => true, release: async () => {}, list: async () => [] };
