/**
 * Assembles and starts the API server: PKI, watch cache, registry stores (one per stored resource, each
 * with its strategy), admission chain, authentication, authorization, bootstrap objects, HTTPS listener.
 */
import { ApiError } from '../api/errors.js';
import type { LimitRange, Namespace, PriorityClass, ResourceQuota, Service, ServiceAccount } from '../api/types.js';
import type { Store } from '../storage/store.js';
import { AdmissionChain } from './admission/admission.js';
import { defaultTolerationSeconds } from './admission/default-toleration-seconds.js';
import { limitRanger } from './admission/limit-ranger.js';
import { namespaceLifecycle } from './admission/namespace-lifecycle.js';
import { priorityAdmission } from './admission/priority.js';
import { resourceQuotaAdmission } from './admission/resource-quota.js';
import { serviceAccountAdmission } from './admission/service-account.js';
import { type Authenticator, unionAuthenticator, type UserInfo } from './authn/authenticator.js';
import { serviceAccountTokenAuthenticator } from './authn/service-account-token.js';
import { tokenAuthenticator } from './authn/token.js';
import { x509Authenticator } from './authn/x509.js';
import { alwaysAllow, type Authorizer } from './authz/authorizer.js';
import { bootstrapCluster } from './bootstrap.js';
import type { ApiContext } from './handlers/context.js';
import { handleOpenApiV3 } from './handlers/openapi.js';
import { ensurePki, hostAddresses, type ServerPki } from './pki/bootstrap.js';
import { storeClaims } from './registry/allocators/claims.js';
import { IpAllocator } from './registry/allocators/ip-allocator.js';
import { PortAllocator } from './registry/allocators/port-allocator.js';
import { CATALOG } from './registry/catalog.js';
import { ResourceStore } from './registry/resource-store.js';
import './registry/strategies/index.js';
import { restoreAllocations, servicesStrategy } from './registry/strategies/services.js';
import type { Strategy } from './registry/strategy.js';
import { ApiServer, type PathHandler } from './server.js';
import './tables/printers/index.js';
import { TokenSigner } from './serviceaccount/jwt.js';
import { WatchCache } from './watchcache/watch-cache.js';

export interface ApiServerConfig {
  dataDir: string;
  port: number;
  bindAddress: string;
  writeKubeconfig?: string;
  serviceCidr?: string;
  /** Extra bearer tokens (e.g. the agent join token), token → user. */
  tokens?: Map<string, UserInfo>;
  authorizer?: Authorizer;
  /** Extra non-resource paths (OpenAPI, ...). */
  paths?: Map<string, PathHandler>;
  log?: (line: string) => void;
  now?: () => Date;
}

export interface RunningApiServer {
  url: string;
  port: number;
  pki: ServerPki;
  api: ApiContext;
  stop(): Promise<void>;
}

export const ADMIN_USER: UserInfo = { name: 'system:admin', groups: ['system:masters'] };

/** The address the `kubernetes` Endpoints point at: the bind address, or the host's first address. */
function advertiseAddress(bind: string): string {
  if (bind !== '0.0.0.0' && bind !== '::') return bind;
  return hostAddresses().find((a) => a !== '127.0.0.1' && !a.includes(':')) ?? '127.0.0.1';
}

export async function startApiServer(store: Store, cfg: ApiServerConfig): Promise<RunningApiServer> {
  const log = cfg.log ?? (() => {});
  const now = cfg.now ?? (() => new Date());
  const pki = await ensurePki({ dataDir: cfg.dataDir, port: cfg.port, writeKubeconfig: cfg.writeKubeconfig, bindAddress: cfg.bindAddress });

  const cache = new WatchCache(store);
  await cache.start();

  const ips = new IpAllocator(cfg.serviceCidr);
  const ports = new PortAllocator();
  restoreAllocations(cache.list('services').map((c) => c.obj as Service), ips, ports);
  const claims = { ips: storeClaims(store, '/registry/ipaddresses/', 'IPAddress'), ports: storeClaims(store, '/registry/servicenodeports/', 'ServiceNodePort') };
  const overrides = new Map<string, Strategy>([['services', servicesStrategy(ips, ports, claims)]]);

  const stores = new Map<string, ResourceStore>();
  const lookupNamespace = async (name: string): Promise<Namespace | undefined> => {
    const cached = cache.get(`/registry/namespaces/${name}`);
    if (cached) return cached.obj as Namespace;
    const kv = await stores.get('namespaces')!.getKV('', name);
    return kv ? JSON.parse(Buffer.from(kv.value).toString('utf8')) as Namespace : undefined;
  };
  const admission = new AdmissionChain([
    namespaceLifecycle(lookupNamespace), serviceAccountAdmission(), defaultTolerationSeconds(),
    priorityAdmission(() => cache.list('priorityclasses').map((c) => c.obj as PriorityClass)),
    limitRanger((ns) => cache.list('limitranges', ns).map((c) => c.obj as LimitRange)),
    resourceQuotaAdmission({
      list: (ns) => cache.list('resourcequotas', ns).map((c) => c.obj as ResourceQuota),
      update: async (ns, name, fn) => {
        await stores.get('resourcequotas')!.update(ns, name, (cur) => fn(cur as ResourceQuota), { skipAdmission: true }, { subresource: 'status' });
      },
    }),
  ]);
  for (const e of CATALOG) {
    if (!e.storageVersion) continue;
    stores.set(e.storage, new ResourceStore(e, store, cache, admission, overrides.get(e.storage)));
  }
  const resourceStore = (storage: string): ResourceStore => {
    const rs = stores.get(storage);
    if (!rs) throw new ApiError('NotFound', 'the server could not find the requested resource', {});
    return rs;
  };
  const tokenSigner = new TokenSigner(pki.serviceAccountKeyPem);
  const api: ApiContext = { store, cache, resourceStore, now, log, tokenSigner };
  const lookupServiceAccount = async (ns: string, name: string): Promise<ServiceAccount | undefined> => {
    const cached = cache.get(`/registry/serviceaccounts/${ns}/${name}`);
    if (cached) return cached.obj as ServiceAccount;
    const kv = await stores.get('serviceaccounts')!.getKV(ns, name);
    return kv ? JSON.parse(Buffer.from(kv.value).toString('utf8')) as ServiceAccount : undefined;
  };

  const tokens = new Map<string, UserInfo>([[pki.adminToken, ADMIN_USER], ...(cfg.tokens ?? new Map())]);
  const authenticator: Authenticator = unionAuthenticator([
    tokenAuthenticator(tokens), serviceAccountTokenAuthenticator(tokenSigner, lookupServiceAccount, now), x509Authenticator(),
  ]);
  const server = new ApiServer({
    api,
    tls: { certPem: pki.serving.certPem, keyPem: pki.serving.keyPem, clientCaPem: pki.clientCA.certPem },
    authenticator,
    authorizer: cfg.authorizer ?? alwaysAllow,
    paths: new Map([['/openapi/v3', handleOpenApiV3], ...(cfg.paths ?? new Map())]),
    unready: () => cache.unhealthy,
  });
  let port: number;
  try {
    port = await server.listen(cfg.port, cfg.bindAddress);
    await bootstrapCluster(resourceStore, { ip: advertiseAddress(cfg.bindAddress), port });
  } catch (err) {
    cache.stop();
    await server.close();
    throw err;
  }
  const host = cfg.bindAddress === '0.0.0.0' || cfg.bindAddress === '::' ? '127.0.0.1' : cfg.bindAddress;
  return {
    url: `https://${host}:${port}`,
    port,
    pki,
    api,
    async stop() {
      cache.stop();
      await server.close();
    },
  };
}
