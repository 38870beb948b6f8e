/**
 * The real kubectl 1.32 against the in-process API server and controller manager: `create deployment`,
 * `rollout status`, `set image`, `rollout history`, `rollout undo`, `rollout pause/resume`,
 * `rollout restart`, `scale` — the commands users type, reading what the Deployment controller writes.
 * A test "kubelet" marks pods Running/Ready (no nodes run here).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { KubeObject, Pod } from '../../src/api/types.js';
import { resources } from '../../src/client/resource.js';
import { eventually, markPodReady, startControllerEnv, type ControllerEnv } from '../../src/controllers/testing/apiserver-env.js';

const KUBECTL = '/usr/bin/kubectl';
const skip = existsSync(KUBECTL) ? false : 'kubectl is not installed';
const run = promisify(execFile);
let env: ControllerEnv;
let stopKubelet: () => Promise<void>;

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run(KUBECTL, ['--kubeconfig', env.server.pki.adminKubeconfigPath, '--server', env.server.url, '-n', 'kc', ...args], { timeout: 60_000 });
  return stdout;
}

before(async () => {
  if (skip) return;
  env = await startControllerEnv();
  env.startManager({ controllers: ['replicaset', 'deployment', 'statefulset', 'garbagecollector'] });
  await env.ensureNamespace('kc');
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const pods = (await env.client.list<Pod & KubeObject>({ ...resources.pods, namespace: 'kc' }).catch(() => ({ items: [] as (Pod & KubeObject)[] }))).items;
      for (const p of pods) if (p.status?.phase !== 'Running' && !p.metadata?.deletionTimestamp) await markPodReady(env.client, p).catch(() => {});
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  stopKubelet = async () => { stopped = true; await loop; };
});

after(async () => {
  if (skip) return;
  await stopKubelet();
  await env.stop();
});

test('kubectl rollout status / set image / history / undo / pause / resume / restart / scale', { skip }, async () => {
  assert.match(await kubectl('create', 'deployment', 'web', '--image=nginx:1.26', '--replicas=3'), /deployment.apps\/web created/);
  assert.match(await kubectl('rollout', 'status', 'deployment/web', '--timeout=30s'), /deployment "web" successfully rolled out/);
  await kubectl('set', 'image', 'deployment/web', 'nginx=nginx:1.27');
  assert.match(await kubectl('rollout', 'status', 'deployment/web', '--timeout=30s'), /successfully rolled out/);
  const history = await kubectl('rollout', 'history', 'deployment/web');
  assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
  assert.match(await kubectl('rollout', 'undo', 'deployment/web'), /deployment.apps\/web rolled back/);
  assert.match(await kubectl('rollout', 'status', 'deployment/web', '--timeout=30s'), /successfully rolled out/);
  assert.equal(await kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.metadata.annotations.deployment\\.kubernetes\\.io/revision}'), 'nginx:1.26 3');
  await eventually(async () => (await kubectl('get', 'pods', '-o', 'jsonpath={.items[*].spec.containers[0].image}')).trim().split(' ').every((i) => i === 'nginx:1.26'), 15_000, 'pods back on 1.26');

  await kubectl('rollout', 'pause', 'deployment/web');
  await kubectl('set', 'image', 'deployment/web', 'nginx=nginx:1.28');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await kubectl('get', 'rs', '-o', 'name')).trim().split('\n').length, 2, 'paused: no new ReplicaSet');
  assert.match(await kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}'), /DeploymentPaused/);
  await kubectl('rollout', 'resume', 'deployment/web');
  assert.match(await kubectl('rollout', 'status', 'deployment/web', '--timeout=30s'), /successfully rolled out/);
  assert.equal((await kubectl('get', 'rs', '-o', 'name')).trim().split('\n').length, 3);

  await kubectl('rollout', 'restart', 'deployment/web');
  assert.match(await kubectl('rollout', 'status', 'deployment/web', '--timeout=30s'), /successfully rolled out/);
  await kubectl('scale', 'deployment/web', '--replicas=5');
  assert.match(await kubectl('rollout', 'status', 'deployment/web', '--timeout=30s'), /successfully rolled out/);
  const wide = await kubectl('get', 'deployment', 'web');
  assert.match(wide, /web\s+5\/5\s+5\s+5/);
  assert.match(await kubectl('delete', 'deployment', 'web'), /deleted/);
  await eventually(async () => (await kubectl('get', 'rs,pods', '-o', 'name')).trim() === '', 15_000, 'ReplicaSets and pods collected');
});

test('kubectl rollout status and undo of a StatefulSet', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-kubectl-sts-'));
  try {
    const file = join(dir, 'sts.json');
    writeFileSync(file, JSON.stringify({
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' },
      spec: { replicas: 2, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'db:1' }] } } },
    }));
    assert.match(await kubectl('create', '-f', file), /statefulset.apps\/db created/);
    assert.match(await kubectl('rollout', 'status', 'statefulset/db', '--timeout=30s'), /partitioned roll out complete|roll out complete/);
    await kubectl('set', 'image', 'statefulset/db', 'db=db:2');
    assert.match(await kubectl('rollout', 'status', 'statefulset/db', '--timeout=30s'), /roll out complete/);
    assert.equal((await kubectl('get', 'pods', '-l', 'app=db', '-o', 'jsonpath={.items[*].spec.containers[0].image}')).trim(), 'db:2 db:2');
    assert.match(await kubectl('rollout', 'history', 'statefulset/db'), /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    await kubectl('rollout', 'undo', 'statefulset/db');
    assert.match(await kubectl('rollout', 'status', 'statefulset/db', '--timeout=30s'), /roll out complete/);
    assert.equal((await kubectl('get', 'pods', '-l', 'app=db', '-o', 'jsonpath={.items[*].spec.containers[0].image}')).trim(), 'db:1 db:1');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
