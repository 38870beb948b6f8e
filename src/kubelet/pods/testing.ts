/** Helpers for the unit tests of the pod machinery: no API objects, and temporary folders removed at the end. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { PodObjects } from './objects.js';

export const noObjects: PodObjects = {
  configMap: async () => undefined, secret: async () => undefined, services: async () => [],
  persistentVolumeClaim: async () => undefined, persistentVolume: async () => undefined,
};

/** Temporary folders; `removeAll()` (for `after`) deletes them. */
export class TempDirs {
  private readonly dirs: string[] = [];

  async make(prefix: string): Promise<string> {
    const d = await mkdtemp(path.join(tmpdir(), prefix));
    this.dirs.push(d);
    return d;
  }

  async removeAll(): Promise<void> {
    for (const d of this.dirs.splice(0)) await rm(d, { recursive: true, force: true });
  }
}
