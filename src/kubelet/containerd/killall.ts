/**
 * killall for one k8ts node's container runtime, in the manner of `k3s-killall.sh` but scoped to one data
 * dir, so that other k8ts nodes on the machine (other data dirs) are untouched:
 *
 * 1. find the shims of this node's containerd (`containerd-shim-runc-v2 … -address <our socket>`) and
 *    every process below them (the pods' processes), with their cgroups and network namespaces;
 * 2. SIGKILL all of them and this node's containerd (by its pid file; its command line must name our
 *    config);
 * 3. unmount everything under `<dataDir>/agent` (container root filesystems, shm) and the pods' network
 *    namespace files (`/run/netns/cni-…` whose namespace one of those processes was in), deleting the files;
 * 4. remove the containers' cgroups (and their pod cgroup when it is then empty);
 * 5. in the node's network namespace (the caller's, or `netns`): delete the pod bridge and the
 *    masquerade rules the CNI bridge plugin made for our network (nat POSTROUTING rules commented
 *    `name: "k8ts"` and the CNI-… chains they jump to).
 *
 * kube-proxy's rules (K8TS- chains) are kube-proxy's business and are not touched here.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, readlink, rm, rmdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CNI_NETWORK_NAME, containerdPaths } from './config.js';
import { processAlive, signalProcess, sleep } from './process.js';

const run = promisify(execFile);

export interface KillallOptions {
  dataDir: string;
  /** The pod bridge to delete (default `k8ts0`); null to keep it. */
  bridge?: string | null;
  /** The node's network namespace (a name under /run/netns) when it is not the caller's. */
  netns?: string;
  log?: (line: string) => void;
}

export interface KillallReport {
  killed: number[];
  unmounted: string[];
  netns: string[];
  cgroups: string[];
  /** The iptables rules removed (iptables-save form). */
  iptables: string[];
}

async function cmdline(pid: number): Promise<string[]> {
  return (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0').filter(Boolean);
}

async function allPids(): Promise<number[]> {
  return (await readdir('/proc')).filter((n) => /^\d+$/.test(n)).map(Number);
}

async function parentOf(pid: number): Promise<number> {
  const s = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // comm may hold spaces and parentheses: the fields after it start after the last ')'.
  return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1] ?? 0);
}

/** Every process below the given roots (children, grandchildren, …). */
async function descendants(roots: number[]): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const pid of await allPids()) parents.set(pid, await parentOf(pid));
  const inTree = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!inTree.has(pid) && inTree.has(ppid)) {
        inTree.add(pid);
        grew = true;
      }
    }
  }
  return [...inTree].filter((p) => !roots.includes(p));
}

/** `<controller-dir>/<path>` of each cgroup v1 hierarchy the process is in, e.g. memory/k8ts/pod1/abc. */
async function cgroupsOf(pid: number): Promise<string[]> {
  const text = await readFile(`/proc/${pid}/cgroup`, 'utf8').catch(() => '');
  const out: string[] = [];
  for (const line of text.split('\n').filter(Boolean)) {
    const [, controllers, p] = line.split(':');
    if (!p || p === '/') continue;
    const dir = controllers === '' ? 'unified' : controllers!.replace(/^name=/, '');
    out.push(path.join(dir.split(',')[0]!, p));
  }
  return out;
}

