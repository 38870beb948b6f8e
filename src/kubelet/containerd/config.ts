/**
 * The files that configure k8ts's own containerd: its config.toml (config version 2, containerd 1.6 keys),
 * one `hosts.toml` per mirrored registry, and the CNI network list for the pod bridge.
 *
 * Everything lives under `<dataDir>/agent/` (see {@link containerdPaths}); nothing is written to /etc or
 * /var/lib, so two k8ts nodes with different data dirs never share state.
 */
import * as path from 'node:path';
import type { RegistriesConfig, RegistryTLS } from '../images/registries.js';

export type { RegistriesConfig };

export interface ContainerdPaths {
  /** `<dataDir>/agent/containerd`: holds everything below. */
  dir: string;
  root: string;
  state: string;
  socket: string;
  config: string;
  log: string;
  /** The registry hosts directories (`<host>/hosts.toml`), containerd's `config_path`. */
  certsDir: string;
  cniConfDir: string;
  /** host-local IPAM's allocation records. */
  cniDataDir: string;
  /** Air-gapped image tarballs, imported at start. */
  imagesDir: string;
}

export function containerdPaths(dataDir: string): ContainerdPaths {
  const agent = path.join(path.resolve(dataDir), 'agent');
  const dir = path.join(agent, 'containerd');
  return {
    dir,
    root: path.join(dir, 'root'),
    state: path.join(dir, 'state'),
    socket: path.join(dir, 'containerd.sock'),
    config: path.join(dir, 'config.toml'),
    log: path.join(dir, 'containerd.log'),
    certsDir: path.join(agent, 'etc', 'containerd', 'certs.d'),
    cniConfDir: path.join(agent, 'etc', 'cni', 'net.d'),
    cniDataDir: path.join(agent, 'cni', 'networks'),
    imagesDir: path.join(agent, 'images'),
  };
}

export interface ContainerdConfigOptions {
  paths: ContainerdPaths;
  /** The pod sandbox (pause) image, e.g. `registry.k8s.io/pause:3.10`. */
  sandboxImage: string;
  /** Directory holding the CNI plugin binaries (bridge, host-local, portmap, loopback). */
  cniBinDir: string;
  /**
   * Never give a container a lower oom_score_adj than containerd's own. Needed where the node lacks
   * CAP_SYS_RESOURCE (inside another container), or runc fails to start the pause process (-998).
   */
  restrictOomScoreAdj: boolean;
}

/** TOML basic string. */
function q(s: string): string {
  return JSON.stringify(s);
}

/** containerd's config.toml: cgroupfs driver, overlayfs snapshotter, the CRI plugin with CNI and registry hosts. */
export function renderContainerdConfig(o: ContainerdConfigOptions): string {
  const cri = '[plugins."io.containerd.grpc.v1.cri"';
  return [
    '# Written by k8ts; regenerated at every start.',
    'version = 2',
    `root = ${q(o.paths.root)}`,
    `state = ${q(o.paths.state)}`,
    // Plugins k8ts never uses: keeps start-up quick and the log quiet.
    'disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", ' +
      '"io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp"]',
    '',
    '[grpc]',
    `  address = ${q(o.paths.socket)}`,
    '',
    '[ttrpc]',
    `  address = ${q(o.paths.socket + '.ttrpc')}`,
    '',
    '[debug]',
    '  level = "info"',
    '',
    '[plugins."io.containerd.internal.v1.opt"]',
    `  path = ${q(path.join(o.paths.root, 'opt'))}`,
    '',
    `${cri}]`,
    `  sandbox_image = ${q(o.sandboxImage)}`,
    '  stream_server_address = "127.0.0.1"',
    '  stream_server_port = "0"',
    '  enable_selinux = false',
    '  max_container_log_line_size = 16384',
    `  restrict_oom_score_adj = ${o.restrictOomScoreAdj}`,
    '',
    `${cri}.containerd]`,
    '  snapshotter = "overlayfs"',
    '  default_runtime_name = "runc"',
    '',
    `${cri}.containerd.runtimes.runc]`,
    '  runtime_type = "io.containerd.runc.v2"',
    '',
    `${cri}.containerd.runtimes.runc.options]`,
    '  SystemdCgroup = false',
    // runc's own state (per container) beside containerd's, not in the system-wide /run/containerd/runc.
    `  Root = ${q(path.join(o.paths.state, 'runc'))}`,
    '',
    `${cri}.cni]`,
    `  bin_dir = ${q(o.cniBinDir)}`,
    `  conf_dir = ${q(o.paths.cniConfDir)}`,
    '',
    `${cri}.registry]`,
    `  config_path = ${q(o.paths.certsDir)}`,
    '',
  ].join('\n');
}

