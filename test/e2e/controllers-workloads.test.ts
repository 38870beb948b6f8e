/**
 * The workload controllers against the real API server (in-process): ReplicaSets keep their replicas,
 * Deployments roll from image A to B within maxSurge/maxUnavailable (the test plays kubelet and marks
 * new pods Ready), `rollout undo` (a JSON patch of /spec/template, as kubectl sends) returns to A.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, KubeObject, Pod, ReplicaSet } from '../../src/api/types.js';
import { resources } from '../../src/client/resource.js';
import { controllerRef } from '../../src/client/controller.js';
import { eventually, markPodReady, startControllerEnv, type ControllerEnv } from '../../src/controllers/testing/apiserver-env.js';

let env: ControllerEnv;
let stopManager: () => Promise<void>;

before(async () => {
  env = await startControllerEnv();
  stopManager = env.startManager({ controllers: ['replicaset', 'replicationcontroller', 'deployment'] }).stop;
});

after(async () => {
  await stopManager();
  await env.stop();
});

type P = Pod & KubeObject;
const listPods = async (ns: string): Promise<P[]> => (await env.client.list<P>({ ...resources.pods, namespace: ns })).items;
const live = (pods: P[]) => pods.filter((p) => !p.metadata?.deletionTimestamp);

test('a ReplicaSet creates its pods, replaces a deleted one and scales down', async () => {
  const ns = 'rs1';
  await env.ensureNamespace(ns);
  const rsRef = { ...resources.replicasets, namespace: ns };
  await env.client.create(rsRef, {
    metadata: { name: 'web' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } },
  });
  await eventually(async () => live(await listPods(ns)).length === 3, 10_000, '3 pods');
  const pods = await listPods(ns);
  for (const p of pods) {
    assert.match(p.metadata!.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(controllerRef(p), { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: (await env.client.get(rsRef, 'web')).metadata!.uid, controller: true, blockOwnerDeletion: true });
  }
  for (const p of pods) await markPodReady(env.client, p);
  await eventually(async () => ((await env.client.get<ReplicaSet & KubeObject>(rsRef, 'web')).status?.readyReplicas ?? 0) === 3, 10_000, 'readyReplicas 3');
  const rs = await env.client.get<ReplicaSet & KubeObject>(rsRef, 'web');
  assert.deepEqual({ ...rs.status, conditions: undefined }, { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1, conditions: undefined });

  await env.client.delete({ ...resources.pods, namespace: ns }, pods[0]!.metadata!.name!);
  await eventually(async () => {
    const now = live(await listPods(ns));
    return now.length === 3 && !now.some((p) => p.metadata!.name === pods[0]!.metadata!.name);
  }, 10_000, 'replacement pod');
  // Scale down to 1: the new, not-ready replacement goes first.
  const replacement = live(await listPods(ns)).find((p) => !pods.some((o) => o.metadata!.uid === p.metadata!.uid))!;
  await env.client.patch(rsRef, 'web', 'merge', { spec: { replicas: 2 } });
  await eventually(async () => live(await listPods(ns)).length === 2, 10_000, 'scale down');
  assert.ok(!live(await listPods(ns)).some((p) => p.metadata!.uid === replacement.metadata!.uid), 'the not-ready pod was deleted first');
});

test('a ReplicaSet adopts a matching orphan and releases a pod whose labels stop matching', async () => {
  const ns = 'rs2';
  await env.ensureNamespace(ns);
  const podsRef = { ...resources.pods, namespace: ns };
  await env.client.create(podsRef, { metadata: { name: 'orphan', labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'db' }] } });
  await env.client.create({ ...resources.replicationcontrollers, namespace: ns }, {
    metadata: { name: 'db' },
    spec: { replicas: 2, selector: { app: 'db' }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'db' }] } } },
  });
  await eventually(async () => live(await listPods(ns)).length === 2, 10_000, '2 pods');
  const orphan = await env.client.get<P>(podsRef, 'orphan');
  assert.equal(controllerRef(orphan)?.kind, 'ReplicationController', 'adopted');
  await env.client.patch(podsRef, 'orphan', 'merge', { metadata: { labels: { app: 'other' } } });
  await eventually(async () => !controllerRef(await env.client.get<P>(podsRef, 'orphan')), 10_000, 'released');
  await eventually(async () => live(await listPods(ns)).filter((p) => p.metadata?.labels?.app === 'db').length === 2, 10_000, 'replacement for the released pod');
});

/** Plays kubelet for a namespace: every pod that appears is marked Ready after a short delay. */
function kubelet(ns: string, isReady: (p: P) => boolean = () => true): { stop(): Promise<void>; samples: { ready: number; total: number }[] } {
  const samples: { ready: number; total: number }[] = [];
  let stopped = false;
  const loop = async () => {
    let ip = 1;
    while (!stopped) {
      const pods = live(await listPods(ns).catch(() => []));
      samples.push({ ready: pods.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length, total: pods.length });
      for (const p of pods) {
        if (p.status?.phase === 'Running' || !isReady(p)) continue;
        await markPodReady(env.client, p, true, `10.42.0.${ip++ % 250}`).catch(() => {});
      }
      await new Promise((r) => setTimeout(r, 30));
    }
  };
  const done = loop();
  return { stop: async () => { stopped = true; await done; }, samples };
}

