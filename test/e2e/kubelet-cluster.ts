/**
 * The setting of the kubelet e2e tests (kubelet*.test.ts): `k8ts server` (real process, embedded agent:
 * its own containerd, node registration, kubelet) inside a sealed network namespace, a local registry
 * (127.0.0.1:5000 inside that namespace) mirrored as docker.io and registry.k8s.io, and the real
 * /usr/bin/kubectl. `stop()` deletes what is left: `k8ts killall` for containerd's mounts and
 * network state, the cluster (netns, data dir), the registry, the pods' cgroup parent when unused.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startCluster, type Cluster } from '../harness/cluster.js';
import { repoRoot } from '../harness/paths.js';
import { startRegistry, type TestRegistry } from '../harness/registry.js';
import { removePodCgroup } from '../../src/kubelet/pods/pod-sync.js';

export const NODE_NAME = 'node-e2e';

export interface KubeletCluster {
  cluster: Cluster;
  /** A scratch folder of the test (removed at the end). */
  scratch: string;
  until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs?: number): Promise<T>;
  kubectl(...args: string[]): Promise<string>;
  apply(yaml: string): Promise<void>;
  pod(name: string): Promise<any>;
  /** No container left in containerd, no pod volume left mounted. */
  checkClean(): Promise<void>;
  stop(): Promise<void>;
}

export async function startKubeletCluster(): Promise<KubeletCluster> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'k8ts-kubelet-e2e-'));
  const regFile = path.join(scratch, 'registries.yaml');
  await writeFile(regFile, 'mirrors:\n  docker.io:\n    endpoint: ["http://127.0.0.1:5000"]\n  registry.k8s.io:\n    endpoint: ["http://127.0.0.1:5000"]\n');
  let cluster: Cluster | undefined;
  let registry: TestRegistry | undefined;
  const stop = async (): Promise<void> => {
    if (cluster) {
      await cluster.run(process.execPath, [path.join(repoRoot(), 'dist', 'src', 'cli', 'main.js'), 'killall', '--data-dir', cluster.dataDir]).catch(() => {});
      await cluster.stop();
    }
    await registry?.stop();
    await rm(scratch, { recursive: true, force: true });
    await removePodCgroup('/k8ts');
  };
  try {
    cluster = await startCluster({ args: ['--private-registry', regFile, '--node-name', NODE_NAME], readyTimeoutMs: 120_000 });
    registry = await startRegistry({ netns: cluster.netns, images: ['pause', 'nginx', 'busybox'] });
  } catch (err) {
    await stop();
    throw err;
  }
  const c = cluster;
  const until = async <T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        const v = await fn();
        if (v !== undefined) return v;
      } catch (err) {
        last = err;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}\n${c.logs().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const kubectl = async (...args: string[]): Promise<string> => {
    const r = await c.kubectl(args);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const kc: KubeletCluster = {
    cluster: c, scratch, until, kubectl,
    async apply(yaml) {
      const r = await c.kubectl(['apply', '-f', '-'], { input: yaml });
      if (r.code !== 0) throw new Error(`kubectl apply: ${r.stderr}`);
    },
    pod: async (name) => JSON.parse(await kubectl('get', 'pod', name, '-o', 'json')),
    async checkClean() {
      const sock = path.join(c.dataDir, 'agent', 'containerd', 'containerd.sock');
      await until('no containers left', async () => {
        const x = await c.run('ctr', ['--address', sock, '-n', 'k8s.io', 'containers', 'ls', '-q']);
        return x.code === 0 && x.stdout.trim() === '' ? true : undefined;
      }, 20_000).catch(async (err) => {
        const info = await c.run('sh', ['-c', `for i in $(ctr --address ${sock} -n k8s.io containers ls -q); do ctr --address ${sock} -n k8s.io containers info $i | grep -E 'io.kubernetes.(pod.name|container.name)'; done`]);
        throw new Error(`${(err as Error).message}\n${info.stdout}`);
      });
      assert.equal((await readFile('/proc/self/mountinfo', 'utf8')).includes(path.join(c.dataDir, 'agent', 'pods')), false, 'a pod volume is still mounted');
    },
    stop,
  };
  await until('the node to register', async () => ((await kubectl('get', 'nodes', '-o', 'name')).includes(`node/${NODE_NAME}`) ? true : undefined));
  return kc;
}
