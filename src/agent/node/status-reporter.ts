/**
 * Node status reporting, as upstream's kubelet: the status is computed every
 * `nodeStatusUpdateFrequency` (10 s) and written (a strategic merge patch of `nodes/status`) only when it
 * changed or when `nodeStatusReportFrequency` (5 min) has passed since the last write. The Lease is the
 * frequent heartbeat; the status write is the slow one.
 *
 * Contract of `sync(name)`: writes when the conditions' statuses/reasons/messages, the capacity,
 * allocatable, addresses or nodeInfo differ from the last written status, or the last write is at least
 * `reportFrequencyMs` old; otherwise does nothing. A node that was never `track`ed is skipped.
 */
import type { Node } from '../../api/types.js';
import type { Client } from '../../client/client.js';
import { formatTime, realClock, type Clock } from '../../client/clock.js';
import { resources } from '../../client/resource.js';
import { conditionsChanged, desiredConditions, type NodeHealth } from './conditions.js';
import { nodeStatus, type NodeDescription } from './node-object.js';

/** Upstream's defaults (KubeletConfiguration). */
export const NODE_STATUS_UPDATE_FREQUENCY_MS = 10_000;
export const NODE_STATUS_REPORT_FREQUENCY_MS = 5 * 60_000;

interface Tracked {
  description: NodeDescription;
  reported: NonNullable<Node['status']>;
  reportedAt: number;
}

export class NodeStatusReporter {
  private readonly nodes = new Map<string, Tracked>();
  private readonly clock: Clock;
  private readonly reportFrequencyMs: number;

  constructor(
    private readonly client: Client,
    private readonly health: (name: string) => NodeHealth,
    opts: { clock?: Clock; reportFrequencyMs?: number } = {},
  ) {
    this.clock = opts.clock ?? realClock;
    this.reportFrequencyMs = opts.reportFrequencyMs ?? NODE_STATUS_REPORT_FREQUENCY_MS;
  }

  /** Starts tracking a node as registered: `node` is what the server returned. */
  track(description: NodeDescription, node: Node, reportedAt = this.clock.now()): void {
    this.nodes.set(description.name, { description, reported: node.status ?? {}, reportedAt });
  }

  forget(name: string): void {
    this.nodes.delete(name);
  }

  async sync(name: string): Promise<void> {
    const t = this.nodes.get(name);
    if (!t) return;
    const now = this.clock.now();
    const health = this.health(name);
    const due = now - t.reportedAt >= this.reportFrequencyMs;
    if (!due && !this.changed(t, health)) return;
    const status = nodeStatus(t.description, health, formatTime(now), t.reported);
    const node = await this.client.patch<Node>(resources.nodes, name, 'strategic', { status }, { subresource: 'status' });
    t.reported = node.status ?? status;
    t.reportedAt = now;
  }

  private changed(t: Tracked, health: NodeHealth): boolean {
    const r = t.reported;
    const d = t.description;
    return conditionsChanged(r.conditions, desiredConditions(health))
      || !same(r.capacity, d.capacity) || !same(r.allocatable, d.allocatable)
      || !same(r.addresses, d.addresses) || !same(r.nodeInfo, d.nodeInfo);
  }
}

/** Deep equality of JSON values, whatever the order of object keys. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
