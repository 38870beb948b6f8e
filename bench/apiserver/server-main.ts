/**
 * The API server alone (store + API server, no other component), for the benchmark to run as a child
 * process. Usage: node server-main.js DATA_DIR PORT [DATASTORE_ENDPOINT]. Prints "ready" once serving.
 */
import { startApiServer } from '../../src/apiserver/apiserver.js';
import { openStore } from '../../src/storage/index.js';

const [dataDir, port, endpoint] = process.argv.slice(2);
const { store } = await openStore({ endpoint: endpoint ?? '', dataDir: dataDir! });
const server = await startApiServer(store, { dataDir: dataDir!, port: Number(port), bindAddress: '127.0.0.1' });
console.log('ready');
process.once('SIGTERM', () => {
  void server.stop().then(() => store.close()).then(() => process.exit(0));
});
