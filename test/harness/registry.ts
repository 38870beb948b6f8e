/**
 * The test images and a local registry that serves them, so that tests never need Docker Hub.
 *
 * - {@link ensureImages} runs `images/build.sh` (which skips images whose inputs did not change) and
 *   returns each image's OCI layout directory and tags.
 * - {@link startRegistry} starts Debian's `docker-registry` on 127.0.0.1:<port> with a temporary config and
 *   storage -- inside the given sealed netns, or in the caller's own network namespace -- and pushes every
 *   image as `library/<name>:<tag>` (so that `docker.io/library/nginx:latest` resolves once docker.io is
 *   mirrored to it), and pause also as `pause:<tag>` (for `registry.k8s.io/pause:3.10`, the default
 *   sandbox image). `stop()` kills the registry by PID and removes its files.
 * - {@link registryMirrors} is the registries config that sends docker.io and registry.k8s.io to it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCommand, type RunResult, type SealedNetns } from './netns.js';
import { repoRoot } from './paths.js';
import type { RegistriesConfig } from '../../src/kubelet/images/registries.js';

/** Repository paths an image is pushed under: Docker Hub's `library/…`, and registry.k8s.io's for pause. */
function repositoriesOf(image: string): string[] {
  return image === 'pause' ? [`library/${image}`, image] : [`library/${image}`];
}

/** docker.io and registry.k8s.io mirrored to the test registry (plain HTTP). */
export function registryMirrors(address: string): RegistriesConfig {
  const endpoint = [`http://${address}`];
  return { mirrors: { 'docker.io': { endpoint }, 'registry.k8s.io': { endpoint } } };
}

export interface BuiltImage {
  name: string;
  /** The OCI image layout directory. */
  layout: string;
  tags: string[];
}

export interface TestRegistry {
  /** host:port, e.g. 127.0.0.1:5000 */
  readonly address: string;
  /** Pushed references, e.g. `library/nginx:latest`. */
  readonly references: readonly string[];
  stop(): Promise<void>;
}

export async function ensureImages(names: readonly string[] = []): Promise<BuiltImage[]> {
  const r = await runCommand(path.join(repoRoot(), 'images', 'build.sh'), names);
  if (r.code !== 0) throw new Error(`images/build.sh failed (${r.code ?? r.signal}): ${r.stderr.trim()}`);
  return r.stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [name, layout, ...tags] = line.split(' ');
      return { name: name!, layout: layout!, tags };
    });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface StartRegistryOptions {
  /** Run the registry (and the pushes) inside this namespace; default: the caller's namespace. */
  netns?: SealedNetns;
  /** Default: 5000 inside a netns, a free port otherwise. */
  port?: number;
  /** Images to build and push; default all. */
  images?: readonly string[];
  /** Require these credentials (htpasswd, basic auth) for every request, pulls included. */
  auth?: { username: string; password: string };
}

/** An htpasswd line with a bcrypt hash (what docker-registry accepts; cost 4, so that each request stays fast), made with Python's crypt module. */
async function htpasswdLine(username: string, password: string): Promise<string> {
  const r = await runCommand('python3', ['-c', 'import crypt,sys; print(crypt.crypt(sys.stdin.read(), crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))'], {
    input: password,
  });
  if (r.code !== 0 || !r.stdout.startsWith('$2')) throw new Error(`cannot make a bcrypt hash with python3: ${r.stderr.trim()}`);
  return `${username}:${r.stdout.trim()}\n`;
}

export async function startRegistry(opts: StartRegistryOptions = {}): Promise<TestRegistry> {
  const images = await ensureImages(opts.images);
  const port = opts.port ?? (opts.netns ? 5000 : await freePort());
  const address = `127.0.0.1:${port}`;
  const dir = await mkdtemp(path.join(tmpdir(), 'k8ts-registry-'));
  const config = path.join(dir, 'config.yml');
  await writeFile(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${path.join(dir, 'storage')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: ${address}`,
      ...(opts.auth ? ['auth:', '  htpasswd:', '    realm: k8ts-test', `    path: ${path.join(dir, 'htpasswd')}`] : []),
      '',
    ].join('\n'),
  );
  if (opts.auth) await writeFile(path.join(dir, 'htpasswd'), await htpasswdLine(opts.auth.username, opts.auth.password));
  const run = (cmd: string, args: string[]): Promise<RunResult> =>
    opts.netns ? opts.netns.run(cmd, args, { timeoutMs: 60_000 }) : runCommand(cmd, args, { timeoutMs: 60_000 });
  const child: ChildProcess = opts.netns
    ? opts.netns.exec('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    // Ready when /v2/ answers (the API root of a registry is 200 with no auth).
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}): ${stderr.trim()}`);
      const creds = opts.auth ? ['-u', `${opts.auth.username}:${opts.auth.password}`] : [];
      const probe = await run('curl', ['-sf', '-o', '/dev/null', '--max-time', '1', ...creds, `http://${address}/v2/`]);
      if (probe.code === 0) break;
      if (Date.now() > deadline) throw new Error(`docker-registry did not answer on ${address}: ${stderr.trim()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // Images in parallel; the tags of one image one after another (concurrent uploads of the same blobs
    // into one repository make docker-registry lose a blob now and then).
    const references: string[] = [];
    await Promise.all(
      images.map(async (img) => {
        for (const ref of img.tags.flatMap((tag) => repositoriesOf(img.name).map((repo) => `${repo}:${tag}`))) {
          const tag = ref.slice(ref.lastIndexOf(':') + 1);
          const r = await run('skopeo', [
            'copy', '--quiet', '--dest-tls-verify=false',
            ...(opts.auth ? ['--dest-creds', `${opts.auth.username}:${opts.auth.password}`] : []),
            `oci:${img.layout}:${tag}`, `docker://${address}/${ref}`,
          ]);
          if (r.code !== 0) throw new Error(`skopeo copy ${img.name}:${tag} failed: ${r.stderr.trim()}`);
          references.push(ref);
        }
      }),
    );
    return { address, references: references.sort(), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
