/**
 * The process entry of kubectl (`bin/kubectl`, and `k8ts kubectl` via src/cli/commands/kubectl.ts):
 * runs one command line and exits with its code.
 */
import { processIO } from './io.js';
import { runKubectl } from './run.js';

process.exitCode = await runKubectl(process.argv.slice(2), processIO());
