/**
 * The lock leader election takes: a `coordination.k8s.io/v1` Lease (client-go `resourcelock.LeaseLock`).
 *
 * Contract: `get()` reads the current record (throws NotFound when there is no Lease yet); `create` and
 * `update` write a record, and `update` is conditional on the resourceVersion of the last `get`/write,
 * so two candidates racing for one Lease cannot both win: the loser gets a Conflict.
 */
import type { Lease } from '../../api/types.js';
import { formatMicroTime } from '../clock.js';
import type { Client } from '../client.js';
import { resources } from '../resource.js';

/** What a lock holds, with times in milliseconds since the epoch. */
export interface LeaderElectionRecord {
  /** '' when nobody holds the lock (after a release). */
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: number;
  renewTime: number;
  leaseTransitions: number;
}

export interface ResourceLock {
  get(): Promise<LeaderElectionRecord>;
  create(record: LeaderElectionRecord): Promise<void>;
  update(record: LeaderElectionRecord): Promise<void>;
  /** Who this candidate is. */
  identity(): string;
  /** `namespace/name`, for logs. */
  describe(): string;
}

export class LeaseLock implements ResourceLock {
  private lease: Lease | undefined;

  constructor(private readonly client: Client, readonly namespace: string, readonly name: string, private readonly id: string) {}

  async get(): Promise<LeaderElectionRecord> {
    this.lease = await this.client.get<Lease & { [k: string]: unknown }>({ ...resources.leases, namespace: this.namespace }, this.name);
    return recordFromLease(this.lease);
  }

  async create(record: LeaderElectionRecord): Promise<void> {
    this.lease = await this.client.create<Lease & { [k: string]: unknown }>({ ...resources.leases, namespace: this.namespace }, {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.name, namespace: this.namespace },
      spec: specFromRecord(record),
    });
  }

  async update(record: LeaderElectionRecord): Promise<void> {
    if (!this.lease) throw new Error('lease not initialized, call get or create first');
    this.lease = await this.client.update<Lease & { [k: string]: unknown }>({ ...resources.leases, namespace: this.namespace }, {
      ...this.lease,
      spec: specFromRecord(record),
    });
  }

  identity(): string {
    return this.id;
  }

  describe(): string {
    return `${this.namespace}/${this.name}`;
  }
}

function parseTime(s: string | undefined): number {
  const t = s ? Date.parse(s) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

export function recordFromLease(lease: Lease): LeaderElectionRecord {
  const s = lease.spec ?? {};
  return {
    holderIdentity: s.holderIdentity ?? '',
    leaseDurationSeconds: s.leaseDurationSeconds ?? 0,
    acquireTime: parseTime(s.acquireTime),
    renewTime: parseTime(s.renewTime),
    leaseTransitions: s.leaseTransitions ?? 0,
  };
}

export function specFromRecord(r: LeaderElectionRecord): NonNullable<Lease['spec']> {
  return {
    holderIdentity: r.holderIdentity,
    leaseDurationSeconds: r.leaseDurationSeconds,
    acquireTime: formatMicroTime(r.acquireTime),
    renewTime: formatMicroTime(r.renewTime),
    leaseTransitions: r.leaseTransitions,
  };
}
