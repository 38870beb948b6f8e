/**
 * A throwaway PKI for tests, made with the `openssl` command: a CA, a server certificate for 127.0.0.1
 * (and a DNS name, for tls-server-name tests), and a client certificate. `remove()` deletes the files.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  dir: string;
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** File paths of the same PEMs. */
  files: { ca: string; serverCert: string; serverKey: string; clientCert: string; clientKey: string };
  remove(): void;
}

export function makeTestPki(opts: { serverDnsName?: string; clientCN?: string; clientOrg?: string } = {}): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-pki-'));
  const p = (f: string) => join(dir, f);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl('req', '-x509', ...ec, '-keyout', p('ca.key'), '-out', p('ca.crt'), '-days', '2', '-subj', '/CN=k8ts-test-ca');
  const sign = (name: string, subj: string, ext: string) => {
    ssl('req', ...ec, '-keyout', p(`${name}.key`), '-out', p(`${name}.csr`), '-subj', subj);
    writeFileSync(p(`${name}.ext`), ext);
    ssl('x509', '-req', '-in', p(`${name}.csr`), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p(`${name}.crt`), '-days', '2', '-extfile', p(`${name}.ext`));
  };
  sign('server', '/CN=k8ts-test-server', `subjectAltName=IP:127.0.0.1,DNS:${opts.serverDnsName ?? 'k8ts.test'}\nextendedKeyUsage=serverAuth\n`);
  sign('client', `/O=${opts.clientOrg ?? 'system:masters'}/CN=${opts.clientCN ?? 'alice'}`, 'extendedKeyUsage=clientAuth\n');
  const read = (f: string) => readFileSync(p(f), 'utf8');
  return {
    dir,
    caCert: read('ca.crt'),
    caKey: read('ca.key'),
    serverCert: read('server.crt'),
    serverKey: read('server.key'),
    clientCert: read('client.crt'),
    clientKey: read('client.key'),
    files: { ca: p('ca.crt'), serverCert: p('server.crt'), serverKey: p('server.key'), clientCert: p('client.crt'), clientKey: p('client.key') },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
