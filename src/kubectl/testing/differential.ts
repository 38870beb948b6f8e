/**
 * Runs one command line with the real kubectl 1.32 binary and with k8ts kubectl (in-process), with the
 * same environment, so tests can compare stdout, stderr and exit code.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { bufferIO } from '../io.js';
import { runKubectl } from '../run.js';

/** The real kubectl for minor 32 (the dispatcher in /usr/bin would need a server to pick it). */
export const REAL_KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
export const haveRealKubectl = existsSync(REAL_KUBECTL);

export interface Outcome {
  stdout: string;
  stderr: string;
  code: number;
}

/** Async, so that a fake server in this process keeps answering while kubectl runs. */
export function runReal(args: string[], env: Record<string, string>, cwd = '/', stdin = ''): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(REAL_KUBECTL, args, { env: { PATH: process.env.PATH ?? '', ...env }, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code: code ?? -1 }));
    child.stdin.end(stdin);
  });
}

export async function runOurs(args: string[], env: Record<string, string>, cwd = '/', stdin = ''): Promise<Outcome> {
  const io = bufferIO({ env: { PATH: process.env.PATH ?? '', ...env }, cwd, stdin: Readable.from([stdin]) });
  const code = await runKubectl(args, io);
  return { stdout: io.stdout, stderr: io.stderr, code };
}
