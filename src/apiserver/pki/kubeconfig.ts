/** Writes kubeconfig files that the real kubectl reads unchanged. */
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  server: string;
  caPem: string;
  /** A bearer token, or a client certificate and key. */
  token?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  user?: string;
}

export function adminKubeconfig(o: KubeconfigOptions): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const user: Record<string, string> = {};
  if (o.token) user.token = o.token;
  if (o.clientCertPem) user['client-certificate-data'] = b64(o.clientCertPem);
  if (o.clientKeyPem) user['client-key-data'] = b64(o.clientKeyPem);
  const name = o.user ?? 'default';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'default', cluster: { server: o.server, 'certificate-authority-data': b64(o.caPem) } }],
    users: [{ name, user }],
    contexts: [{ name: 'default', context: { cluster: 'default', user: name } }],
    'current-context': 'default',
    preferences: {},
  });
}
