/**
 * One probe attempt, as upstream's prober: httpGet (2xx/3xx is success; to the pod IP unless `host` is
 * set; redirects are not followed), tcpSocket (connect), exec (ExecSync; exit 0). Each has the probe's
 * timeout. grpc probes are reported as unsupported.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { Container } from '../../api/types.js';
import type { RuntimeService } from '../cri/service.js';

export type Probe = NonNullable<Container['livenessProbe']>;
export type ProbeResult = { ok: boolean; output: string };

function resolvePort(port: number | string | undefined, c: Container): number {
  if (typeof port === 'number') return port;
  const n = Number(port);
  if (Number.isInteger(n) && n > 0) return n;
  const named = (c.ports ?? []).find((p) => p.name === port);
  if (!named) throw new Error(`couldn't find port ${String(port)} in container ${c.name}`);
  return named.containerPort;
}

export async function runProbe(probe: Probe, c: Container, containerId: string, podIP: string, runtime: RuntimeService): Promise<ProbeResult> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  try {
    if (probe.exec) {
      const r = await runtime.execSync(containerId, probe.exec.command ?? [], probe.timeoutSeconds ?? 1);
      const out = Buffer.concat([r.stdout, r.stderr]).toString('utf8').slice(0, 10240);
      return { ok: r.exitCode === 0, output: r.exitCode === 0 ? out : `command ${JSON.stringify(probe.exec.command)} exited with ${r.exitCode}: ${out}` };
    }
    if (probe.httpGet) {
      const g = probe.httpGet;
      const port = resolvePort(g.port as number | string, c);
      const host = g.host || podIP;
      const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.32', Accept: '*/*' };
      for (const h of g.httpHeaders ?? []) headers[h.name] = h.value;
      const scheme = (g.scheme ?? 'HTTP').toUpperCase();
      const req = scheme === 'HTTPS' ? httpsRequest : httpRequest;
      const code = await new Promise<number>((resolve, reject) => {
        const r = req({ host, port, path: g.path ?? '/', method: 'GET', headers, timeout: timeoutMs, rejectUnauthorized: false }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        });
        r.on('timeout', () => r.destroy(new Error(`context deadline exceeded (Client.Timeout exceeded while awaiting headers)`)));
        r.on('error', reject);
        r.end();
      });
      const url = `${scheme.toLowerCase()}://${host}:${port}${g.path ?? '/'}`;
      return code >= 200 && code < 400 ? { ok: true, output: '' } : { ok: false, output: `HTTP probe failed with statuscode: ${code}` + (code ? '' : ` (${url})`) };
    }
    if (probe.tcpSocket) {
      const port = resolvePort(probe.tcpSocket.port as number | string, c);
      const host = probe.tcpSocket.host || podIP;
      await new Promise<void>((resolve, reject) => {
        const s = connect({ host, port, timeout: timeoutMs });
        s.once('connect', () => { s.destroy(); resolve(); });
        s.once('timeout', () => { s.destroy(); reject(new Error(`dial tcp ${host}:${port}: i/o timeout`)); });
        s.once('error', reject);
      });
      return { ok: true, output: '' };
    }
    return { ok: false, output: 'unsupported probe handler' };
  } catch (err) {
    const msg = (err as Error).message;
    if (probe.httpGet) return { ok: false, output: `Get "http://${probe.httpGet.host || podIP}:${String(probe.httpGet.port)}${probe.httpGet.path ?? '/'}": ${msg}` };
    return { ok: false, output: msg };
  }
}