export async function killallRuntime(opts: KillallOptions): Promise<KillallReport> {
  const paths = containerdPaths(opts.dataDir);
  const report: KillallReport = { killed: [], unmounted: [], netns: [], cgroups: [], iptables: [] };

  // 1. Our shims and what runs below them.
  const shims: number[] = [];
  for (const pid of await allPids()) {
    const argv = await cmdline(pid);
    const i = argv.indexOf('-address');
    if (argv[0]?.endsWith('containerd-shim-runc-v2') && i > 0 && argv[i + 1] === paths.socket) shims.push(pid);
  }
  const pods = await descendants(shims);
  const netnsInodes = new Set<string>();
  const cgroups = new Set<string>();
  for (const pid of pods) {
    const link = await readlink(`/proc/${pid}/ns/net`).catch(() => '');
    if (link) netnsInodes.add(link.replace(/^net:\[(\d+)\]$/, '$1'));
    for (const cg of await cgroupsOf(pid)) cgroups.add(cg);
  }

  // 2. Kill: the pods' processes first (so that no shim restarts anything), then shims, then containerd.
  const containerdPid = Number((await readFile(path.join(paths.dir, 'containerd.pid'), 'utf8').catch(() => '')).trim());
  const victims = [...pods, ...shims];
  if (containerdPid > 0 && (await cmdline(containerdPid)).includes(paths.config)) victims.push(containerdPid);
  for (const pid of victims) if (signalProcess(pid, 'SIGKILL')) report.killed.push(pid);
  const deadline = Date.now() + 10_000;
  while (victims.some(processAlive) && Date.now() < deadline) await sleep(20);
  await rm(path.join(paths.dir, 'containerd.pid'), { force: true });

  // 3. Mounts under the agent dir (deepest first) and the pods' netns files.
  const agentDir = path.dirname(paths.dir);
  const netnsDir = '/run/netns';
  const podNetnsFiles: string[] = [];
  for (const name of await readdir(netnsDir).catch(() => [] as string[])) {
    if (!name.startsWith('cni-')) continue;
    const file = path.join(netnsDir, name);
    const st = await stat(file).catch(() => undefined);
    if (st && netnsInodes.has(String(st.ino))) podNetnsFiles.push(file);
  }
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  const targets = mountinfo
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m.startsWith(agentDir + '/') || podNetnsFiles.includes(m))
    .sort((a, b) => b.length - a.length);
  for (const target of new Set(targets)) {
    await run('umount', ['-l', target]).then(
      () => report.unmounted.push(target),
      (err: Error) => opts.log?.(`umount ${target}: ${err.message}`),
    );
  }
  for (const file of podNetnsFiles) {
    await rm(file, { force: true });
    report.netns.push(file);
  }

  // 4. The containers' cgroups, then their pod cgroup if it is left empty.
  for (const cg of cgroups) {
    for (const dir of [cg, path.dirname(cg)]) {
      const full = path.join('/sys/fs/cgroup', dir);
      if (await rmdir(full).then(() => true, () => false)) report.cgroups.push(full);
    }
  }

  // 5. The pod network's bridge and masquerade rules, in the node's network namespace.
  const inNode = (cmd: string, args: string[], input?: string) =>
    new Promise<string>((resolve, reject) => {
      const argv = opts.netns ? ['nsenter', [`--net=/run/netns/${opts.netns}`, cmd, ...args]] as const : [cmd, args] as const;
      const child = execFile(argv[0], [...argv[1]], (err, stdout) => (err ? reject(err) : resolve(stdout)));
      child.stdin?.on('error', () => {}); // a command that reads no input may be gone before we write
      child.stdin?.end(input);
    });
  const bridge = opts.bridge === undefined ? 'k8ts0' : opts.bridge;
  if (bridge) await inNode('ip', ['link', 'delete', bridge]).catch(() => {});
  const nat = await inNode('iptables-save', ['-t', 'nat']).catch(() => '');
  const ours = nat.split('\n').filter((l) => l.startsWith('-A POSTROUTING ') && l.includes(`name: \\"${CNI_NETWORK_NAME}\\"`));
  if (ours.length) {
    const chains = new Set(ours.map((l) => / -j (CNI-\S+)/.exec(l)?.[1]).filter((c): c is string => !!c));
    const restore = ['*nat', ...ours.map((l) => l.replace(/^-A /, '-D ')), ...[...chains].flatMap((c) => [`-F ${c}`, `-X ${c}`]), 'COMMIT', ''];
    await inNode('iptables-restore', ['--noflush'], restore.join('\n')).then(
      () => report.iptables.push(...ours),
      (err: Error) => opts.log?.(`removing CNI masquerade rules: ${err.message}`),
    );
  }
  opts.log?.(`killall: killed ${report.killed.length} processes, unmounted ${report.unmounted.length}, removed ${report.netns.length} netns`);
  return report;
}
