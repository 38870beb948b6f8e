/** `kubectl version`: the client version, and the server's unless `--client`. */
import type { KubectlCommand } from '../command.js';
import { KubectlError } from '../errors.js';
import { KUBERNETES_VERSION } from '../../version.js';

export const CLIENT_VERSION = {
  major: KUBERNETES_VERSION.major,
  minor: KUBERNETES_VERSION.minor,
  gitVersion: KUBERNETES_VERSION.gitVersion,
  gitCommit: '',
  gitTreeState: 'clean',
  buildDate: '',
  goVersion: `node${process.versions.node}`,
  compiler: 'tsc',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

export const command: KubectlCommand = {
  name: 'version',
  short: 'Print the client and server version information',
  long: 'Print the client and server version information for the current context.',
  examples: '  # Print the client and server versions for the current context\n  kubectl version',
  usage: 'version [flags] [options]',
  flags: [
    { name: 'client', kind: 'bool', usage: 'If true, shows client version only (no server required).' },
    { name: 'output', short: 'o', kind: 'string', usage: "One of 'yaml' or 'json'." },
  ],
  async run({ flags, io }) {
    const output = flags.string('output');
    if (output !== '' && output !== 'yaml' && output !== 'json') throw new KubectlError("--output must be 'yaml' or 'json'");
    const info: Record<string, unknown> = { clientVersion: CLIENT_VERSION };
    let serverError: unknown;
    if (!flags.bool('client')) {
      try {
        const { makeFactory } = await import('../factory.js');
        const f = await makeFactory(flags, io);
        info.serverVersion = await f.transport.json({ path: '/version' });
      } catch (err) {
        serverError = err;
      }
    }
    if (output === 'json') {
      io.out(`${JSON.stringify(info, null, 2)}\n`);
    } else if (output === 'yaml') {
      const { toYAML } = await import('../printers/yaml.js');
      io.out(`${toYAML(info)}\n`);
    } else {
      io.out(`Client Version: ${CLIENT_VERSION.gitVersion}\n`);
      const sv = info.serverVersion as { gitVersion?: string } | undefined;
      if (sv) io.out(`Server Version: ${sv.gitVersion}\n`);
    }
    if (serverError) throw serverError;
    return 0;
  },
};
