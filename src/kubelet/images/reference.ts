/**
 * Image references as Docker and containerd normalise them: `nginx` → `docker.io/library/nginx:latest`,
 * `user/app:1` → `docker.io/user/app:1`, `registry:5000/app` → `registry:5000/app:latest`; a digest
 * (`@sha256:…`) is kept and then no tag is added.
 */

export interface ImageReference {
  /** e.g. `docker.io`, `registry.k8s.io`, `127.0.0.1:5000` */
  domain: string;
  /** e.g. `library/nginx` */
  path: string;
  /** Empty when the reference has a digest and no tag. */
  tag: string;
  /** `sha256:…`, or empty. */
  digest: string;
}

const DEFAULT_DOMAIN = 'docker.io';

/** Parses and normalises; throws on an invalid reference (uppercase repository, empty name, bad digest). */
export function parseImageReference(ref: string): ImageReference {
  let rest = ref.trim();
  let digest = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/.test(digest)) throw new Error(`invalid image reference "${ref}": bad digest`);
  }
  let tag = '';
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!/^[\w][\w.-]{0,127}$/.test(tag)) throw new Error(`invalid image reference "${ref}": bad tag`);
  }
  let domain = DEFAULT_DOMAIN;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    // As Docker decides: the first part is a registry if it has a dot or a port, or is localhost.
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      domain = first;
      path = rest.slice(slash + 1);
    }
  }
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = `library/${path}`;
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(path)) {
    throw new Error(`invalid image reference "${ref}": repository name must be lowercase alphanumerics separated by . _ - /`);
  }
  if (!tag && !digest) tag = 'latest';
  return { domain, path, tag, digest };
}

/** The fully qualified form, e.g. `docker.io/library/nginx:latest`. */
export function normalizeImageReference(ref: string): string {
  const r = parseImageReference(ref);
  return `${r.domain}/${r.path}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}

/** `repository` (domain/path) of a reference: what repo digests are listed under. */
export function imageRepository(ref: string): string {
  const r = parseImageReference(ref);
  return `${r.domain}/${r.path}`;
}

/** Whether the reference's tag is `latest` (explicit or implied): upstream's pull policy then defaults to Always. */
export function isLatestTag(ref: string): boolean {
  const r = parseImageReference(ref);
  return r.tag === 'latest' && !r.digest;
}
