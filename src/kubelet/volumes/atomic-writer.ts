/**
 * Writes a volume's files the way upstream's AtomicWriter does, so that a container never sees a half
 * updated set: the payload goes into a fresh hidden folder `..<timestamp>`, the symlink `..data` is swapped
 * to it with one rename, and each visible top-level name is a symlink through `..data`. The old folder is
 * removed afterwards. Writing the same payload again changes nothing.
 *
 * Contract: `writePayload(dir, files)` with paths relative to `dir` (no `..`, not starting with `..`),
 * content and mode; resolves to true when it changed anything.
 */
import { lstat, mkdir, readdir, readFile, readlink, rename, rm, stat, symlink, writeFile, chmod } from 'node:fs/promises';
import * as path from 'node:path';

export interface PayloadFile {
  content: Buffer;
  mode: number;
}

const DATA_LINK = '..data';

async function currentPayload(dir: string): Promise<Map<string, PayloadFile> | undefined> {
  let target: string;
  try {
    target = await readlink(path.join(dir, DATA_LINK));
  } catch {
    return undefined;
  }
  const out = new Map<string, PayloadFile>();
  const walk = async (rel: string): Promise<void> => {
    for (const ent of await readdir(path.join(dir, target, rel), { withFileTypes: true })) {
      const r = path.join(rel, ent.name);
      if (ent.isDirectory()) await walk(r);
      else {
        const full = path.join(dir, target, r);
        out.set(r, { content: await readFile(full), mode: (await stat(full)).mode & 0o777 });
      }
    }
  };
  await walk('');
  return out;
}

function samePayload(a: Map<string, PayloadFile>, b: Map<string, PayloadFile>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w || w.mode !== v.mode || !w.content.equals(v.content)) return false;
  }
  return true;
}

export async function writePayload(dir: string, files: Map<string, PayloadFile>): Promise<boolean> {
  for (const p of files.keys()) {
    if (path.isAbsolute(p) || p.split('/').some((s) => s === '..') || p.startsWith('..')) throw new Error(`invalid volume file path "${p}"`);
  }
  await mkdir(dir, { recursive: true });
  const old = await currentPayload(dir);
  if (old && samePayload(old, files)) return false;
  const oldTarget = old ? await readlink(path.join(dir, DATA_LINK)) : undefined;

  const tsDir = `..${new Date().toISOString().replace(/[-:.]/g, '_')}.${process.hrtime.bigint() % 1_000_000n}`;
  await mkdir(path.join(dir, tsDir), { mode: 0o755 });
  for (const [rel, f] of files) {
    const full = path.join(dir, tsDir, rel);
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, f.content);
    await chmod(full, f.mode);
  }
  const tmpLink = path.join(dir, '..data_tmp');
  await rm(tmpLink, { force: true });
  await symlink(tsDir, tmpLink);
  await rename(tmpLink, path.join(dir, DATA_LINK));

  const tops = new Set([...files.keys()].map((p) => p.split('/')[0]!));
  for (const top of tops) {
    const link = path.join(dir, top);
    const st = await lstat(link).catch(() => undefined);
    if (!st) await symlink(path.join(DATA_LINK, top), link);
  }
  for (const ent of await readdir(dir)) {
    if (ent.startsWith('..') || tops.has(ent)) continue;
    await rm(path.join(dir, ent), { force: true, recursive: true });
  }
  if (oldTarget) await rm(path.join(dir, oldTarget), { recursive: true, force: true });
  return true;
}
