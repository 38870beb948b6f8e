/**
 * Reading request bodies and writing responses: JSON text, Status errors, limits.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errors } from '../../api/errors.js';

/** Upstream's limit on a request body: 3 MiB. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      req.resume();
      reject(errors.tooLarge('the server has received a request that is too large'));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(errors.tooLarge('the server has received a request that is too large'));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => { if (!failed) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)); });
    req.on('error', (e) => { if (!failed) reject(e); });
  });
}

export function writeText(res: ServerResponse, code: number, body: string, contentType = 'application/json', extra?: Record<string, string>): void {
  const headers: Record<string, string | number> = {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-cache, private',
    ...extra,
  };
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(code, headers);
  res.end(body);
}

export function writeJson(res: ServerResponse, code: number, value: unknown, extra?: Record<string, string>): void {
  writeText(res, code, JSON.stringify(value), 'application/json', extra);
}

/** Writes any error as a Status body; errors that are not ApiErrors are 500s. */
export function writeError(res: ServerResponse, err: unknown, log?: (line: string) => void): void {
  let e: ApiError;
  if (err instanceof ApiError) e = err;
  else {
    log?.(`internal error: ${(err as Error)?.stack ?? String(err)}`);
    e = errors.internal((err as Error)?.message ?? String(err));
  }
  const extra: Record<string, string> = {};
  if (e.details?.retryAfterSeconds) extra['Retry-After'] = String(e.details.retryAfterSeconds);
  writeJson(res, e.code, e.toStatus(), extra);
}
