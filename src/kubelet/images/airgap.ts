/**
 * Air-gapped images: image tarballs dropped in `<dataDir>/agent/images/` (as `docker save` or an OCI
 * archive writes them; `.tar`, `.tar.gz`/`.tgz`, `.tar.zst`) are imported into containerd's `k8s.io`
 * namespace -- where the CRI sees them -- when the agent starts, as k3s does. A tarball is imported again
 * only when its size or modification time changed (recorded in `.imported.json` in the same folder).
 */
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

export interface AirgapImportOptions {
  /** The folder of tarballs. */
  dir: string;
  /** containerd's socket path. */
  socket: string;
  /** Default `ctr` on PATH (it ships with containerd). */
  ctr?: string;
  log?: (line: string) => void;
}

/** Decompressor command for a tarball name, or null when it is a plain tar; undefined when not an image tarball. */
function decompressorFor(file: string): string[] | null | undefined {
  if (/\.tar$/.test(file)) return null;
  if (/\.(tar\.gz|tgz)$/.test(file)) return ['gzip', '-dc'];
  if (/\.tar\.zst$/.test(file)) return ['zstd', '-dcq'];
  return undefined;
}

function runImport(file: string, decompress: string[] | null, opts: AirgapImportOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const ctr = spawn(
      opts.ctr ?? 'ctr',
      ['--address', opts.socket, '--namespace', 'k8s.io', 'images', 'import', '--digests', '--snapshotter', 'overlayfs', '-'],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let out = '';
    ctr.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    ctr.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    ctr.on('error', reject);
    ctr.stdin.on('error', () => {}); // ctr may fail before reading everything; its exit status says why
    if (decompress) {
      const unzip = spawn(decompress[0]!, [...decompress.slice(1), file], { stdio: ['ignore', 'pipe', 'inherit'] });
      unzip.on('error', reject);
      unzip.stdout.pipe(ctr.stdin);
    } else {
      createReadStream(file).on('error', reject).pipe(ctr.stdin);
    }
    ctr.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`importing ${path.basename(file)} failed: ${out.trim()}`))));
  });
}

/** Imports new or changed tarballs; resolves to the names of the files imported this time. */
export async function importAirgapImages(opts: AirgapImportOptions): Promise<string[]> {
  let entries: string[];
  try {
    entries = (await readdir(opts.dir)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const recordFile = path.join(opts.dir, '.imported.json');
  const record: Record<string, string> = JSON.parse(await readFile(recordFile, 'utf8').catch(() => '{}'));
  const imported: string[] = [];
  for (const name of entries) {
    const decompress = decompressorFor(name);
    if (decompress === undefined) continue;
    const file = path.join(opts.dir, name);
    const st = await stat(file);
    const stamp = `${st.size}:${st.mtimeMs}`;
    if (record[name] === stamp) continue;
    const out = await runImport(file, decompress, opts);
    opts.log?.(`imported ${name}: ${out.trim().split('\n').join(', ')}`);
    record[name] = stamp;
    imported.push(name);
  }
  if (imported.length) await writeFile(recordFile, JSON.stringify(record, null, 2) + '\n');
  return imported;
}
