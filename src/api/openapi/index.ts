/**
 * The OpenAPI v3 documents k8ts serves: `GET /openapi/v3` lists one document per group-version
 * (`openapiV3Paths`), and `GET /openapi/v3/<path>?hash=…` returns it (`openapiV3Document`).
 *
 * Documents are built once from the schema table and cached; each one's hash is the SHA-512 of its
 * JSON, so the URL changes exactly when the document does (clients cache by it).
 */
import { createHash } from 'node:crypto';
import { KINDS, schemaNameOfKind, kindsOf } from '../schema/index.js';
import { buildPaths } from './paths.js';
import { typeSchema, listSchema, listSchemaName, closure, PATCH_SCHEMA, type Schema } from './schemas.js';
import { KUBERNETES_VERSION } from '../../version.js';

interface Built { doc: object; json: string; hash: string }

const cache = new Map<string, Built>();

/** Document path of a group-version: "api/v1" for the core group, "apis/G/V" otherwise. */
export function documentPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

function groupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const k of KINDS) seen.set(documentPath(k.group, k.version), { group: k.group, version: k.version });
  return [...seen.values()];
}

const META_ROOTS = [
  'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
  'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
  'io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent',
];

function build(group: string, version: string): Built {
  const kinds = kindsOf(group, version);
  const roots = new Set<string>(META_ROOTS);
  for (const k of kinds) {
    roots.add(schemaNameOfKind(k.group, k.version, k.kind));
    for (const s of k.otherSubresources ?? []) roots.add(schemaNameOfKind(s.group, s.version, s.kind));
  }
  const schemas: Record<string, Schema> = {};
  for (const t of closure(roots)) schemas[t] = typeSchema(t);
  for (const k of kinds) {
    if (k.createOnly) continue;
    const type = schemaNameOfKind(k.group, k.version, k.kind);
    schemas[listSchemaName(type)] = listSchema(type, k.group, k.version, k.kind);
  }
  schemas[PATCH_SCHEMA] = { description: 'The body of a PATCH request: a JSON Patch, a merge patch, a strategic merge patch or an apply configuration, as its content type says.', type: 'object' };
  const sorted = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const doc = {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: KUBERNETES_VERSION.gitVersion },
    paths: buildPaths(documentPath(group, version), kinds),
    components: { schemas: sorted },
  };
  const json = JSON.stringify(doc);
  return { doc, json, hash: createHash('sha512').update(json).digest('hex').toUpperCase() };
}

function get(path: string): Built | undefined {
  let b = cache.get(path);
  if (!b) {
    const gv = groupVersions().find((g) => documentPath(g.group, g.version) === path);
    if (!gv) return undefined;
    b = build(gv.group, gv.version);
    cache.set(path, b);
  }
  return b;
}

/** The body of `GET /openapi/v3`'s `paths`: one entry per group-version with its hashed URL. */
export function openapiV3Paths(): Record<string, { serverRelativeURL: string }> {
  const out: Record<string, { serverRelativeURL: string }> = {};
  for (const g of groupVersions()) {
    const p = documentPath(g.group, g.version);
    out[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${get(p)!.hash}` };
  }
  return out;
}

/** "api/v1" from "api/v1", "/openapi/v3/api/v1" or "/openapi/v3/api/v1?hash=…". */
function normalise(path: string): string {
  return path.replace(/\?.*$/, '').replace(/^\/+|\/+$/g, '').replace(/^openapi\/v3\//, '');
}

/** The document of a group-version (`path` like "api/v1" or "apis/apps/v1"), or undefined. */
export function openapiV3Document(path: string): object | undefined {
  return get(normalise(path))?.doc;
}

/**
 * The content hash of a document (what `?hash=` carries), or undefined. Upstream answers a request whose
 * hash matches with `Cache-Control: public, immutable` and uses the hash as ETag.
 */
export function openapiV3DocumentHash(path: string): string | undefined {
  return get(normalise(path))?.hash;
}

/** The document as JSON text (what the server should send, already serialised), or undefined. */
export function openapiV3DocumentJSON(path: string): string | undefined {
  return get(normalise(path))?.json;
}
