/** Everything `k8ts server` needs to know, already resolved from flags and defaults. */
export interface ServerConfig {
  /** Where the server keeps its state: database, certificates, kubeconfig. */
  dataDir: string;
  httpsListenPort: number;
  bindAddress: string;
  /** An extra path to write the admin kubeconfig to (it is always written into dataDir too). */
  writeKubeconfig?: string;
  /** Empty: embedded SQLite in dataDir. `http://HOST:PORT[,…]`: etcd v3. */
  datastoreEndpoint: string;
  /** Shared secret that agents present to join; generated at first start when not given. */
  token?: string;
  /** Controllers not to run (`--disable-controllers a,b`), by their registry names. */
  disableControllers?: string[];
  /** Do not run a node agent in the server (`--disable-agent`). */
  disableAgent?: boolean;
  /** registries.yaml for the embedded agent (`--private-registry`; default `<dataDir>/agent/registries.yaml`). */
  privateRegistry?: string;
  /** The embedded agent's node name (`--node-name`; default the hostname). */
  nodeName?: string;
  /** An existing CRI endpoint for the embedded agent instead of k8ts's own containerd (`--container-runtime-endpoint`). */
  containerRuntimeEndpoint?: string;
}

/** The default data dir: /var/lib/k8ts as root, ~/.k8ts otherwise (as k3s does). */
export function defaultDataDir(uid = process.getuid?.() ?? 0, home = process.env.HOME ?? '/root'): string {
  return uid === 0 ? '/var/lib/k8ts' : `${home}/.k8ts`;
}
