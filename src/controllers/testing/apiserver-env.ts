/**
 * Test environment for controller integration tests: the real k8ts API server in-process (memory store,
 * HTTPS on 127.0.0.1), an admin `RestClient`, and a `ControllerManager` running chosen controllers
 * against it. There is no kubelet: `markPodsReady` plays one, setting pods Running and Ready.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlreadyExists } from '../../api/errors.js';
import type { KubeObject, Pod } from '../../api/types.js';
import { startApiServer, type RunningApiServer } from '../../apiserver/apiserver.js';
import { MemoryStore } from '../../apiserver/testing/memory-store.js';
import type { Store } from '../../storage/store.js';
import { formatTime } from '../../client/clock.js';
import { RestClient } from '../../client/rest.js';
import { resources } from '../../client/resource.js';
import type { ControllerOptions } from '../context.js';
import { defaultRegistry } from '../descriptors.js';
import { ControllerManager, type LeaderElectionTiming } from '../manager.js';
import { apiDiscovery } from '../util/discovery.js';

export interface ControllerEnv {
  server: RunningApiServer;
  client: RestClient;
  /** Starts a controller manager running only `controllers` (every registered one when absent). */
  startManager(opts?: { controllers?: string[]; identity?: string; leaderElection?: false | Partial<LeaderElectionTiming>; options?: Partial<ControllerOptions> }): { manager: ControllerManager; stop(): Promise<void> };
  ensureNamespace(name: string): Promise<void>;
  /** Stops everything. `crash`: the API server goes first, as when the machine dies (managers cannot release their Lease). */
  stop(opts?: { crash?: boolean }): Promise<void>;
}

/** `store`: a store to serve (e.g. etcd shared by two servers); it is closed by `stop()`. Default: in-memory. */
export async function startControllerEnv(opts: { store?: Store } = {}): Promise<ControllerEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-controllers-'));
  const store = opts.store ?? new MemoryStore();
  const server = await startApiServer(store, { dataDir: dir, port: 0, bindAddress: '127.0.0.1' });
  const connect = () => new RestClient({ server: server.url, namespace: 'default', ca: Buffer.from(server.pki.serverCA.certPem), token: server.pki.adminToken });
  const client = connect();
  const managers = new Set<() => Promise<void>>();
  return {
    server,
    client,
    startManager(opts = {}) {
      const registry = defaultRegistry();
      const mc = connect();
      const wanted = new Set(opts.controllers ?? registry.names());
      const manager = new ControllerManager({
        client: mc,
        registry,
        discovery: apiDiscovery(mc),
        identity: opts.identity ?? 'test-manager',
        disabled: registry.names().filter((n) => !wanted.has(n)),
        enabled: [...wanted],
        leaderElection: opts.leaderElection ?? false,
        ...(opts.options ? { options: opts.options } : {}),
        log: () => {},
      });
      const ac = new AbortController();
      const running = manager.run(ac.signal);
      const stop = async () => {
        managers.delete(stop);
        ac.abort();
        await running;
        mc.close();
      };
      managers.add(stop);
      return { manager, stop };
    },
    async ensureNamespace(name) {
      await client.create(resources.namespaces, { metadata: { name } }).catch((err) => {
        if (!isAlreadyExists(err)) throw err;
      });
    },
    async stop(opts = {}) {
      if (opts.crash) await server.stop();
      for (const s of [...managers]) await s();
      client.close();
      if (!opts.crash) await server.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Plays kubelet: marks the pods Running and Ready (with a pod IP) through the status subresource. */
export async function markPodReady(client: RestClient, pod: Pod & KubeObject, ready = true, ip = '10.42.0.1'): Promise<void> {
  const now = formatTime(Date.now());
  const copy = structuredClone(pod);
  copy.status = {
    ...copy.status,
    phase: 'Running',
    podIP: ip,
    podIPs: [{ ip }],
    startTime: copy.status?.startTime ?? now,
    conditions: [
      { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now },
      { type: 'ContainersReady', status: ready ? 'True' : 'False', lastTransitionTime: now },
    ],
  };
  await client.update({ ...resources.pods, namespace: pod.metadata!.namespace }, copy, { subresource: 'status' });
}

/** Sets a pod's phase (Succeeded / Failed) as a kubelet would when its containers exit. */
export async function markPodPhase(client: RestClient, pod: Pod & KubeObject, phase: 'Succeeded' | 'Failed'): Promise<void> {
  const copy = structuredClone(pod);
  copy.status = { ...copy.status, phase, conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: formatTime(Date.now()) }] };
  await client.update({ ...resources.pods, namespace: pod.metadata!.namespace }, copy, { subresource: 'status' });
}

/** Polls `cond` on the real clock. */
export async function eventually(cond: () => boolean | Promise<boolean>, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
