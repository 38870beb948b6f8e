/**
 * Runs in a worker thread (see checkpointer.ts): its own connection to the database, copying the WAL
 * back into the database file on request, so the server's thread never waits for that copy or its fsync.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const port = parentPort!;
const db = new Database((workerData as { file: string }).file, { timeout: 5000 });

port.on('message', (msg: string) => {
  if (msg === 'close') {
    db.close();
    port.close();
    return;
  }
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    port.postMessage({ log: r?.log ?? 0, checkpointed: r?.checkpointed ?? 0 });
  } catch (err) {
    port.postMessage({ error: (err as Error).message });
  }
});
port.postMessage({ ready: true });