test('a Deployment rolls from A to B within maxSurge/maxUnavailable, and rollout undo returns to A', async () => {
  const ns = 'deploy1';
  await env.ensureNamespace(ns);
  const dRef = { ...resources.deployments, namespace: ns };
  const replicas = 4;
  const k = kubelet(ns);
  try {
    await env.client.create(dRef, {
      metadata: { name: 'web' },
      spec: {
        replicas, selector: { matchLabels: { app: 'web' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'img:A' }] } },
      },
    });
    const complete = async (image: string) => {
      const d = await env.client.get<Deployment & KubeObject>(dRef, 'web');
      const s = d.status ?? {};
      const pods = live(await listPods(ns));
      return s.observedGeneration === d.metadata!.generation && s.updatedReplicas === replicas && s.replicas === replicas && s.availableReplicas === replicas
        && pods.length === replicas && pods.every((p) => p.spec!.containers[0]!.image === image)
        && s.conditions?.find((c) => c.type === 'Progressing')?.reason === 'NewReplicaSetAvailable';
    };
    await eventually(() => complete('img:A'), 15_000, 'rollout of A');
    let d = await env.client.get<Deployment & KubeObject>(dRef, 'web');
    assert.equal(d.metadata!.annotations!['deployment.kubernetes.io/revision'], '1');
    assert.deepEqual(d.status!.conditions!.map((c) => [c.type, c.status, c.reason]).sort(), [['Available', 'True', 'MinimumReplicasAvailable'], ['Progressing', 'True', 'NewReplicaSetAvailable']]);
    const rsA = (await env.client.list<ReplicaSet & KubeObject>({ ...resources.replicasets, namespace: ns })).items[0]!;
    const hashA = rsA.metadata!.labels!['pod-template-hash']!;
    assert.equal(rsA.metadata!.name, `web-${hashA}`);
    assert.equal(rsA.spec!.selector!.matchLabels!['pod-template-hash'], hashA);
    assert.equal(rsA.metadata!.annotations!['deployment.kubernetes.io/desired-replicas'], '4');
    assert.equal(rsA.metadata!.annotations!['deployment.kubernetes.io/max-replicas'], '5');

    k.samples.length = 0;
    await env.client.patch(dRef, 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'img:B' }] } } } });
    await eventually(() => complete('img:B'), 20_000, 'rollout of B');
    const steady = k.samples.filter((s) => s.total > 0);
    assert.ok(steady.length > 3, 'sampled during the rollout');
    for (const s of steady) {
      assert.ok(s.total <= replicas + 1, `never more than replicas+maxSurge pods: ${JSON.stringify(s)}`);
      assert.ok(s.ready >= replicas - 1, `never fewer than replicas-maxUnavailable ready: ${JSON.stringify(s)}`);
    }
    d = await env.client.get<Deployment & KubeObject>(dRef, 'web');
    assert.equal(d.metadata!.annotations!['deployment.kubernetes.io/revision'], '2');

    // kubectl rollout undo: a JSON patch of /spec/template back to revision 1's template.
    const template = structuredClone(rsA.spec!.template!);
    delete template.metadata!.labels!['pod-template-hash'];
    await env.client.patch(dRef, 'web', 'json', [{ op: 'replace', path: '/spec/template', value: template }]);
    await eventually(() => complete('img:A'), 20_000, 'rollback to A');
    const rsAfter = (await env.client.list<ReplicaSet & KubeObject>({ ...resources.replicasets, namespace: ns })).items;
    assert.equal(rsAfter.length, 2, 'the old ReplicaSet was reused');
    const back = rsAfter.find((rs) => rs.metadata!.uid === rsA.metadata!.uid)!;
    assert.equal(back.spec!.replicas, replicas);
    assert.equal(back.metadata!.annotations!['deployment.kubernetes.io/revision'], '3');
    assert.equal(back.metadata!.annotations!['deployment.kubernetes.io/revision-history'], '1');
    d = await env.client.get<Deployment & KubeObject>(dRef, 'web');
    assert.equal(d.metadata!.annotations!['deployment.kubernetes.io/revision'], '3');
  } finally {
    await k.stop();
  }
});

