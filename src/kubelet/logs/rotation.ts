/**
 * Container log rotation, as upstream's ContainerLogManager (containerLogMaxSize 10Mi,
 * containerLogMaxFiles 5): every `periodMs` the log file of each running container is checked; one larger
 * than `maxBytes` is renamed to `<log>.<UTC timestamp>`, the runtime is told to reopen its log
 * (ReopenContainerLog), and rotated files beyond `maxFiles - 1` are deleted, oldest first. Readers of
 * the current log (`kubectl logs`) see a fresh file; `--previous` is about the previous container, not
 * rotated files, as upstream.
 */
import { readdir, rename, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { RuntimeService } from '../cri/service.js';
import { MANAGED_LABEL } from '../pods/labels.js';

export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_LOG_MAX_FILES = 5;

export interface RotationOptions {
  maxBytes?: number;
  maxFiles?: number;
  log?: (line: string) => void;
  now?: () => Date;
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\..*$/, '');
}

/** One rotation pass over every running container of this kubelet; resolves to the files rotated. */
export async function rotateLogs(runtime: RuntimeService, o: RotationOptions = {}): Promise<string[]> {
  const maxBytes = o.maxBytes ?? DEFAULT_LOG_MAX_BYTES;
  const maxFiles = o.maxFiles ?? DEFAULT_LOG_MAX_FILES;
  const rotated: string[] = [];
  const running = await runtime.listContainers({ state: { state: 'CONTAINER_RUNNING' }, labelSelector: { [MANAGED_LABEL]: 'true' } });
  for (const c of running) {
    try {
      const file = (await runtime.containerStatus(c.id)).status.logPath;
      if (!file) continue;
      const st = await stat(file).catch(() => undefined);
      if (!st || st.size <= maxBytes) continue;
      const target = `${file}.${stamp(o.now?.() ?? new Date())}`;
      await rename(file, target);
      await runtime.reopenContainerLog(c.id);
      rotated.push(target);
      const dir = path.dirname(file);
      const base = path.basename(file);
      const old = (await readdir(dir)).filter((n) => n.startsWith(`${base}.`)).sort();
      for (const n of old.slice(0, Math.max(0, old.length - (maxFiles - 1)))) await rm(path.join(dir, n), { force: true });
    } catch (err) {
      o.log?.(`log rotation of container ${c.id}: ${(err as Error).message}`);
    }
  }
  return rotated;
}
