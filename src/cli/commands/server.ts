/** `k8ts server`: flags only; the work is in src/server. Flag names are the ones k3s users know. */
import { untilStopSignal } from '../signals.js';
import type { Command } from '../command.js';
import { CommandError } from '../command.js';
import { helpText, parseFlags } from '../flags.js';
import { defaultDataDir, type ServerConfig } from '../../server/config.js';
import { startServer } from '../../server/server.js';
import { StartupError } from '../../server/lifecycle.js';

const flags = {
  'data-dir': { type: 'string', description: 'Folder for the server\'s state', default: '/var/lib/k8ts as root, ~/.k8ts otherwise' },
  'https-listen-port': { type: 'string', description: 'HTTPS port of the API server', default: '6443' },
  'bind-address': { type: 'string', description: 'Address the API server listens on', default: '127.0.0.1' },
  'write-kubeconfig': { type: 'string', description: 'Also write the admin kubeconfig to this file' },
  'datastore-endpoint': { type: 'string', description: 'Empty: embedded SQLite in the data dir; http://HOST:PORT: etcd v3', default: '""' },
  token: { type: 'string', description: 'Shared secret agents use to join (generated when absent)' },
  'disable-controllers': { type: 'string', description: 'Comma-separated controllers not to run (e.g. job,cronjob)' },
  'disable-agent': { type: 'boolean', description: 'Do not run a node agent (kubelet and containerd) in the server' },
  'private-registry': { type: 'string', description: 'Private registry configuration file (registries.yaml)', default: '<data-dir>/agent/registries.yaml' },
  'node-name': { type: 'string', description: 'Node name of the embedded agent', default: 'the hostname' },
  'container-runtime-endpoint': { type: 'string', description: 'Use an existing CRI endpoint (e.g. unix:///run/containerd/containerd.sock) instead of starting containerd' },
} as const;

export function serverConfigFromArgs(args: string[]): ServerConfig | 'help' {
  const { values, help } = parseFlags(args, flags);
  if (help) return 'help';
  const port = Number(values['https-listen-port'] ?? '6443');
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new CommandError(`invalid --https-listen-port "${values['https-listen-port']}": want a port number 1-65535`);
  }
  return {
    dataDir: values['data-dir'] ?? defaultDataDir(),
    httpsListenPort: port,
    bindAddress: values['bind-address'] ?? '127.0.0.1',
    writeKubeconfig: values['write-kubeconfig'],
    datastoreEndpoint: values['datastore-endpoint'] ?? '',
    token: values.token,
    disableControllers: (values['disable-controllers'] ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    disableAgent: values['disable-agent'] === true,
    privateRegistry: values['private-registry'],
    nodeName: values['node-name'],
    containerRuntimeEndpoint: values['container-runtime-endpoint'],
  };
}

export const serverCommand: Command = {
  async run(args) {
    const config = serverConfigFromArgs(args);
    if (config === 'help') {
      console.log(helpText('k8ts server [flags]', flags));
      return 0;
    }
    const log = (line: string) => console.error(`k8ts: ${line}`);
    let stop: () => Promise<void>;
    try {
      ({ stop } = await startServer(config, log));
    } catch (err) {
      if (err instanceof StartupError) throw new CommandError(`cannot start: ${err.message}`);
      throw err;
    }
    log('server ready');
    await untilStopSignal(log);
    await stop();
    log('stopped');
    return 0;
  },
};
