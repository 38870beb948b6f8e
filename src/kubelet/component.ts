/**
 * The node agent as the last component of `k8ts server` (k3s-style: a server is also a node unless
 * `--disable-agent`): k8ts's own containerd, the node's registration and heartbeats, and the kubelet,
 * talking to the API server like any other client. It also lets the API server reach kubelets
 * (pods/log), with a client certificate from the cluster's client CA that kubelets require.
 * When this machine cannot run containers (not root, no containerd) it logs one line and skips.
 */
import { installNodeProxy } from '../apiserver/handlers/node-proxy.js';
import { joinSecretFor } from '../apiserver/authn/join-token.js';
import type { Component } from '../server/lifecycle.js';
import { loopbackClient } from '../server/loopback-client.js';
import type { ServerContext } from '../server/server.js';
import { nodePreflight, startNode } from './node-runtime.js';

export const agentComponent: Component<ServerContext> = {
  name: 'agent',
  async start(ctx) {
    const api = ctx.apiserver;
    if (!api) throw new Error('the API server is not started');
    const proxyCert = await api.pki.issueClientCert('kube-apiserver-kubelet-client', ['system:masters']);
    installNodeProxy({ ...proxyCert, bearerToken: joinSecretFor(ctx.config.dataDir, ctx.config.token) });
    const c = ctx.config;
    if (c.disableAgent) return { detail: 'disabled (--disable-agent)', stop: async () => {} };
    const why = nodePreflight({ containerRuntimeEndpoint: c.containerRuntimeEndpoint });
    if (why) {
      console.error(`k8ts: agent: ${why}`);
      return { detail: 'skipped', stop: async () => {} };
    }
    const client = loopbackClient(ctx, 'k8ts-kubelet');
    try {
      const node = await startNode({
        client, dataDir: c.dataDir, privateRegistry: c.privateRegistry, nodeName: c.nodeName, clientCaPem: api.pki.clientCA.certPem,
        containerRuntimeEndpoint: c.containerRuntimeEndpoint,
        log: (line) => console.error(`k8ts: agent: ${line}`),
      });
      return {
        detail: `node ${node.nodeName} (${node.nodeIP}), kubelet on :${node.kubeletPort}`,
        async stop() {
          await node.stop();
          client.close();
        },
      };
    } catch (err) {
      client.close();
      throw err;
    }
  },
};
