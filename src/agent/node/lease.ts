/**
 * Node heartbeats through Leases in `kube-node-lease`, as upstream's kubelet node-lease controller:
 * one Lease per node, named after it, `holderIdentity` the node name, `leaseDurationSeconds` 40 by
 * default, owned by the Node (so it goes when the Node goes), `renewTime` moved every quarter of the
 * duration (10 s).
 *
 * Contract of `NodeLeases.renew(node)`:
 * - The first renewal of a node creates its Lease (or, when it exists, gets it and updates it); later
 *   ones update the last Lease seen, with its resourceVersion, so one renewal is one PUT. (Upstream
 *   gets first; creating first saves a request per node when thousands register at once.)
 * - On Conflict the cached Lease is dropped and the next renewal starts again from a GET; on NotFound
 *   it starts again from a create.
 * - The Node's uid, when known (`setOwner`), becomes the Lease's ownerReference.
 */
import { isAlreadyExists, isConflict, isNotFound } from '../../api/errors.js';
import type { Lease } from '../../api/types.js';
import type { Client } from '../../client/client.js';
import { formatMicroTime, realClock, type Clock } from '../../client/clock.js';
import { inNamespace, resources } from '../../client/resource.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
export const DEFAULT_LEASE_DURATION_SECONDS = 40;
/** Upstream renews at a quarter of the duration: 10 s for 40 s. */
export const RENEW_FRACTION = 0.25;

const leases = inNamespace(resources.leases, NODE_LEASE_NAMESPACE);

export class NodeLeases {
  private readonly latest = new Map<string, Lease>();
  private readonly owners = new Map<string, string>();
  /** Nodes whose last update hit a Conflict: their next renewal starts from a GET. */
  private readonly conflicted = new Set<string>();
  private readonly clock: Clock;

  constructor(private readonly client: Client, private readonly durationSeconds = DEFAULT_LEASE_DURATION_SECONDS, clock?: Clock) {
    this.clock = clock ?? realClock;
  }

  /** How often `renew` should be called for each node. */
  get renewIntervalMs(): number {
    return this.durationSeconds * 1000 * RENEW_FRACTION;
  }

  setOwner(node: string, uid: string): void {
    this.owners.set(node, uid);
  }

  forget(node: string): void {
    this.latest.delete(node);
    this.owners.delete(node);
    this.conflicted.delete(node);
  }

  /** The Lease as last written, if any. */
  get(node: string): Lease | undefined {
    return this.latest.get(node);
  }

  async renew(node: string): Promise<void> {
    const renewTime = formatMicroTime(this.clock.now());
    let lease = this.latest.get(node);
    try {
      if (!lease) {
        lease = await this.getOrCreate(node, renewTime, this.conflicted.delete(node));
        if (lease.spec?.renewTime === renewTime) {
          this.latest.set(node, lease);
          return;
        }
      }
      const next = this.withRenewal(lease, node, renewTime);
      this.latest.set(node, await this.client.update<Lease>(leases, next));
    } catch (err) {
      if (isConflict(err)) this.conflicted.add(node);
      if (isConflict(err) || isNotFound(err)) this.latest.delete(node);
      throw err;
    }
  }

  /**
   * Creates the Lease (the usual case at registration: one request), or gets the one there already.
   * After a Conflict the Lease is known to exist, so it is fetched first.
   */
  private async getOrCreate(node: string, renewTime: string, getFirst: boolean): Promise<Lease> {
    if (getFirst) {
      try {
        return await this.client.get<Lease>(leases, node);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    const fresh: Lease = {
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
      metadata: { name: node, namespace: NODE_LEASE_NAMESPACE },
    };
    try {
      return await this.client.create<Lease>(leases, this.withRenewal(fresh, node, renewTime));
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    return this.client.get<Lease>(leases, node);
  }

  private withRenewal(lease: Lease, node: string, renewTime: string): Lease {
    const uid = this.owners.get(node);
    const metadata = { ...lease.metadata };
    if (uid && !metadata.ownerReferences?.some((r) => r.uid === uid)) {
      metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: node, uid }];
    }
    return {
      ...lease, metadata,
      spec: { ...lease.spec, holderIdentity: node, leaseDurationSeconds: this.durationSeconds, renewTime },
    };
  }
}
