/**
 * The pod start-up floor: N pods (default 50) started at once directly over the CRI on k8ts's containerd,
 * with the images already present -- RunPodSandbox + CreateContainer + StartContainer per pod, nothing
 * else. The kubelet's create→Running time (bench/pod-startup) is compared against these figures.
 *
 * Run (root; everything happens in a sealed netns and is removed afterwards):
 *   node dist/bench/pod-startup/cri-floor.bench.js [--pods 50] [--sequential]
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { startTestRuntime } from '../../test/harness/runtime.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const pods = arg('pods', 50);
const sequential = process.argv.includes('--sequential');
const image = 'docker.io/library/busybox:latest';

const rt = await startTestRuntime();
try {
  const { cri } = rt;
  await cri.pullImage({ image });
  // One pod first, so that the pause image is present too (and containerd's caches are warm).
  const warm = rt.sandboxConfig('warm');
  const warmId = await cri.runPodSandbox(warm);
  await cri.startContainer(await cri.createContainer(warmId, rt.containerConfig('c', image, { command: ['sleep', '3600'] }), warm));
  await cri.removePodSandbox(warmId);

  const startOne = async (i: number): Promise<number> => {
    const sb = rt.sandboxConfig(`pod-${i}`);
    const t = performance.now();
    const sandboxId = await cri.runPodSandbox(sb);
    const id = await cri.createContainer(sandboxId, rt.containerConfig('c', image, { command: ['sleep', '3600'] }), sb);
    await cri.startContainer(id);
    return performance.now() - t;
  };
  const t0 = performance.now();
  const times: number[] = [];
  if (sequential) for (let i = 0; i < pods; i++) times.push(await startOne(i));
  else times.push(...(await Promise.all(Array.from({ length: pods }, (_, i) => startOne(i)))));
  const wall = performance.now() - t0;
  times.sort((a, b) => a - b);
  const ms = (n: number) => `${Math.round(n)} ms`;
  console.log(`cri-floor: ${pods} pods ${sequential ? 'one after another' : 'at once'} (sandbox + create + start, image present)`);
  console.log(`  per pod  p50 ${ms(percentile(times, 50))}  p99 ${ms(percentile(times, 99))}  max ${ms(times.at(-1)!)}`);
  console.log(`  all ${pods} running after ${ms(wall)} (${(pods / (wall / 1000)).toFixed(1)} pods/s)`);
  // The figures only compare with runs on an equally quiet machine.
  console.log(`  load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
} finally {
  const t = performance.now();
  await rt.stop();
  console.log(`  cleanup of all pods and the runtime: ${Math.round(performance.now() - t)} ms`);
}
