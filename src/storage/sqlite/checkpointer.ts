/**
 * Background WAL checkpoints for the SQLite store.
 *
 * With SQLite's automatic checkpoints, every ~1000 pages one commit pays for copying the WAL into the
 * database file and fsyncing it, which halves sequential write throughput. Instead, once the worker
 * thread is up, the main connection stops checkpointing (`wal_autocheckpoint=0`) and the worker, with
 * its own connection, runs PASSIVE checkpoints, which do not block writers, after every
 * `everyCommits` commits and every `everyMs` when there were commits. Until then SQLite's automatic
 * checkpoints stay on, so the WAL is bounded from the first write.
 *
 * Under a steady load a PASSIVE checkpoint never catches up with the end of the WAL, so the WAL would
 * never restart; when it is longer than `maxWalFrames`, the main connection runs a RESTART checkpoint
 * (cheap: the worker has already copied nearly everything) so the next commit starts the WAL over.
 * If the worker fails, the main connection goes back to SQLite's automatic checkpoints.
 */
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

export interface CheckpointerOptions {
  everyCommits?: number;
  everyMs?: number;
  maxWalFrames?: number;
}

export class Checkpointer {
  private readonly worker: Worker;
  private busy = true; // until the worker says it is ready
  private dirty = 0;
  private closed = false;
  private readonly timer: NodeJS.Timeout;
  private readonly everyCommits: number;
  private readonly maxWalFrames: number;

  constructor(private readonly db: Database.Database, file: string, options: CheckpointerOptions = {}) {
    this.everyCommits = options.everyCommits ?? 2000;
    // 262,144 frames (1 GiB of WAL at 4 KiB pages) between blocking RESTARTs: each one stalls writers while
    // it syncs, and at 16,384 frames that held sequential writes to ~18,000/s; at this bound ~22,000/s.
    // journal_size_limit (64 MiB) shrinks the file again after each restart.
    this.maxWalFrames = options.maxWalFrames ?? 262144;
    this.worker = new Worker(new URL('./checkpoint-worker.js', import.meta.url), { workerData: { file } });
    this.worker.unref();
    this.worker.on('message', (m: { ready?: boolean; log?: number; error?: string }) => {
      this.busy = false;
      if (this.closed) return;
      try {
        // Until the worker is ready, SQLite's automatic checkpoints stay on.
        if (m.ready) this.db.pragma('wal_autocheckpoint = 0');
        else if (m.error === undefined && (m.log ?? 0) > this.maxWalFrames) this.db.pragma('wal_checkpoint(RESTART)');
      } catch {
        // busy or closing: the next round tries again
      }
    });
    this.worker.on('error', () => this.fallBack());
    this.worker.on('exit', () => this.fallBack());
    this.timer = setInterval(() => {
      if (this.dirty > 0) this.run();
    }, options.everyMs ?? 1000);
    this.timer.unref();
  }

  /** Called after each commit. */
  committed(): void {
    if (++this.dirty >= this.everyCommits) this.run();
  }

  private run(): void {
    if (this.busy || this.closed) return;
    this.busy = true;
    this.dirty = 0;
    this.worker.postMessage('checkpoint');
  }

  private fallBack(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    try {
      this.db.pragma('wal_autocheckpoint = 1000');
    } catch {
      // the database is closing
    }
  }

  /** Stops the worker; the main connection's close then checkpoints what is left. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage('close');
    const timeout = setTimeout(() => void this.worker.terminate(), 2000);
    await exited;
    clearTimeout(timeout);
  }
}
