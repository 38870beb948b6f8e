/**
 * Serves one container's log from its CRI log file, with `kubectl logs` options (upstream's
 * kuberuntime ReadLogs): `tailLines`, `sinceSeconds`/`sinceTime`, `timestamps` (each line prefixed with
 * its RFC3339Nano time and a space), `limitBytes`, and `follow`, which keeps reading the file as it grows
 * until the container stops (`isRunning` turns false and nothing more is written) or the reader is aborted.
 */
import { open } from 'node:fs/promises';
import { parseCriLog, type LogLine } from './cri-log.js';

export interface LogOptions {
  follow?: boolean;
  tailLines?: number;
  sinceMs?: number;
  timestamps?: boolean;
  limitBytes?: number;
}

export async function readContainerLog(
  file: string,
  opts: LogOptions,
  write: (chunk: string) => Promise<void> | void,
  isRunning: () => Promise<boolean>,
  signal: AbortSignal,
): Promise<void> {
  const fh = await open(file, 'r');
  let written = 0;
  const pending = new Map<string, LogLine>();
  const emit = async (lines: LogLine[]): Promise<boolean> => {
    for (const l of lines) {
      if (opts.sinceMs !== undefined && l.timeMs < opts.sinceMs) continue;
      let text = opts.timestamps ? `${l.time} ${l.content}` : l.content;
      if (opts.limitBytes !== undefined) {
        const left = opts.limitBytes - written;
        if (left <= 0) return false;
        if (Buffer.byteLength(text) > left) text = Buffer.from(text).subarray(0, left).toString('utf8');
      }
      written += Buffer.byteLength(text);
      await write(text);
    }
    return true;
  };
  try {
    let offset = 0;
    let carry: Buffer = Buffer.alloc(0);
    const readMore = async (): Promise<LogLine[]> => {
      const { size } = await fh.stat();
      if (size < offset) offset = 0; // truncated (rotation)
      if (size === offset) return [];
      const buf = Buffer.alloc(size - offset);
      await fh.read(buf, 0, buf.length, offset);
      offset = size;
      const all = Buffer.concat([carry, buf]);
      const r = parseCriLog(all, pending);
      carry = all.subarray(r.consumed);
      return r.lines;
    };
    let first = await readMore();
    if (opts.tailLines !== undefined && opts.tailLines >= 0) first = first.slice(Math.max(0, first.length - opts.tailLines));
    if (!(await emit(first)) || !opts.follow) return;
    while (!signal.aborted) {
      const more = await readMore();
      if (more.length) {
        if (!(await emit(more))) return;
        continue;
      }
      if (!(await isRunning())) {
        await emit(await readMore());
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await fh.close();
  }
}
