/**
 * The controller manager as a component of `k8ts server`: started after the API server, it talks to
 * it over HTTPS with the admin credentials, as every other component does, and stands for election on
 * the `kube-system/k8ts-controller-manager` Lease.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Component } from '../server/lifecycle.js';
import { loopbackClient } from '../server/loopback-client.js';
import type { ServerContext } from '../server/server.js';
import { defaultRegistry } from './descriptors.js';
import { ControllerManager } from './manager.js';
import { apiDiscovery } from './util/discovery.js';

export const controllerManagerComponent: Component<ServerContext> = {
  name: 'controller-manager',
  async start(ctx) {
    const client = loopbackClient(ctx, 'k8ts-controller-manager');
    const identity = `${hostname()}_${randomUUID()}`;
    const manager = new ControllerManager({
      client,
      registry: defaultRegistry(),
      discovery: apiDiscovery(client),
      identity,
      disabled: ctx.config.disableControllers ?? [],
    });
    const ac = new AbortController();
    const running = manager.run(ac.signal);
    return {
      detail: `identity ${identity}`,
      async stop() {
        ac.abort();
        await running;
        client.close();
      },
    };
  },
};
