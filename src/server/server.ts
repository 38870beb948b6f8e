/**
 * `k8ts server`: the control plane, started in dependency order.
 *
 *   store → API server → controller manager → scheduler → agent (the embedded node)
 */
import { mkdirSync } from 'node:fs';
import { apiserverComponent } from '../apiserver/component.js';
import { controllerManagerComponent } from '../controllers/component.js';
import { agentComponent } from '../kubelet/component.js';
import { schedulerComponent } from '../scheduler/component.js';
import type { RunningApiServer } from '../apiserver/apiserver.js';
import { openStore } from '../storage/index.js';
import type { Store } from '../storage/store.js';
import type { ServerConfig } from './config.js';
import { type Component, type Log, startAll } from './lifecycle.js';

/** What components hand to the ones started after them. */
export interface ServerContext {
  config: ServerConfig;
  store?: Store;
  /** The running API server: its URL, PKI (CA, client certificates) and admin kubeconfig. */
  apiserver?: RunningApiServer;
}

const storeComponent: Component<ServerContext> = {
  name: 'store',
  async start(ctx) {
    const { store, description } = await openStore({ endpoint: ctx.config.datastoreEndpoint, dataDir: ctx.config.dataDir });
    ctx.store = store;
    return { detail: description, stop: () => store.close() };
  },
};

export const serverComponents: Component<ServerContext>[] = [storeComponent, apiserverComponent, controllerManagerComponent, schedulerComponent, agentComponent];

/** Starts the server; resolves to a function that stops it. */
export async function startServer(config: ServerConfig, log: Log): Promise<{ ctx: ServerContext; stop: () => Promise<void> }> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const ctx: ServerContext = { config };
  const stop = await startAll(serverComponents, ctx, log);
  return { ctx, stop };
}
