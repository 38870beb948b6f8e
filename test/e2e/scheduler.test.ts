/**
 * The scheduler inside a real `k8ts server`, with SIMULATED nodes (k8ts agent --simulate) and the real
 * kubectl: pods land where node selectors, taints and resources say; an oversize pod stays Pending with
 * upstream's message and is scheduled once a big enough node joins; a cordoned node gets nothing; drain
 * empties a node.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { startCluster, type Cluster } from '../harness/cluster.js';
import { repoRoot } from '../harness/paths.js';

let cluster: Cluster;
const agents: ChildProcess[] = [];

async function kubectl(...args: string[]): Promise<string> {
  const r = await cluster.kubectl(args);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Polls `probe` every 250 ms until it returns a truthy value, for at most `ms`. */
async function eventually<T>(what: string, probe: () => Promise<T>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T;
  for (;;) {
    last = await probe();
    if (last) return last;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Starts `k8ts agent --simulate` with the given flags; it is stopped by PID in `after`. */
function simulate(count: number, prefix: string, ...flags: string[]): void {
  const main = path.join(repoRoot(), 'dist', 'src', 'cli', 'main.js');
  agents.push(cluster.netns.exec(process.execPath, [main, 'agent', '--kubeconfig', cluster.kubeconfig, '--simulate', String(count),
    '--node-name', prefix, ...flags], { stdio: 'ignore' }));
}

async function nodeOf(pod: string): Promise<string> {
  return (await kubectl('get', 'pod', pod, '-o', 'jsonpath={.spec.nodeName}')).trim();
}

/** A busybox pod manifest with extra pod `spec` fields and extra fields for its one container. */
function podYaml(name: string, spec: Record<string, unknown>, container: Record<string, unknown> = {}): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: name } },
    spec: { containers: [{ name: 'c', image: 'busybox', ...container }], ...spec } });
}

async function create(manifest: string): Promise<void> {
  const r = await cluster.kubectl(['create', '-f', '-'], { input: manifest });
  assert.equal(r.code, 0, r.stderr);
}

before(async () => {
  cluster = await startCluster({ args: ['--disable-agent'] });
  simulate(2, 'hdd', '--simulate-cpu', '2', '--node-label', 'disk=hdd');
  simulate(1, 'ssd', '--simulate-cpu', '4', '--node-label', 'disk=ssd', '--node-ip', '127.1.1.1');
  await eventually('3 Ready nodes', async () => {
    const out = await kubectl('get', 'nodes', '--no-headers');
    return out.split('\n').filter((l) => /\sReady\s/.test(l)).length === 3;
  });
});

after(async () => {
  for (const a of agents) a.kill('SIGKILL');
  await cluster?.stop();
});

test('a node selector picks the labelled node', async () => {
  await create(podYaml('on-ssd', { nodeSelector: { disk: 'ssd' } }));
  assert.equal(await eventually('on-ssd bound', () => nodeOf('on-ssd')), 'ssd-0');
});

test('a NoSchedule taint keeps pods off a node unless they tolerate it', async () => {
  await kubectl('taint', 'node', 'hdd-0', 'dedicated=infra:NoSchedule');
  for (const n of ['a', 'b', 'c']) await create(podYaml(`hdd-${n}`, { nodeSelector: { disk: 'hdd' } }));
  for (const n of ['a', 'b', 'c']) assert.equal(await eventually(`hdd-${n} bound`, () => nodeOf(`hdd-${n}`)), 'hdd-1');
  await create(podYaml('tolerant', { nodeSelector: { disk: 'hdd' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' }],
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['hdd-0'] }] }] } } } }));
  assert.equal(await eventually('tolerant bound', () => nodeOf('tolerant')), 'hdd-0');
  await kubectl('taint', 'node', 'hdd-0', 'dedicated-');
});

test('an oversize pod stays Pending with upstream\'s message, then lands on a node that fits', async () => {
  await create(podYaml('huge', {}, { resources: { requests: { cpu: '8' } } }));
  const message = await eventually('FailedScheduling', async () => {
    const out = await kubectl('get', 'pod', 'huge', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].message}');
    return out.trim();
  });
  assert.equal(message, '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..');
  assert.equal(await nodeOf('huge'), '');
  const events = await kubectl('get', 'events', '--field-selector', 'involvedObject.name=huge,reason=FailedScheduling', '-o', 'name');
  assert.notEqual(events.trim(), '', 'a FailedScheduling event is recorded');
  simulate(1, 'big', '--simulate-cpu', '16', '--node-ip', '127.1.2.1');
  assert.equal(await eventually('huge bound', () => nodeOf('huge')), 'big-0');
});

test('a cordoned node gets nothing, and its pod is scheduled after uncordon', async () => {
  await kubectl('cordon', 'ssd-0');
  await create(podYaml('wants-ssd', { nodeSelector: { disk: 'ssd' } }));
  const message = await eventually('Unschedulable condition', async () =>
    (await kubectl('get', 'pod', 'wants-ssd', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].message}')).trim());
  assert.match(message, /^0\/4 nodes are available: 1 node\(s\) were unschedulable, 3 node\(s\) didn't match Pod's node affinity\/selector\./);
  await kubectl('uncordon', 'ssd-0');
  assert.equal(await eventually('wants-ssd bound', () => nodeOf('wants-ssd')), 'ssd-0');
});

test('drain evicts every pod from a node and its Deployment replaces them elsewhere', async () => {
  await kubectl('create', 'deployment', 'web', '--image=nginx', '--replicas=4');
  await eventually('4 web pods Running', async () => {
    const out = await kubectl('get', 'pods', '-l', 'app=web', '--field-selector', 'status.phase=Running', '-o', 'name');
    return out.trim().split('\n').filter(Boolean).length === 4;
  });
  const before = await kubectl('get', 'pods', '-A', '--field-selector', 'spec.nodeName=big-0', '-o', 'name');
  assert.ok(before.includes('pod/huge'), `the node to drain has pods: ${before}`);
  const r = await cluster.kubectl(['drain', 'big-0', '--force', '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=60s']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /node\/big-0 drained/);
  const left = await kubectl('get', 'pods', '-A', '--field-selector', 'spec.nodeName=big-0', '-o', 'name');
  assert.equal(left.trim(), '', 'no pod is left on the drained node');
  assert.match(await kubectl('get', 'node', 'big-0', '--no-headers'), /SchedulingDisabled/);
  await eventually('4 web pods Running again, none on big-0', async () => {
    const out = await kubectl('get', 'pods', '-l', 'app=web', '--field-selector', 'status.phase=Running', '-o', 'jsonpath={range .items[*]}{.spec.nodeName}{"\\n"}{end}');
    const nodes = out.trim().split('\n').filter(Boolean);
    return nodes.length === 4 && !nodes.includes('big-0');
  });
});
