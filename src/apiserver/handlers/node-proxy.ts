/**
 * The API server's side of `kubectl logs`, `exec`, `attach` and `port-forward`.
 *
 * `GET pods/<name>/log` is proxied to the kubelet of the pod's
 * node (upstream's LogREST): the Node's InternalIP and `status.daemonEndpoints.kubeletEndpoint.Port`,
 * path `/containerLogs/<ns>/<pod>/<container>` with the log options passed on, the kubelet's answer
 * streamed back as it comes (flushed per chunk, for `-f`).
 *
 * `pods/<name>/exec|attach|portforward` (upgrade requests: WebSocket or SPDY/3.1) are replayed to the
 * kubelet's `/exec|/attach/<ns>/<pod>/<container>` or `/portForward/<ns>/<pod>` with the query as it came,
 * and the connection is then joined byte for byte (the kubelet joins it to the runtime's streaming server).
 *
 * The API server authenticates to kubelets with a client certificate (`installNodeProxy`), and does not
 * verify the kubelet's self-signed serving certificate (upstream's default without
 * --kubelet-certificate-authority). The container defaults to the pod's only container; with several,
 * kubectl names one (else 400 with upstream's message).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import type { Duplex } from 'node:stream';
import { errors } from '../../api/errors.js';
import type { Node, Pod } from '../../api/types.js';
import type { ApiContext, ResourceRequest } from './context.js';
import { registerConnectHandler } from './subresources.js';
import { joinSockets, requestHead } from '../../kubelet/server/stream-proxy.js';

export interface NodeProxyCredentials {
  certPem: string;
  keyPem: string;
  /** Sent as a bearer token too: kubelets of joined agents check it (the join secret). */
  bearerToken?: string;
}

const LOG_OPTIONS = ['follow', 'tailLines', 'sinceSeconds', 'sinceTime', 'timestamps', 'previous', 'limitBytes', 'insecureSkipTLSVerifyBackend'];

async function kubeletOf(api: ApiContext, pod: Pod): Promise<{ host: string; port: number }> {
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) throw errors.badRequest(`pod ${pod.metadata!.name} does not have a host assigned`);
  const node = (await api.resourceStore('nodes').get('', nodeName, {} as never)).obj as Node;
  const host = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? node.status?.addresses?.[0]?.address;
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 10250;
  if (!host) throw errors.badRequest(`node "${nodeName}" has no address to reach its kubelet`);
  return { host, port };
}

/** The upgrade request as the kubelet should see it, then the two connections joined. */
function proxyStream(creds: NodeProxyCredentials, kind: 'exec' | 'attach' | 'portForward') {
  return async (api: ApiContext, r: ResourceRequest, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const ns = r.info.namespace;
    const pod = (await api.resourceStore('pods').get(ns, r.info.name, { entry: r.entry })).obj as Pod;
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
      throw errors.badRequest(`cannot ${kind === 'portForward' ? 'port-forward to' : kind + ' into'} a container in a completed pod; current phase is ${pod.status.phase}`);
    }
    let path = `/${kind}/${encodeURIComponent(ns)}/${encodeURIComponent(r.info.name)}`;
    if (kind !== 'portForward') {
      let container = r.query.get('container') ?? '';
      if (!container) {
        const names = (pod.spec?.containers ?? []).map((c) => c.name);
        container = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'] ?? names[0] ?? '';
      }
      if (!(pod.spec?.containers ?? []).some((c) => c.name === container)) throw errors.badRequest(`container ${container} is not valid for pod ${r.info.name}`);
      path += `/${encodeURIComponent(container)}`;
    }
    const { host, port } = await kubeletOf(api, pod);
    const q = r.query.toString();
    const socket = res.socket as Duplex | null;
    if (!socket || !req.headers.upgrade) throw errors.badRequest(`Upgrade request required`);
    const backend = await new Promise<Duplex>((resolve, reject) => {
      const s = tlsConnect({ host, port, cert: creds.certPem, key: creds.keyPem, rejectUnauthorized: false, servername: undefined }, () => resolve(s));
      s.once('error', (err) => reject(errors.internal(`dial kubelet ${host}:${port}: ${err.message}`)));
    });
    res.detachSocket(socket as never);
    const head = requestHead(req, `${path}${q ? `?${q}` : ''}`, `${host}:${port}`);
    backend.write(creds.bearerToken ? head.replace(/\r\n\r\n$/, `\r\nAuthorization: Bearer ${creds.bearerToken}\r\n\r\n`) : head);
    joinSockets(socket, backend);
  };
}

export function installNodeProxy(creds: NodeProxyCredentials): void {
  registerConnectHandler('pods', 'exec', proxyStream(creds, 'exec'));
  registerConnectHandler('pods', 'attach', proxyStream(creds, 'attach'));
  registerConnectHandler('pods', 'portforward', proxyStream(creds, 'portForward'));
  registerConnectHandler('pods', 'log', async (api: ApiContext, r: ResourceRequest, _req: IncomingMessage, res: ServerResponse) => {
    const ns = r.info.namespace;
    const pod = (await api.resourceStore('pods').get(ns, r.info.name, { entry: r.entry })).obj as Pod;
    let container = r.query.get('container') ?? '';
    if (!container) {
      const names = (pod.spec?.containers ?? []).map((c) => c.name);
      if (names.length !== 1) throw errors.badRequest(`a container name must be specified for pod ${r.info.name}, choose one of: [${names.join(' ')}]`);
      container = names[0]!;
    }
    const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name);
    if (!all.includes(container)) throw errors.badRequest(`container ${container} is not valid for pod ${r.info.name}`);
    const { host, port } = await kubeletOf(api, pod);
    const q = new URLSearchParams();
    for (const k of LOG_OPTIONS) if (r.query.has(k)) q.set(k, r.query.get(k)!);
    const path = `/containerLogs/${encodeURIComponent(ns)}/${encodeURIComponent(r.info.name)}/${encodeURIComponent(container)}${q.size ? `?${q}` : ''}`;
    await new Promise<void>((resolve, reject) => {
      const headers = creds.bearerToken ? { Authorization: `Bearer ${creds.bearerToken}` } : {};
      const up = request({ host, port, path, method: 'GET', headers, cert: creds.certPem, key: creds.keyPem, rejectUnauthorized: false }, (kres) => {
        const code = kres.statusCode ?? 500;
        if (code !== 200) {
          let body = '';
          kres.setEncoding('utf8').on('data', (d: string) => (body += d));
          kres.on('end', () => reject(code === 404 ? errors.notFound('', 'pods', r.info.name) : errors.badRequest(body.trim())));
          return;
        }
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
        res.flushHeaders();
        kres.on('data', (d: Buffer) => res.write(d));
        kres.on('end', () => {
          res.end();
          resolve();
        });
        kres.on('error', () => {
          res.destroy();
          resolve();
        });
      });
      up.on('error', (err) => (res.headersSent ? (res.destroy(), resolve()) : reject(errors.internal(`Get "https://${host}:${port}${path}": ${err.message}`))));
      res.on('close', () => up.destroy());
      up.end();
    });
  });
}
