/** Where the repository's files are at run time: tests run from dist/, their shell helpers and inputs do not. */
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

/** The repository root, found from this module's place (dist/test/harness or test/harness). */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (path.basename(dir) !== 'test') dir = path.dirname(dir);
  dir = path.dirname(dir);
  return path.basename(dir) === 'dist' ? path.dirname(dir) : dir;
}
