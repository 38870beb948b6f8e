/** The `Client` contract suite on both implementations: FakeClient, and RestClient over TLS. */
import { after, before } from 'node:test';
import { FakeClient } from './fake.js';
import { RestClient } from './rest.js';
import { runClientConformance } from './testing/client-conformance.js';
import { startTestRestServer, type TestRestServer } from './testing/rest-server.js';
import { makeTestPki, type TestPki } from './testing/test-pki.js';

runClientConformance('FakeClient', async () => ({ client: new FakeClient() }));

let pki: TestPki;
let server: TestRestServer;
before(async () => {
  pki = makeTestPki();
  server = await startTestRestServer({ cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert });
});
after(async () => {
  await server.close();
  pki.remove();
});
runClientConformance('RestClient over TLS', async () => {
  const client = new RestClient({ server: server.url, namespace: 'default', ca: Buffer.from(pki.caCert) });
  return { client, cleanup: async () => client.close() };
});
