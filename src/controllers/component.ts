/**
 * The controller manager as a component of `k8ts server`: started after the API server, it talks to
 * it over HTTPS with the admin credentials, as every other component does, and stands for election on
 * the `kube-system/k8ts-controller-manager` Lease.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { RestClient } from '../client/rest.js';
import type { Component } from '../server/lifecycle.js';
import type { ServerContext } from '../server/server.js';
import { defaultRegistry } from './descriptors.js';
import { ControllerManager } from './manager.js';
import { apiDiscovery } from './util/discovery.js';

export const controllerManagerComponent: Component<ServerContext> = {
  name: 'controller-manager',
  async start(ctx) {
    const api = ctx.apiserver;
    if (!api) throw new Error('the API server is not started');
    const client = new RestClient({ server: api.url, namespace: 'default', ca: Buffer.from(api.pki.serverCA.certPem), token: api.pki.adminToken }, { userAgent: 'k8ts-controller-manager' });
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
