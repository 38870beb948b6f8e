/**
 * The server's TLS material and admin credential, created at first start under `<dataDir>/server/` and
 * reused on every later start:
 *
 *   tls/server-ca.{crt,key}   the cluster CA that signs the serving certificate (kubeconfigs trust it)
 *   tls/client-ca.{crt,key}   the CA whose client certificates authenticate users (CN = user, O = groups)
 *   tls/serving-kube-apiserver.{crt,key}   the API server's certificate (regenerated when a SAN is missing)
 *   tls/service.key            the key that signs service account tokens
 *   cred/admin.token           the admin's bearer token
 *   cred/admin.kubeconfig      a kubeconfig for the admin that kubectl uses as it is
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { type CertificateAuthority, createCA, issue, type KeyPair, loadCA, subjectAltNames } from './certs.js';
import { adminKubeconfig } from './kubeconfig.js';

/** The ClusterIP of the `kubernetes` Service: the first address of the service CIDR. */
export const KUBERNETES_SERVICE_IP = '10.43.0.1';

export const SERVING_DNS_NAMES = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local'];

export interface ServerPki {
  serverCA: CertificateAuthority;
  clientCA: CertificateAuthority;
  serving: KeyPair;
  adminToken: string;
  adminKubeconfigPath: string;
  /** PEM private key (EC P-256) that signs service account tokens. */
  serviceAccountKeyPem: string;
  /** Issues a client certificate signed by the client CA (for components and users). */
  issueClientCert(user: string, groups: string[]): Promise<KeyPair>;
}

/** The host's own addresses, loopback first. */
export function hostAddresses(): string[] {
  const out = new Set<string>(['127.0.0.1']);
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === 'IPv4' || (a.family === 'IPv6' && !a.address.startsWith('fe80'))) out.add(a.address.split('%')[0]!);
    }
  }
  return [...out];
}

async function loadOrCreateCA(dir: string, base: string, cn: string): Promise<CertificateAuthority> {
  const crt = join(dir, `${base}.crt`);
  const key = join(dir, `${base}.key`);
  if (existsSync(crt) && existsSync(key)) return loadCA({ certPem: readFileSync(crt, 'utf8'), keyPem: readFileSync(key, 'utf8') });
  const ca = await createCA(`${cn}@${Math.floor(Date.now() / 1000)}`);
  writeFileSync(key, ca.keyPem, { mode: 0o600 });
  writeFileSync(crt, ca.certPem);
  return ca;
}

/** Loads the PKI from `<dataDir>/server`, creating whatever is missing. */
export async function ensurePki(opts: { dataDir: string; port: number; writeKubeconfig?: string; bindAddress?: string }): Promise<ServerPki> {
  const tls = join(opts.dataDir, 'server', 'tls');
  const cred = join(opts.dataDir, 'server', 'cred');
  mkdirSync(tls, { recursive: true, mode: 0o700 });
  mkdirSync(cred, { recursive: true, mode: 0o700 });
  const serverCA = await loadOrCreateCA(tls, 'server-ca', 'k8ts-server-ca');
  const clientCA = await loadOrCreateCA(tls, 'client-ca', 'k8ts-client-ca');

  const ips = [...new Set([...hostAddresses(), KUBERNETES_SERVICE_IP, ...(opts.bindAddress && opts.bindAddress !== '0.0.0.0' ? [opts.bindAddress] : [])])];
  const crt = join(tls, 'serving-kube-apiserver.crt');
  const key = join(tls, 'serving-kube-apiserver.key');
  let serving: KeyPair | undefined;
  if (existsSync(crt) && existsSync(key)) {
    serving = { certPem: readFileSync(crt, 'utf8'), keyPem: readFileSync(key, 'utf8') };
    const have = subjectAltNames(serving.certPem);
    if (!ips.every((ip) => have.ip.includes(ip)) || !SERVING_DNS_NAMES.every((d) => have.dns.includes(d))) serving = undefined;
  }
  if (!serving) {
    serving = await issue(serverCA, { commonName: 'kube-apiserver', usage: 'server', dnsNames: SERVING_DNS_NAMES, ipAddresses: ips });
    writeFileSync(key, serving.keyPem, { mode: 0o600 });
    writeFileSync(crt, serving.certPem);
  }

  const saKeyPath = join(tls, 'service.key');
  if (!existsSync(saKeyPath)) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(saKeyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  const serviceAccountKeyPem = readFileSync(saKeyPath, 'utf8');

  const tokenPath = join(cred, 'admin.token');
  let adminToken: string;
  if (existsSync(tokenPath)) adminToken = readFileSync(tokenPath, 'utf8').trim();
  else {
    adminToken = randomBytes(24).toString('hex');
    writeFileSync(tokenPath, adminToken + '\n', { mode: 0o600 });
  }

  const host = !opts.bindAddress || opts.bindAddress === '0.0.0.0' || opts.bindAddress === '::' ? '127.0.0.1' : opts.bindAddress;
  const kubeconfig = adminKubeconfig({ server: `https://${host.includes(':') ? `[${host}]` : host}:${opts.port}`, caPem: serverCA.certPem, token: adminToken });
  const adminKubeconfigPath = join(cred, 'admin.kubeconfig');
  writeFileSync(adminKubeconfigPath, kubeconfig, { mode: 0o600 });
  if (opts.writeKubeconfig) writeFileSync(opts.writeKubeconfig, kubeconfig, { mode: 0o600 });

  return {
    serverCA, clientCA, serving, adminToken, adminKubeconfigPath, serviceAccountKeyPem,
    issueClientCert: (user, groups) => issue(clientCA, { commonName: user, organizations: groups, usage: 'client' }),
  };
}
