/**
 * The client that the server's own components (controller manager, scheduler, embedded agent) use: HTTPS
 * to the API server they run beside, trusting its CA, with the admin token. Components reach the cluster
 * only through the API, as in Kubernetes; this is the one place that builds that connection.
 */
import { RestClient } from '../client/rest.js';
import type { ServerContext } from './server.js';

export function loopbackClient(ctx: ServerContext, userAgent: string): RestClient {
  const api = ctx.apiserver;
  if (!api) throw new Error('the API server is not started');
  return new RestClient({ server: api.url, namespace: 'default', ca: Buffer.from(api.pki.serverCA.certPem), token: api.pki.adminToken }, { userAgent });
}
