import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { haveRealKubectl, runOurs, runReal } from '../testing/differential.js';
import { startFakeApiServer, type FakeApiServer } from '../testing/fake-apiserver.js';
import { deployment, pod, podList, podTable } from '../testing/fixtures.js';

let fake: FakeApiServer;
let home: string;
let env: Record<string, string>;

before(async () => {
  fake = await startFakeApiServer();
  home = mkdtempSync(join(tmpdir(), 'k8ts-kubectl-get-'));
  env = { HOME: home, KUBECONFIG: fake.kubeconfig };
  const pods = [
    pod('web-1', { labels: { app: 'web', 'app.kubernetes.io/name': 'web', tier: 'front' } }),
    pod('db-0', { labels: { app: 'db' }, phase: 'Pending', image: 'postgres:16', ip: '10.42.0.9' }),
    pod('bare'),
  ];
  const podsPath = '/api/v1/namespaces/default/pods';
  fake.tables[podsPath] = podTable(pods);
  fake.objects[podsPath] = podList(pods);
  for (const p of pods) {
    fake.tables[`${podsPath}/${p.metadata.name}`] = podTable([p]);
    fake.objects[`${podsPath}/${p.metadata.name}`] = p;
  }
  const other = [pod('api-0', { ns: 'kube-system', labels: { app: 'api' } })];
  fake.tables['/api/v1/pods'] = podTable([...pods, ...other]);
  fake.objects['/api/v1/pods'] = podList([...pods, ...other]);
  fake.tables['/api/v1/namespaces/empty/pods'] = podTable([]);
  fake.objects['/api/v1/namespaces/empty/pods'] = podList([]);
  fake.tables['/api/v1/namespaces/default/services'] = { ...podTable([]), columnDefinitions: [{ name: 'Name', type: 'string', format: 'name', priority: 0 }, { name: 'Type', type: 'string', priority: 0 }],
    rows: [{ cells: ['kubernetes', 'ClusterIP'], object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'kubernetes', namespace: 'default' } } }] };
  const d = deployment('web');
  fake.objects['/apis/apps/v1/namespaces/default/deployments/web'] = d;
  fake.objects['/apis/apps/v1/namespaces/default/deployments'] = { kind: 'DeploymentList', apiVersion: 'apps/v1', metadata: {}, items: [d] };
  fake.tables['/apis/apps/v1/namespaces/default/deployments'] = { ...podTable([]), columnDefinitions: [{ name: 'Name', type: 'string', format: 'name', priority: 0 }, { name: 'Ready', type: 'string', priority: 0 }],
    rows: [{ cells: ['web', '3/3'], object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: d.metadata } }] };
  fake.objects['/api/v1/namespaces/default/pods/gone'] = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "gone" not found', reason: 'NotFound', details: { name: 'gone', kind: 'pods' }, code: 404 };
  const longer = pod('a-much-longer-pod-name', { labels: { app: 'web' } });
  fake.watches[podsPath] = [
    { type: 'ADDED', object: podTable([longer]) },
    { type: 'MODIFIED', object: podTable([{ ...pods[0], status: { ...pods[0].status, phase: 'Succeeded' } }]) },
    { type: 'DELETED', object: podTable([pods[1]]) },
  ];
  fake.objects['/manifests/two.yaml'] = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-url}\ndata: {a: b}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: nginx}]}}}\n';
  writeFileSync(join(home, 'cols.txt'), 'NAME   IMAGE\n.metadata.name   .spec.containers[*].image\n');
});

after(async () => {
  await fake.close();
  rmSync(home, { recursive: true, force: true });
});

