/**
 * The runtime side of an agent: what runs the pods bound to its nodes. The node side (registration,
 * Leases, status: src/agent/node) is shared; each runtime describes its nodes and handles their pods.
 *
 * Contract of `AgentRuntime.start`: registers its nodes through a `NodeManager`, starts handling pods,
 * and resolves once it is running (or throws `RuntimeUnavailableError` with a message for the user).
 * The returned `stop()` ends pod handling and heartbeats and leaves running workloads as they are.
 */
import type { Client } from '../client/client.js';
import type { Clock } from '../client/clock.js';
import type { AgentConfig } from './config.js';

export interface RuntimeContext {
  client: Client;
  config: AgentConfig;
  clock?: Clock;
  log(line: string): void;
}

export interface RunningRuntime {
  /** For the "ready" log line. */
  detail: string;
  stop(): Promise<void>;
}

export interface AgentRuntime {
  name: string;
  /** Throws `RuntimeUnavailableError` when this runtime cannot run here; called before joining. */
  preflight?(config: AgentConfig): void;
  start(ctx: RuntimeContext): Promise<RunningRuntime>;
}

export class RuntimeUnavailableError extends Error {}
