/**
 * `k8ts agent --simulate` against a real `k8ts server` (inside a sealed network namespace), joined with
 * `--server` + `--token`, checked with the real kubectl: nodes Ready with every `-o wide` column, pods
 * Running and Ready, a Job-style pod Succeeded, deletions finished, Leases renewed, and a clean stop.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { startCluster, type Cluster } from '../harness/cluster.js';
import { repoRoot } from '../harness/paths.js';

const MAIN = path.join(repoRoot(), 'dist', 'src', 'cli', 'main.js');
let c: Cluster;
let agent: ChildProcess;
let agentLog = '';

async function k(args: string[], input?: string): Promise<string> {
  const r = await c.kubectl(args, input === undefined ? {} : { input });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

async function eventually<T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\nagent log:\n${agentLog}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

before(async () => {
  c = await startCluster();
  const token = readFileSync(path.join(c.dataDir, 'server', 'token'), 'utf8').trim();
  agent = c.netns.exec(process.execPath, [MAIN, 'agent', '--server', c.url, '--token', token,
    '--data-dir', path.join(c.dataDir, 'agent-e2e'), '--simulate', '3', '--simulate-cpu', '8', '--simulate-memory', '16Gi',
    '--simulate-pods', '50', '--simulate-pod-run-seconds', '2', '--node-lease-duration-seconds', '8',
    '--node-label', 'tier=e2e', '--node-taint', 'example.com/sim=yes:PreferNoSchedule'], { stdio: ['ignore', 'pipe', 'pipe'] });
  agent.stderr!.on('data', (b: Buffer) => { agentLog += b.toString(); });
  agent.stdout!.on('data', (b: Buffer) => { agentLog += b.toString(); });
  await eventually('the agent to be ready', async () => (agentLog.includes('k8ts: agent: ready') ? true : undefined));
});

after(async () => {
  if (agent && agent.exitCode === null && agent.pid !== undefined) process.kill(agent.pid, 'SIGKILL');
  await c?.stop();
});

test('the agent says SIMULATED, and registers 3 nodes that kubectl shows Ready with every wide column', async () => {
  assert.match(agentLog, /SIMULATED: running 3 simulated node\(s\)/);
  const out = await k(['get', 'nodes', '-o', 'wide', '-l', 'k8ts.io/simulated=true']);
  const lines = out.trim().split('\n');
  assert.match(lines[0]!, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME$/);
  assert.equal(lines.length, 4, out);
  for (const [i, line] of lines.slice(1).entries()) {
    assert.match(line, new RegExp(`^k8ts-sim-${i}\\s+Ready\\s+<none>\\s+\\S+\\s+v1\\.32\\.0\\+k8ts\\s+127\\.1\\.0\\.${i + 1}\\s+<none>\\s+k8ts simulated node\\s+simulated\\s+simulated://k8ts$`), out);
  }
  const node = JSON.parse(await k(['get', 'node', 'k8ts-sim-1', '-o', 'json']));
  assert.equal(node.metadata.labels.tier, 'e2e');
  assert.equal(node.metadata.labels['kubernetes.io/hostname'], 'k8ts-sim-1');
  assert.match(node.metadata.annotations['k8ts.io/simulated'], /simulated/);
  assert.deepEqual(node.spec.taints, [{ key: 'example.com/sim', value: 'yes', effect: 'PreferNoSchedule' }]);
  assert.deepEqual(node.status.capacity, { cpu: '8', memory: '16Gi', 'ephemeral-storage': '100Gi', pods: '50' });
  assert.deepEqual(node.status.conditions.map((x: { type: string; status: string; reason: string }) => `${x.type}=${x.status}/${x.reason}`), [
    'MemoryPressure=False/KubeletHasSufficientMemory', 'DiskPressure=False/KubeletHasNoDiskPressure',
    'PIDPressure=False/KubeletHasSufficientPID', 'Ready=True/KubeletReady',
  ]);
});

test('a pod bound to a simulated node becomes Running and Ready, with a pod IP from the node range', async () => {
  await k(['apply', '-f', '-'], 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  nodeName: k8ts-sim-1\n  containers: [{name: nginx, image: nginx}]\n');
  await k(['wait', '--for=condition=Ready', 'pod/web', '--timeout=30s']);
  const wide = await k(['get', 'pod', 'web', '-o', 'wide', '--no-headers']);
  assert.match(wide, /^web\s+1\/1\s+Running\s+0\s+\S+\s+10\.42\.1\.\d+\s+k8ts-sim-1\s/);
  const pod = JSON.parse(await k(['get', 'pod', 'web', '-o', 'json']));
  assert.equal(pod.status.hostIP, '127.1.0.2');
  assert.ok(pod.status.startTime);
  const cs = pod.status.containerStatuses[0];
  assert.equal(cs.ready, true);
  assert.equal(cs.restartCount, 0);
  assert.ok(cs.state.running.startedAt);
  assert.match(cs.containerID, /^simulated:\/\//);
});

test('a Job-style pod (restartPolicy Never) reaches Succeeded after its run time', async () => {
  await k(['apply', '-f', '-'], 'apiVersion: v1\nkind: Pod\nmetadata: {name: once}\nspec:\n  nodeName: k8ts-sim-2\n  restartPolicy: Never\n  containers: [{name: main, image: busybox}]\n');
  await k(['wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/once', '--timeout=30s']);
  const pod = JSON.parse(await k(['get', 'pod', 'once', '-o', 'json']));
  assert.deepEqual({ exitCode: pod.status.containerStatuses[0].state.terminated.exitCode, reason: pod.status.containerStatuses[0].state.terminated.reason }, { exitCode: 0, reason: 'Completed' });
  assert.match(await k(['get', 'pod', 'once', '--no-headers']), /^once\s+0\/1\s+Completed\s+0\s/);
});

test('deleting a pod on a simulated node completes (the agent finishes the graceful deletion)', async () => {
  await k(['delete', 'pod', 'web', '--wait=true', '--timeout=30s']);
  const r = await c.kubectl(['get', 'pod', 'web']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /NotFound/);
});

test('a pod CIDR assigned to a node after it registered is used for its new pods', async () => {
  await k(['patch', 'node', 'k8ts-sim-0', '-p', '{"spec":{"podCIDR":"10.200.7.0/24","podCIDRs":["10.200.7.0/24"]}}']);
  await eventually('the agent to see the CIDR', async () => {
    await c.kubectl(['delete', 'pod', 'late', '--wait=true', '--ignore-not-found']);
    await k(['apply', '-f', '-'], 'apiVersion: v1\nkind: Pod\nmetadata: {name: late}\nspec:\n  nodeName: k8ts-sim-0\n  containers: [{name: c, image: nginx}]\n');
    await k(['wait', '--for=condition=Ready', 'pod/late', '--timeout=30s']);
    const ip = JSON.parse(await k(['get', 'pod', 'late', '-o', 'json'])).status.podIP as string;
    return ip.startsWith('10.200.7.') ? ip : undefined;
  }, 20_000);
});

test('node Leases in kube-node-lease are renewed', async () => {
  const renewTime = async () => JSON.parse(await k(['get', 'lease', '-n', 'kube-node-lease', 'k8ts-sim-0', '-o', 'json']));
  const first = await renewTime();
  assert.equal(first.spec.holderIdentity, 'k8ts-sim-0');
  assert.equal(first.spec.leaseDurationSeconds, 8);
  assert.equal(first.metadata.ownerReferences[0].kind, 'Node');
  await eventually('a renewal', async () => ((await renewTime()).spec.renewTime > first.spec.renewTime ? true : undefined), 10_000);
});

test('a wrong token and a missing runtime are refused with clear messages', async () => {
  const wrong = await c.run(process.execPath, [MAIN, 'agent', '--server', c.url, '--token', 'not-the-token', '--data-dir', path.join(c.dataDir, 'agent-bad'), '--simulate', '1']);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /rejected the token/);
  // The real runtime needs containerd: without it on PATH (only nsenter, to enter the netns) the agent says so and stops.
  const bin = path.join(c.dataDir, 'bin-without-containerd');
  mkdirSync(bin, { recursive: true });
  symlinkSync('/usr/bin/nsenter', path.join(bin, 'nsenter'));
  const real = await c.run(process.execPath, [MAIN, 'agent', '--kubeconfig', c.kubeconfig, '--data-dir', path.join(c.dataDir, 'agent-bad')], { env: { PATH: bin } });
  assert.equal(real.code, 1);
  assert.match(real.stderr, /containerd is not installed/);
});

test('stopping the agent (SIGTERM) exits cleanly and leaves the server and the nodes in place', async () => {
  const exited = new Promise<number | null>((resolve) => agent.once('exit', (code) => resolve(code)));
  process.kill(agent.pid!, 'SIGTERM');
  assert.equal(await exited, 0, agentLog);
  assert.match(agentLog, /k8ts: agent: stopped/);
  assert.doesNotMatch(agentLog, /TypeError|ReferenceError|Unhandled/);
  assert.equal((await k(['get', '--raw', '/readyz'])).trim(), 'ok');
  assert.equal((await k(['get', 'nodes', '-l', 'k8ts.io/simulated=true', '--no-headers'])).trim().split('\n').length, 3);
  assert.doesNotMatch(c.logs(), /TypeError|ReferenceError/);
});
