/** `/openapi/v3` (the index of documents) and `/openapi/v3/<group-version path>` (one document). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../api/errors.js';
import { openapiV3DocumentJSON, openapiV3Paths } from '../../api/openapi/index.js';
import { writeJson, writeText } from './io.js';

export function handleOpenApiV3(_req: IncomingMessage, res: ServerResponse, url: URL): void {
  const rest = url.pathname.replace(/^\/openapi\/v3\/?/, '').replace(/\/+$/, '');
  if (rest === '') return writeJson(res, 200, { paths: openapiV3Paths() });
  const doc = openapiV3DocumentJSON(rest);
  if (doc === undefined) throw new ApiError('NotFound', 'the server could not find the requested resource', {});
  writeText(res, 200, doc, 'application/json', url.searchParams.has('hash') ? { 'Cache-Control': 'public, immutable', Expires: new Date(Date.now() + 365 * 86400e3).toUTCString() } : undefined);
}
