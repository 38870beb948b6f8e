/**
 * The kubelet: runs the pods bound to one node on a CRI runtime. `startKubelet(options)` wires the parts:
 *
 *   pod informer (fieldSelector spec.nodeName=<node>) ──▶ PodWorkers (one per pod UID)
 *        │                                                   │ PodSyncer.sync / terminate (CRI, images,
 *        │                                                   │ volumes, probes) ──▶ StatusManager ──▶ pods/status
 *   KubeletServer (HTTPS :10250: logs, exec, attach, port-forward) ◀── API server's node proxy
 *   log rotation (./logs/rotation.ts) and eviction under node pressure (./eviction.ts) every 10 s
 *
 * Node registration and heartbeats are the agent's (src/agent/node); the agent calls this for the pods.
 * At start, sandboxes this kubelet made for pods that no longer exist are torn down; running pods that
 * still exist are picked up where they are (by their pod-UID labels), not recreated.
 * `stop()` stops syncing and the server and leaves every pod running.
 */
import { createCA, issue } from '../apiserver/pki/certs.js';
import type { Pod } from '../api/types.js';
import { SharedInformerFactory } from '../client/cache/informer-factory.js';
import type { DeletedFinalStateUnknown } from '../client/cache/keys.js';
import { ApiEventRecorder } from '../client/record/event-recorder.js';
import { inNamespace, resources } from '../client/resource.js';
import { DEFAULT_CLUSTER_DNS, DEFAULT_CLUSTER_DOMAIN, DEFAULT_KUBELET_PORT, kubeletPaths, type KubeletOptions } from './config.js';
import { MANAGED_LABEL, podUidOf } from './pods/labels.js';
import { ClientObjects } from './pods/objects.js';
import { ImagePuller } from './pods/image-puller.js';
import { PodSyncer } from './pods/pod-sync.js';
import { PodWorkers } from './pods/pod-workers.js';
import { ProbeManager } from './prober/manager.js';
import { KubeletServer } from './server/kubelet-server.js';
import { rotateLogs } from './logs/rotation.js';
import { evictionMessage, rankForEviction } from './eviction.js';
import { POD_UID_LABEL } from './pods/labels.js';
import { StatusManager } from './status/status-manager.js';
import { VolumeManager } from './volumes/manager.js';
import type { TokenSource } from './volumes/payloads.js';

export interface RunningKubelet {
  /** The port the kubelet server listens on. */
  port: number;
  /** Pods being handled (UIDs), for tests and benchmarks. */
  pods(): string[];
  stop(): Promise<void>;
}

export { type KubeletOptions };

/**
 * A ServiceAccount token for projected volumes: the API server's TokenRequest when it serves it; otherwise
 * (k8ts's API server does not sign tokens yet) an unsigned, clearly labelled placeholder naming the
 * account, so that pods that only check the file exists start.
 */
function tokenSource(opts: KubeletOptions): TokenSource {
  return async (pod, audience, expirationSeconds) => {
    const ns = pod.metadata!.namespace ?? 'default';
    const sa = pod.spec?.serviceAccountName ?? 'default';
    try {
      const tr = await opts.client.create(inNamespace(resources.serviceaccounts, ns), {
        apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest',
        spec: { audiences: audience ? [audience] : [], expirationSeconds, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: pod.metadata!.name, uid: pod.metadata!.uid } },
      } as never, { subresource: 'token', name: sa } as never) as { status?: { token?: string } };
      if (tr.status?.token) return tr.status.token;
    } catch {
      /* not served: fall through */
    }
    return `k8ts-unsigned-serviceaccount-token:system:serviceaccount:${ns}:${sa}`;
  };
}