/**
 * One `hosts.toml` per registry that has mirrors or TLS settings: file path (relative to the certs dir) →
 * content. Mirrors are tried in order for pull and resolve; the registry itself stays the fallback `server`.
 * TLS settings (`ca_file`, `cert_file`/`key_file`, `insecure_skip_verify`) apply to the endpoint whose host
 * they are configured for.
 */
export function renderRegistryHosts(reg: RegistriesConfig): Map<string, string> {
  const files = new Map<string, string>();
  const registries = new Set([...Object.keys(reg.mirrors ?? {}), ...Object.keys(reg.configs ?? {})]);
  for (const registry of registries) {
    const endpoints = reg.mirrors?.[registry]?.endpoint ?? [];
    const server = defaultServer(registry);
    const lines = [`# Written by k8ts from the registries config.`, `server = ${q(server)}`, ''];
    for (const endpoint of endpoints) {
      lines.push(`[host.${q(endpoint.replace(/\/+$/, ''))}]`, '  capabilities = ["pull", "resolve"]');
      lines.push(...tlsLines(reg.configs?.[new URL(endpoint).host]?.tls), '');
    }
    // Settings for the registry itself (no mirror, or as the fallback after its mirrors).
    const own = tlsLines(reg.configs?.[registry]?.tls);
    if (own.length) lines.push(`[host.${q(server)}]`, '  capabilities = ["pull", "resolve", "push"]', ...own, '');
    if (endpoints.length === 0 && own.length === 0) continue;
    files.set(path.join(registry, 'hosts.toml'), lines.join('\n').replace(/\n+$/, '\n'));
  }
  return files;
}

function tlsLines(tls: RegistryTLS | undefined): string[] {
  if (!tls) return [];
  const out: string[] = [];
  if (tls.ca_file) out.push(`  ca = ${q(tls.ca_file)}`);
  if (tls.cert_file && tls.key_file) out.push(`  client = [[${q(tls.cert_file)}, ${q(tls.key_file)}]]`);
  if (tls.insecure_skip_verify) out.push('  skip_verify = true');
  return out;
}

/**
 * Where a registry serves when no mirror answers: Docker Hub's API lives on registry-1.docker.io; a
 * registry on the loopback address speaks plain HTTP (as Docker and containerd assume); others HTTPS.
 */
function defaultServer(registry: string): string {
  if (registry === 'docker.io') return 'https://registry-1.docker.io';
  const hostname = registry.replace(/:\d+$/, '');
  if (hostname === 'localhost' || /^127\./.test(hostname) || hostname === '[::1]') return `http://${registry}`;
  return `https://${registry}`;
}

export interface CniOptions {
  /** The node's pod CIDR, e.g. 10.42.0.0/24. */
  podCidr: string;
  /** The bridge's name; the bridge takes the first address of the pod CIDR as the pods' gateway. */
  bridge: string;
  /** host-local's allocation records. */
  ipamDataDir: string;
}

export const CNI_NETWORK_NAME = 'k8ts';
export const CNI_CONFIG_FILE = '10-k8ts.conflist';

/**
 * The pod network: a bridge with host-local IPAM on the node's pod CIDR, masquerade for traffic leaving the
 * pod CIDR, and portmap for hostPort. (containerd brings each sandbox's `lo` up with the loopback plugin
 * itself.)
 */
export function renderCniConfig(o: CniOptions): string {
  const conf = {
    cniVersion: '1.0.0',
    name: CNI_NETWORK_NAME,
    plugins: [
      {
        type: 'bridge',
        bridge: o.bridge,
        isGateway: true,
        ipMasq: true,
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: o.podCidr }]],
          routes: [{ dst: '0.0.0.0/0' }],
          dataDir: o.ipamDataDir,
        },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  };
  return JSON.stringify(conf, null, 2) + '\n';
}
