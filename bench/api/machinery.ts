/**
 * Throughput of the API machinery cores on the paths every write takes: label selector parsing and
 * matching, strategic merge patch, the three-way patch of `kubectl apply`, server-side apply, and the
 * managedFields bookkeeping of an ordinary create. Prints operations per second and µs per operation.
 *
 * Run: npx tsc -p . && node dist/bench/api/machinery.js
 */
import { parseLabelSelector } from '../../src/api/labels/selector.js';
import { applyStrategicMergePatch } from '../../src/api/patch/strategic-merge.js';
import { createThreeWayMergePatch } from '../../src/api/patch/three-way.js';
import { serverSideApply, updateManagedFields } from '../../src/api/apply/server-side-apply.js';

const DEPLOY = { group: 'apps', version: 'v1', kind: 'Deployment' };
const now = new Date('2024-01-01T00:00:00Z');

function pod(i: number): Record<string, any> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p${i}`, namespace: 'default', labels: { app: 'web', tier: 'front', idx: String(i % 10) } },
    spec: {
      containers: [{
        name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }],
        env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
        resources: { requests: { cpu: '100m', memory: '64Mi' } },
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
      }],
      volumes: [{ name: 'data', emptyDir: {} }],
      restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler',
    },
  };
}

function deployment(image: string): Record<string, any> {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { ...pod(0).spec, containers: [{ ...pod(0).spec.containers[0], image }] } } },
  };
}

/** Wall-clock rate and CPU time per operation (CPU time is the steadier figure on a busy machine). */
function bench(name: string, fn: (i: number) => unknown): void {
  for (let i = 0; i < 500; i++) fn(i);
  const n = 20000;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  const ns = Number(process.hrtime.bigint() - t0);
  const cpu = process.cpuUsage(c0);
  const cpuUs = (cpu.user + cpu.system) / n;
  console.log(`${name.padEnd(46)} ${Math.round(n / (ns / 1e9)).toString().padStart(8)} ops/s  ${(ns / n / 1000).toFixed(1).padStart(7)} µs/op wall  ${cpuUs.toFixed(1).padStart(7)} µs/op cpu`);
}

const sel = parseLabelSelector('app=web,tier in (front,back),!legacy');
const labels = pod(1).metadata.labels;
bench('label selector parse', () => parseLabelSelector('app=web,tier in (front,back),!legacy'));
bench('label selector match', () => sel.matches(labels));
const live = deployment('nginx:1');
bench('strategic merge patch (image change)', () => applyStrategicMergePatch(live, { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:2' }] } } } }, DEPLOY));
bench('three-way patch (kubectl apply)', () => createThreeWayMergePatch(deployment('nginx:1'), deployment('nginx:2'), live, DEPLOY));
bench('managedFields on create (pod)', (i) => updateManagedFields(undefined, pod(i), 'kubectl-create', 'Update', now));
const created = serverSideApply({ live: undefined, applied: deployment('nginx:1'), manager: 'kubectl', force: false, gvk: DEPLOY, now }).object!;
bench('server-side apply (deployment, image change)', () => serverSideApply({ live: created, applied: deployment('nginx:2'), manager: 'kubectl', force: false, gvk: DEPLOY, now }));
