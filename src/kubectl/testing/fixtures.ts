/** Canned objects and server-side Tables used by the printer and command tests. */

export function pod(name: string, opts: { ns?: string; labels?: Record<string, string>; phase?: string; image?: string; ip?: string; node?: string } = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name, namespace: opts.ns ?? 'default', uid: `uid-${name}`, resourceVersion: '42', creationTimestamp: '2026-01-02T03:04:05Z',
      ...(opts.labels ? { labels: opts.labels } : {}),
      annotations: { 'note/html': '<b>&</b>', 'k8ts.io/multi': 'line1\nline2' },
    },
    spec: {
      containers: [{ name: 'main', image: opts.image ?? 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {}, args: ['--port', '80', 'a: b'] },
        { name: 'side', image: 'busybox', command: ['sh', '-c', 'sleep 3600'] }],
      restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', nodeName: opts.node ?? 'node-1',
    },
    status: {
      phase: opts.phase ?? 'Running', podIP: opts.ip ?? '10.42.0.5', hostIP: '192.168.1.10', startTime: '2026-01-02T03:04:06Z',
      conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-02T03:04:09Z' }],
      containerStatuses: [{ name: 'main', ready: true, restartCount: 0, image: 'nginx:1.27', imageID: '', started: true, state: { running: { startedAt: '2026-01-02T03:04:08Z' } } }],
    },
  };
}

const POD_COLUMNS = [
  { name: 'Name', type: 'string', format: 'name', description: 'Name', priority: 0 },
  { name: 'Ready', type: 'string', format: '', description: 'ready', priority: 0 },
  { name: 'Status', type: 'string', format: '', description: 'status', priority: 0 },
  { name: 'Restarts', type: 'string', format: '', description: 'restarts', priority: 0 },
  { name: 'Age', type: 'string', format: '', description: 'age', priority: 0 },
  { name: 'IP', type: 'string', format: '', description: 'ip', priority: 1 },
  { name: 'Node', type: 'string', format: '', description: 'node', priority: 1 },
  { name: 'Nominated Node', type: 'string', format: '', description: 'nominated', priority: 1 },
  { name: 'Readiness Gates', type: 'string', format: '', description: 'gates', priority: 1 },
];

type PodObj = ReturnType<typeof pod>;

export function podTable(pods: PodObj[]) {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: '42' },
    columnDefinitions: POD_COLUMNS,
    rows: pods.map((p, i) => ({
      cells: [p.metadata.name, '1/2', p.status.phase, i === 1 ? '3 (5m ago)' : 0, `${i + 1}d`, p.status.podIP, p.spec.nodeName, '<none>', '<none>'],
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: p.metadata },
    })),
  };
}

export function podList(pods: PodObj[]) {
  return { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '42' }, items: pods.map(({ kind: _k, apiVersion: _a, ...rest }) => rest) };
}

export function deployment(name: string) {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, generation: 2, labels: { app: name }, creationTimestamp: '2026-01-02T03:04:05Z' },
    spec: { replicas: 3, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
    status: { replicas: 3, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3, observedGeneration: 2 },
  };
}
