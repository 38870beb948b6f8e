/** The API server as a component of `k8ts server`: started after the store, before everything else. */
import type { Component } from '../server/lifecycle.js';
import type { ServerContext } from '../server/server.js';
import { startApiServer } from './apiserver.js';
import { CACERTS_PATH, cacertsHandler, joinSecretFor, joinTokenUsers, writeJoinToken } from './authn/join-token.js';

export const apiserverComponent: Component<ServerContext> = {
  name: 'apiserver',
  async start(ctx) {
    if (!ctx.store) throw new Error('the store is not started');
    const c = ctx.config;
    const joinSecret = joinSecretFor(c.dataDir, c.token);
    const running = await startApiServer(ctx.store, {
      dataDir: c.dataDir, port: c.httpsListenPort, bindAddress: c.bindAddress, writeKubeconfig: c.writeKubeconfig,
      tokens: joinTokenUsers(joinSecret), paths: new Map([[CACERTS_PATH, cacertsHandler(c.dataDir)]]),
      log: (line) => console.error(`k8ts: apiserver: ${line}`),
    });
    ctx.apiserver = running;
    writeJoinToken(c.dataDir, running.pki.serverCA.certPem, joinSecret);
    return { detail: `${running.url}, kubeconfig ${running.pki.adminKubeconfigPath}`, stop: () => running.stop() };
  },
};
