/**
 * VolumeManager: makes a pod's volumes exist on the node before its containers start, keeps the
 * object-backed ones (configMap, secret, downwardAPI, projected) up to date, and removes everything when
 * the pod goes. Each volume source is a plugin in {@link volumePlugins} (a registry, by source field).
 *
 * Layout: `<podsDir>/<uid>/volumes/<plugin>/<volume name>` (plugin as upstream: kubernetes.io~empty-dir,
 * …~configmap, …~secret, …~downward-api, …~projected); hostPath and hostPath/local PVs are used in place.
 *
 * Contract:
 * - `setUp(pod, podIP)` resolves to volume name → host path; an unknown source or a missing required
 *   object rejects with {@link VolumeSetupError} (the pod's containers then wait, as upstream).
 * - Calling `setUp` again refreshes the payload volumes (atomic swap) and leaves the others alone; within
 *   `refreshMs` (default 10 s) of the last complete set-up of the same pod it returns that one unchanged
 *   (upstream resyncs volumes about once a minute; the pod workers call this on every pass).
 * - `tearDown(uid)` unmounts the tmpfs emptyDirs and removes the pod's folder; it is idempotent.
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { Pod } from '../../api/types.js';
import { writePayload } from './atomic-writer.js';
import { VolumeSetupError, volumePayload, type PayloadContext, type TokenSource, type Volume } from './payloads.js';
import type { PodObjects } from '../pods/objects.js';

const run = promisify(execFile);

interface PluginContext extends PayloadContext {
  /** The volume's own folder (for plugins that keep files on the node). */
  dir: string;
}

interface VolumePlugin {
  /** Upstream's plugin folder name. */
  dirName: string;
  setUp(ctx: PluginContext, v: Volume): Promise<string>;
}

async function isMountPoint(dir: string): Promise<boolean> {
  const text = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  return text.split('\n').some((l) => l.split(' ')[4] === dir);
}

const payloadPlugin = (dirName: string): VolumePlugin => ({
  dirName,
  async setUp(ctx, v) {
    await writePayload(ctx.dir, await volumePayload(ctx, v));
    return ctx.dir;
  },
});

/** Volume plugins by the pod spec field that selects them. */
export const volumePlugins = new Map<string, VolumePlugin>([
  ['emptyDir', {
    dirName: 'kubernetes.io~empty-dir',
    async setUp(ctx, v) {
      await mkdir(ctx.dir, { recursive: true, mode: 0o777 });
      if (v.emptyDir?.medium === 'Memory' && !(await isMountPoint(ctx.dir))) {
        const size = v.emptyDir.sizeLimit ? [`-o`, `size=${v.emptyDir.sizeLimit}`.replace(/i$/, '')] : [];
        await run('mount', ['-t', 'tmpfs', ...size, 'tmpfs', ctx.dir]);
      }
      return ctx.dir;
    },
  }],
  ['configMap', payloadPlugin('kubernetes.io~configmap')],
  ['secret', payloadPlugin('kubernetes.io~secret')],
  ['downwardAPI', payloadPlugin('kubernetes.io~downward-api')],
  ['projected', payloadPlugin('kubernetes.io~projected')],
  ['hostPath', {
    dirName: 'kubernetes.io~host-path',
    async setUp(_ctx, v) {
      const p = v.hostPath!.path;
      const type = v.hostPath!.type ?? '';
      if (type === 'DirectoryOrCreate') await mkdir(p, { recursive: true, mode: 0o755 });
      else if (type === 'FileOrCreate') {
        await mkdir(path.dirname(p), { recursive: true });
        const { open } = await import('node:fs/promises');
        await (await open(p, 'a')).close();
      }
      return p;
    },
  }],
  ['persistentVolumeClaim', {
    dirName: 'kubernetes.io~pvc',
    async setUp(ctx, v) {
      const ns = ctx.pod.metadata!.namespace ?? 'default';
      const claim = await ctx.objects.persistentVolumeClaim(ns, v.persistentVolumeClaim!.claimName);
      if (!claim) throw new VolumeSetupError(`persistentvolumeclaim "${v.persistentVolumeClaim!.claimName}" not found`);
      const pvName = claim.spec?.volumeName;
      if (!pvName || claim.status?.phase !== 'Bound') throw new VolumeSetupError(`persistentvolumeclaim "${claim.metadata!.name}" is not bound`);
      const pv = await ctx.objects.persistentVolume(pvName);
      const p = pv?.spec?.hostPath?.path ?? pv?.spec?.local?.path;
      if (!p) throw new VolumeSetupError(`persistentvolume "${pvName}" is neither hostPath nor local: not supported on this node`);
      if (pv?.spec?.hostPath) await mkdir(p, { recursive: true });
      return p;
    },
  }],
]);

function pluginFor(v: Volume): [string, VolumePlugin] | undefined {
  for (const [field, plugin] of volumePlugins) if ((v as Record<string, unknown>)[field]) return [field, plugin];
  return undefined;
}

export { VolumeSetupError };

export class VolumeManager {
  private readonly done = new Map<string, { at: number; paths: Map<string, string>; podIP: string }>();

  constructor(private readonly podsDir: string, private readonly objects: PodObjects, private readonly token?: TokenSource, private readonly refreshMs = 10_000) {}

  podDir(uid: string): string {
    return path.join(this.podsDir, uid);
  }

  async setUp(pod: Pod, podIP: string, hostIP: string): Promise<Map<string, string>> {
    const uid = pod.metadata!.uid!;
    const last = this.done.get(uid);
    if (last && last.podIP === podIP && Date.now() - last.at < this.refreshMs) return last.paths;
    const out = new Map<string, string>();
    for (const v of pod.spec?.volumes ?? []) {
      const found = pluginFor(v);
      if (!found) throw new VolumeSetupError(`volume "${v.name}": unsupported volume source`);
      const [, plugin] = found;
      const dir = path.join(this.podDir(uid), 'volumes', plugin.dirName, v.name);
      out.set(v.name, await plugin.setUp({ pod, objects: this.objects, podIP, hostIP, token: this.token, dir }, v));
    }
    this.done.set(uid, { at: Date.now(), paths: out, podIP });
    return out;
  }

  async tearDown(uid: string): Promise<void> {
    this.done.delete(uid);
    const base = path.join(this.podDir(uid), 'volumes');
    for (const plugin of await readdir(base).catch(() => [] as string[])) {
      for (const name of await readdir(path.join(base, plugin)).catch(() => [] as string[])) {
        const dir = path.join(base, plugin, name);
        if (await isMountPoint(dir)) await run('umount', [dir]).catch(() => run('umount', ['-l', dir]));
      }
    }
    await rm(this.podDir(uid), { recursive: true, force: true });
  }
}