export async function startKubelet(opts: KubeletOptions): Promise<RunningKubelet> {
  const log = opts.log ?? (() => {});
  const paths = kubeletPaths(opts.dataDir);
  const objects = new ClientObjects(opts.client);
  const recorder = new ApiEventRecorder(opts.client, { component: 'kubelet', host: opts.nodeName });
  const puller = new ImagePuller(opts.images, objects, opts.registries);
  const volumes = new VolumeManager(paths.pods, objects, tokenSource(opts));
  let workers: PodWorkers | undefined;
  const probes = new ProbeManager(opts.runtime, (uid) => workers?.poke(uid), (e) => {
    const what = e.kind === 'liveness' ? 'Liveness' : e.kind === 'readiness' ? 'Readiness' : 'Startup';
    recorder.event({ kind: 'Pod', apiVersion: 'v1', namespace: e.pod.metadata!.namespace, name: e.pod.metadata!.name, uid: e.pod.metadata!.uid, fieldPath: `spec.containers{${e.container}}` },
      'Warning', 'Unhealthy', `${what} probe failed: ${e.output}`);
  });
  const syncer = new PodSyncer({
    runtime: opts.runtime, puller, volumes, probes, objects, recorder, hostIP: opts.nodeIP, log,
    sandbox: { logsDir: paths.logs, cgroupRoot: opts.cgroupRoot ?? '/k8ts', clusterDNS: opts.clusterDNS ?? DEFAULT_CLUSTER_DNS, clusterDomain: opts.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN },
  });
  const status = new StatusManager(opts.client, log);
  workers = new PodWorkers(opts.client, syncer, status, opts.resyncMs ?? 1000, log);
  const w = workers;

  const factory = new SharedInformerFactory(opts.client, { fieldSelector: `spec.nodeName=${opts.nodeName}`, clock: opts.clock });
  const informer = factory.forResource<Pod>(resources.pods);
  informer.addEventHandler({
    onAdd: (pod) => w.update(pod),
    onUpdate: (_old, pod) => w.update(pod),
    onDelete: (obj) => {
      const pod = (obj as DeletedFinalStateUnknown<Pod>).obj ?? (obj as Pod);
      if (pod.metadata?.uid) w.remove(pod.metadata.uid);
    },
  });
  const ac = new AbortController();
  factory.start(ac.signal);
  await factory.waitForCacheSync(ac.signal);

  // Sandboxes of pods that are gone (deleted while no kubelet ran) are torn down.
  const known = new Set(informer.lister().list().map((p) => p.metadata!.uid!));
  for (const sb of await opts.runtime.listPodSandbox({ labelSelector: { [MANAGED_LABEL]: 'true' } })) {
    const uid = podUidOf(sb);
    if (uid && !known.has(uid)) {
      log(`removing the sandbox of pod ${sb.metadata.namespace}/${sb.metadata.name} (${uid}), which no longer exists`);
      w.remove(uid);
    }
  }

  const ca = await createCA(`${opts.nodeName}-ca@${Math.floor(Date.now() / 1000)}`);
  const serving = await issue(ca, { commonName: opts.nodeName, dnsNames: [opts.nodeName, 'localhost'], ipAddresses: [opts.nodeIP, '127.0.0.1'], usage: 'server' });
  const server = new KubeletServer({
    runtime: opts.runtime,
    findPod: (ns, name) => informer.getIndexer().getByKey(`${ns}/${name}`),
    certPem: serving.certPem, keyPem: serving.keyPem, clientCaPem: opts.clientCaPem, bearerToken: opts.bearerToken,
    port: opts.port ?? DEFAULT_KUBELET_PORT, bindAddress: opts.bindAddress ?? '0.0.0.0',
  });
  const port = await server.listen();
  // Log rotation every 10 s (upstream's ContainerLogManager monitoring period).
  let rotating = false;
  const rotation = setInterval(() => {
    if (rotating) return;
    rotating = true;
    rotateLogs(opts.runtime, { log }).catch((err) => log(`log rotation: ${(err as Error).message}`)).finally(() => (rotating = false));
  }, 10_000);
  rotation.unref();
  // Eviction under memory or disk pressure: one pod per 10 s check.
  let evicting = false;
  const eviction = setInterval(() => {
    const h = opts.health?.();
    if (evicting || !h || (!h.memoryPressure && !h.diskPressure)) return;
    evicting = true;
    (async () => {
      const usage = new Map<string, number>();
      for (const c of await opts.runtime.listContainers({ state: { state: 'CONTAINER_RUNNING' } })) {
        const uid = c.labels[POD_UID_LABEL];
        if (!uid) continue;
        const ws = Number((await opts.runtime.containerStats(c.id).catch(() => undefined))?.memory?.workingSetBytes?.value ?? 0);
        usage.set(uid, (usage.get(uid) ?? 0) + ws);
      }
      const victim = rankForEviction(w.activePods(), (uid) => usage.get(uid) ?? 0)[0];
      if (!victim) return;
      const resource = h.memoryPressure ? 'memory' : 'ephemeral-storage';
      log(`evicting pod ${victim.metadata!.namespace}/${victim.metadata!.name}: the node is low on ${resource}`);
      recorder.event({ kind: 'Pod', apiVersion: 'v1', namespace: victim.metadata!.namespace, name: victim.metadata!.name, uid: victim.metadata!.uid }, 'Warning', 'Evicted', evictionMessage(resource));
      await w.evict(victim.metadata!.uid!, 'Evicted', evictionMessage(resource));
    })().catch((err) => log(`eviction: ${(err as Error).message}`)).finally(() => (evicting = false));
  }, 10_000);
  eviction.unref();
  log(`kubelet: node ${opts.nodeName}, serving on :${port}, ${known.size} pod(s) bound here`);

  return {
    port,
    pods: () => w.uids(),
    async stop() {
      clearInterval(rotation);
      clearInterval(eviction);
      ac.abort();
      await w.stop();
      probes.stop();
      recorder.shutdown();
      await server.close();
      await factory.shutdown();
    },
  };
}
