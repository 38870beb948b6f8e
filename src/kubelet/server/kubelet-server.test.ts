import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { createCA, issue } from '../../apiserver/pki/certs.js';
import { FakeRuntime } from '../cri/fake.js';
import { KubeletServer } from './kubelet-server.js';

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ code: number; body: string }> {
  return new Promise((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port, path, headers, rejectUnauthorized: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
    });
    r.on('error', reject);
    r.end();
  });
}

test('kubelet server: bearer token required when there is no client CA; unknown pods are 404; exec needs an upgrade', async () => {
  const ca = await createCA('test-ca');
  const serving = await issue(ca, { commonName: 'node', ipAddresses: ['127.0.0.1'], usage: 'server' });
  const server = new KubeletServer({
    runtime: new FakeRuntime(), findPod: () => undefined, certPem: serving.certPem, keyPem: serving.keyPem,
    bearerToken: 'secret', port: 0, bindAddress: '127.0.0.1',
  });
  const port = await server.listen();
  try {
    assert.equal((await get(port, '/healthz')).code, 401);
    const auth = { Authorization: 'Bearer secret' };
    assert.deepEqual(await get(port, '/healthz', auth), { code: 200, body: 'ok' });
    const missing = await get(port, '/containerLogs/default/nope/c', auth);
    assert.equal(missing.code, 404);
    assert.match(missing.body, /pod "nope" in namespace "default" not found/);
    assert.equal((await get(port, '/exec/default/p/c?command=ls', auth)).code, 400);
  } finally {
    await server.close();
  }
});