const CASES: string[][] = [
  ['get', 'pods'],
  ['get', 'pods', '-o', 'wide'],
  ['get', 'po', '--show-labels'],
  ['get', 'pods', '-L', 'app', '-L', 'app.kubernetes.io/name,missing'],
  ['get', 'pods', '--no-headers'],
  ['get', 'pods', '-A'],
  ['get', 'pods', '-A', '-o', 'wide', '--show-labels'],
  ['get', 'pods', '-n', 'empty'],
  ['get', 'pods', '-n', 'empty', '-o', 'yaml'],
  ['get', 'pods', '-n', 'empty', '-o', 'name'],
  ['get', 'pods', '-n', 'empty', '-o', 'jsonpath={.items}'],
  ['get', 'pod', 'web-1'],
  ['get', 'pod/web-1', 'pod/db-0'],
  ['get', 'pods', 'web-1', 'gone'],
  ['get', 'pods', 'gone'],
  ['get', 'pods', 'gone', '--ignore-not-found'],
  ['get', 'pods', '-o', 'yaml'],
  ['get', 'pods', 'web-1', '-o', 'yaml'],
  ['get', 'pods', 'web-1', '-o', 'json'],
  ['get', 'pods', '-o', 'json'],
  ['get', 'pods', '-o', 'name'],
  ['get', 'deploy', '-o', 'name'],
  ['get', 'deployments.apps', 'web', '-o', 'yaml'],
  ['get', 'pods,deploy'],
  ['get', 'all'],
  ['get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}'],
  ['get', 'pods', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}'],
  ['get', 'pods', '-o', 'jsonpath={.items[?(@.status.phase=="Running")].metadata.name}'],
  ['get', 'pods', '-o', 'jsonpath={.items[0].metadata.labels.app\\.kubernetes\\.io/name}'],
  ['get', 'pods', '-o', 'jsonpath={.items[-1:].metadata.name} {.items[0:2].status.podIP} {$.kind}'],
  ['get', 'pods', '-o', 'jsonpath={.items[*].spec..image}'],
  ['get', 'pods', '-o', 'jsonpath={.items[0].metadata.labels}'],
  ['get', 'pods', '-o', "jsonpath={.items[*].metadata['name']}"],
  ['get', 'pods', 'web-1', '-o', 'jsonpath={.spec.containers[*].name}'],
  ['get', 'pods', 'web-1', '-o', 'jsonpath={.metadata.annotations}'],
  ['get', 'pods', '-o', 'custom-columns=NAME:.metadata.name,IMAGES:.spec.containers[*].image,LABELS:.metadata.labels,NONE:.spec.nothing'],
  ['get', 'pods', '-o', 'custom-columns=NAME:metadata.name,IP:{.status.podIP}', '--no-headers'],
  ['get', 'pods', '-o', 'custom-columns-file=cols.txt'],
  ['get', 'pods', '-o', 'yamlx'],
  ['get', 'pods', '--sort-by=.status.podIP', '-o', 'name'],
  ['get', 'foo'],
  ['get', 'pods', 'pod/web-1'],
  ['get', 'pods', '-w'],
  ['get', 'pods', '--watch-only'],
  ['get', 'pods', '-w', '--output-watch-events'],
  ['get', 'pods', '-w', '-L', 'app', '--no-headers'],
  ['get', 'pods,svc', '-w'],
];

test('-f with a loopback URL, like kubectl', { skip: !haveRealKubectl && 'no kubectl' }, async () => {
  for (const args of [['create', '-f', `${fake.url}/manifests/two.yaml`, '--dry-run=client', '--validate=false', '-o', 'name'], ['create', '-f', `${fake.url}/manifests/missing.yaml`, '--dry-run=client', '--validate=false']]) {
    const real = await runReal(args, env, home);
    const ours = await runOurs(args, env, home);
    assert.equal(ours.stdout, real.stdout);
    assert.equal(ours.code, real.code);
  }
});

for (const args of CASES) {
  test(`get like kubectl: ${args.slice(1).join(' ')}`, { skip: !haveRealKubectl && 'no kubectl' }, async () => {
    const real = await runReal(args, env, home);
    real.stderr = real.stderr.replaceAll('kubectl.1.32', 'kubectl');
    const ours = await runOurs(args, env, home);
    assert.equal(ours.stdout, real.stdout, 'stdout');
    assert.equal(ours.stderr, real.stderr, 'stderr');
    assert.equal(ours.code, real.code, 'exit code');
  });
}
