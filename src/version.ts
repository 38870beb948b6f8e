/** The k8ts release, and the Kubernetes release whose API it serves (reported by GET /version). */
export const K8TS_VERSION = '0.1.0';

export const KUBERNETES_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0+k8ts',
} as const;
