/**
 * `NodeManager`: the node side of an agent, the same for a real kubelet (one node) and for simulated
 * nodes (thousands): registers each node, then keeps it alive with two `SpreadLoop`s, one renewing
 * Leases (every quarter of the lease duration) and one syncing status (every 10 s, written on change or
 * every 5 min). Runtimes provide the node descriptions and their health; they never talk to the Node or
 * Lease APIs themselves.
 *
 * Contract:
 * - `register(descriptions)` registers the nodes, at most `concurrency` at a time, retrying a node whose
 *   registration failed (e.g. the server is not up yet) with backoff up to 7 s, as upstream does, until
 *   it succeeds or `stop()` is called. Each node's first Lease is written right after it registers.
 * - `onRegistered(node)` is told of each Node as the server has it (for its uid and spec.podCIDR).
 * - `stop()` ends the loops, waits for in-flight writes, and leaves Nodes and Leases in place (the node
 *   lifecycle controller marks them NotReady once the Leases expire).
 */
import type { Node } from '../../api/types.js';
import type { Client } from '../../client/client.js';
import { formatTime, realClock, type Clock } from '../../client/clock.js';
import { HEALTHY, type NodeHealth } from './conditions.js';
import { NodeLeases, DEFAULT_LEASE_DURATION_SECONDS } from './lease.js';
import type { NodeDescription } from './node-object.js';
import { registerNode } from './registration.js';
import { SpreadLoop } from './spread-loop.js';
import { NODE_STATUS_REPORT_FREQUENCY_MS, NODE_STATUS_UPDATE_FREQUENCY_MS, NodeStatusReporter } from './status-reporter.js';

export interface NodeManagerOptions {
  client: Client;
  clock?: Clock;
  leaseDurationSeconds?: number;
  statusUpdateFrequencyMs?: number;
  statusReportFrequencyMs?: number;
  /** Requests in flight at most, per loop (default 64). */
  concurrency?: number;
  /** The health of a node; healthy when absent. */
  health?: (name: string) => NodeHealth;
  onRegistered?: (node: Node) => void;
  log?: (line: string) => void;
}

const REGISTER_BACKOFF_START_MS = 100;
const REGISTER_BACKOFF_MAX_MS = 7_000;

export class NodeManager {
  readonly leases: NodeLeases;
  readonly status: NodeStatusReporter;
  private readonly leaseLoop: SpreadLoop;
  private readonly statusLoop: SpreadLoop;
  private readonly clock: Clock;
  private readonly log: (line: string) => void;
  private readonly abort = new AbortController();
  private readonly registered = new Set<string>();
  /** Counters, for logs and benchmarks. */
  readonly counts = { leaseRenewals: 0, leaseErrors: 0, statusErrors: 0 };

  constructor(private readonly o: NodeManagerOptions) {
    this.clock = o.clock ?? realClock;
    this.log = o.log ?? (() => {});
    const health = o.health ?? (() => HEALTHY);
    this.leases = new NodeLeases(o.client, o.leaseDurationSeconds ?? DEFAULT_LEASE_DURATION_SECONDS, this.clock);
    this.status = new NodeStatusReporter(o.client, health, { clock: this.clock, reportFrequencyMs: o.statusReportFrequencyMs ?? NODE_STATUS_REPORT_FREQUENCY_MS });
    let lastLeaseError = 0;
    this.leaseLoop = new SpreadLoop({
      periodMs: this.leases.renewIntervalMs,
      clock: this.clock,
      concurrency: o.concurrency,
      run: async (name) => {
        await this.leases.renew(name);
        this.counts.leaseRenewals++;
      },
      onError: (name, err) => {
        this.counts.leaseErrors++;
        // One line per second at most: with thousands of nodes an outage would flood the log.
        if (this.clock.now() - lastLeaseError >= 1000) this.log(`node ${name}: failed to update lease: ${(err as Error).message}`);
        lastLeaseError = this.clock.now();
      },
    });
    this.statusLoop = new SpreadLoop({
      periodMs: o.statusUpdateFrequencyMs ?? NODE_STATUS_UPDATE_FREQUENCY_MS,
      clock: this.clock,
      concurrency: o.concurrency,
      run: (name) => this.status.sync(name),
      onError: (name, err) => {
        this.counts.statusErrors++;
        this.log(`node ${name}: error updating node status, will retry: ${(err as Error).message}`);
      },
    });
  }

  /** Names of the nodes registered so far. */
  nodes(): string[] {
    return [...this.registered];
  }

  async register(descriptions: NodeDescription[]): Promise<void> {
    const queue = [...descriptions];
    const worker = async () => {
      for (let d = queue.shift(); d && !this.abort.signal.aborted; d = queue.shift()) await this.registerOne(d);
    };
    await Promise.all(Array.from({ length: Math.min(this.o.concurrency ?? 64, queue.length) }, worker));
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all([this.leaseLoop.stop(), this.statusLoop.stop()]);
  }

  private async registerOne(d: NodeDescription): Promise<void> {
    const health = this.o.health ?? (() => HEALTHY);
    for (let delay = REGISTER_BACKOFF_START_MS; ; delay = Math.min(delay * 2, REGISTER_BACKOFF_MAX_MS)) {
      try {
        const { node, created } = await registerNode(this.o.client, d, health(d.name), formatTime(this.clock.now()));
        const uid = node.metadata?.uid;
        if (uid) this.leases.setOwner(d.name, uid);
        // A Node that existed already carries an old status: its first sync writes a fresh one.
        this.status.track(d, node, created ? this.clock.now() : 0);
        this.registered.add(d.name);
        this.o.onRegistered?.(node);
        this.leaseLoop.add(d.name, { now: true });
        this.statusLoop.add(d.name, { now: !created });
        return;
      } catch (err) {
        if (this.abort.signal.aborted) return;
        this.log(`unable to register node "${d.name}" with API server: ${(err as Error).message}`);
        try {
          await this.clock.sleep(delay, this.abort.signal);
        } catch {
          return;
        }
      }
    }
  }
}