test('a StatefulSet creates web-0, web-1, web-2 in order with their claims, and scales down from the top keeping claims', async () => {
  const ns = 'sts1';
  await env.ensureNamespace(ns);
  const stop = env.startManager({ controllers: ['statefulset'], identity: 'sts' }).stop;
  const k = kubelet(ns);
  try {
    const setRef = { ...resources.statefulsets, namespace: ns };
    await env.client.create(setRef, {
      metadata: { name: 'web' },
      spec: {
        replicas: 3, serviceName: 'web', selector: { matchLabels: { app: 'sts' } },
        template: { metadata: { labels: { app: 'sts' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
        volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    });
    const order: string[] = [];
    await eventually(async () => {
      for (const p of live(await listPods(ns))) if (!order.includes(p.metadata!.name!)) order.push(p.metadata!.name!);
      return order.length === 3;
    }, 15_000, '3 pods');
    assert.deepEqual(order, ['web-0', 'web-1', 'web-2'], 'created one at a time, in order');
    const p0 = await env.client.get<P>({ ...resources.pods, namespace: ns }, 'web-0');
    assert.deepEqual([p0.spec!.hostname, p0.spec!.subdomain], ['web-0', 'web']);
    const claims = async () => (await env.client.list({ ...resources.persistentvolumeclaims, namespace: ns })).items.map((c) => c.metadata!.name).sort();
    assert.deepEqual(await claims(), ['www-web-0', 'www-web-1', 'www-web-2']);
    await env.client.patch(setRef, 'web', 'merge', { spec: { replicas: 1 } });
    await eventually(async () => live(await listPods(ns)).map((p) => p.metadata!.name).join() === 'web-0', 15_000, 'scaled down to web-0');
    assert.deepEqual(await claims(), ['www-web-0', 'www-web-1', 'www-web-2'], 'claims are kept');
  } finally {
    await k.stop();
    await stop();
  }
});

test('a DaemonSet runs one pod per matching node and follows a node that joins', async () => {
  const ns = 'ds1';
  await env.ensureNamespace(ns);
  const stop = env.startManager({ controllers: ['daemonset'], identity: 'ds' }).stop;
  const mkNode = (name: string, role: string) => env.client.create(resources.nodes, { metadata: { name, labels: { role } } });
  await mkNode('ds-a', 'worker');
  await mkNode('ds-b', 'worker');
  await mkNode('ds-c', 'db');
  // Plays scheduler and kubelet: binds each pod to the node its affinity names, then marks it Ready.
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      for (const p of live(await listPods(ns).catch(() => []))) {
        const want = p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchFields?.[0]?.values?.[0];
        if (!p.spec?.nodeName && want) {
          await env.client.create({ ...resources.pods, namespace: ns }, { apiVersion: 'v1', kind: 'Binding', metadata: { name: p.metadata!.name }, target: { kind: 'Node', name: want } } as KubeObject, { subresource: 'binding', name: p.metadata!.name! }).catch(() => {});
        } else if (p.spec?.nodeName && p.status?.phase !== 'Running') {
          await markPodReady(env.client, p).catch(() => {});
        }
      }
      await new Promise((r) => setTimeout(r, 30));
    }
  })();
  try {
    await env.client.create({ ...resources.daemonsets, namespace: ns }, {
      metadata: { name: 'agent' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { nodeSelector: { role: 'worker' }, containers: [{ name: 'c', image: 'agent' }] } } },
    });
    const status = async () => (await env.client.get<KubeObject & { status?: Record<string, number> }>({ ...resources.daemonsets, namespace: ns }, 'agent')).status ?? {};
    await eventually(async () => { const s = await status(); return s.desiredNumberScheduled === 2 && s.numberReady === 2 && s.currentNumberScheduled === 2; }, 15_000, '2 ready daemon pods');
    assert.deepEqual(live(await listPods(ns)).map((p) => p.spec!.nodeName).sort(), ['ds-a', 'ds-b']);
    await mkNode('ds-d', 'worker');
    await eventually(async () => { const s = await status(); return s.desiredNumberScheduled === 3 && s.numberReady === 3; }, 15_000, 'a pod for the new node');
    assert.deepEqual(live(await listPods(ns)).map((p) => p.spec!.nodeName).sort(), ['ds-a', 'ds-b', 'ds-d']);
  } finally {
    stopped = true;
    await loop;
    await stop();
    for (const n of ['ds-a', 'ds-b', 'ds-c', 'ds-d']) await env.client.delete(resources.nodes, n).catch(() => {});
  }
});
