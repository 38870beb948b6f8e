/**
 * Makes a container's image present per its imagePullPolicy, as upstream's image manager:
 * - `Never`: absent → `ErrImageNeverPull`;
 * - `IfNotPresent`: pulled only when absent; `Always`: pulled every time a container is created (a pull of
 *   a present image is cheap: containerd only checks the manifest). Policy absent: Always for `:latest`
 *   (or no tag), IfNotPresent otherwise (the API server defaults it; this covers objects that skipped it).
 * - Credentials: the pod's imagePullSecrets (kubernetes.io/dockerconfigjson or dockercfg) for the image's
 *   registry, else the node's registries.yaml `configs`.
 * - A failed pull is `ErrImagePull` with the runtime's message; while the image's back-off (10 s doubling
 *   to 5 min) runs, further attempts fail at once with `ImagePullBackOff`.
 * - Concurrent pulls of one image share one CRI call.
 * An invalid reference is `InvalidImageName`.
 */
import type { Container, Pod } from '../../api/types.js';
import type { ImageService } from '../cri/service.js';
import type { AuthConfig } from '../cri/types.js';
import { credentialsFor, type RegistriesConfig } from '../images/registries.js';
import { isLatestTag, normalizeImageReference, parseImageReference } from '../images/reference.js';
import { Backoff } from './backoff.js';
import type { PodObjects } from './objects.js';

export type PullFailureReason = 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull' | 'InvalidImageName';

export class ImagePullError extends Error {
  constructor(readonly reason: PullFailureReason, message: string) {
    super(message);
  }
}

export interface PullResult {
  /** The image ID (sha256:…). */
  imageRef: string;
  /** Whether it was pulled now (for the Pulling/Pulled events). */
  pulled: boolean;
  ms: number;
}

export class ImagePuller {
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly lastFailure = new Map<string, number>();
  readonly backoff = new Backoff();

  constructor(private readonly images: ImageService, private readonly objects: PodObjects, private readonly registries: RegistriesConfig = {}) {}

  private async pullSecretAuth(pod: Pod, image: string): Promise<AuthConfig | undefined> {
    const { domain } = parseImageReference(image);
    const ns = pod.metadata!.namespace ?? 'default';
    for (const ref of pod.spec?.imagePullSecrets ?? []) {
      if (!ref.name) continue;
      const s = await this.objects.secret(ns, ref.name);
      if (!s?.data) continue;
      const raw = s.data['.dockerconfigjson'] ?? s.data['.dockercfg'];
      if (!raw) continue;
      let doc: Record<string, unknown>;
      try {
        doc = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
      } catch {
        continue;
      }
      const auths = (s.data['.dockerconfigjson'] ? doc.auths : doc) as Record<string, { username?: string; password?: string; auth?: string }> | undefined;
      for (const [server, a] of Object.entries(auths ?? {})) {
        const host = server.replace(/^https?:\/\//, '').split('/')[0]!;
        const matches = host === domain || (domain === 'docker.io' && /(^|\.)docker\.io$/.test(host));
        if (!matches) continue;
        let { username = '', password = '' } = a;
        if (a.auth && !username) [username = '', password = ''] = Buffer.from(a.auth, 'base64').toString('utf8').split(/:(.*)/s);
        return { username, password, serverAddress: domain };
      }
    }
    return undefined;
  }

  async ensure(pod: Pod, c: Container): Promise<PullResult> {
    const started = Date.now();
    let image: string;
    try {
      image = normalizeImageReference(c.image ?? '');
    } catch (err) {
      throw new ImagePullError('InvalidImageName', `Failed to apply default image tag "${c.image}": ${(err as Error).message}`);
    }
    const policy = c.imagePullPolicy ?? (isLatestTag(image) ? 'Always' : 'IfNotPresent');
    if (policy !== 'Always') {
      const present = await this.images.imageStatus({ image });
      if (present) return { imageRef: present.id, pulled: false, ms: 0 };
      if (policy === 'Never') {
        throw new ImagePullError('ErrImageNeverPull', `Container image "${c.image}" is not present with pull policy of Never`);
      }
    }
    const key = `image/${image}`;
    const failedAt = this.lastFailure.get(key);
    if (failedAt !== undefined && this.backoff.inBackoff(key, failedAt)) {
      throw new ImagePullError('ImagePullBackOff', `Back-off pulling image "${c.image}"`);
    }
    let p = this.inflight.get(image);
    if (!p) {
      p = (async () => {
        const auth = (await this.pullSecretAuth(pod, image)) ?? credentialsFor(this.registries, image);
        return this.images.pullImage({ image }, auth);
      })();
      this.inflight.set(image, p);
      p.finally(() => this.inflight.delete(image)).catch(() => {});
    }
    try {
      const ref = await p;
      this.backoff.reset(key);
      this.lastFailure.delete(key);
      return { imageRef: ref, pulled: true, ms: Date.now() - started };
    } catch (err) {
      this.backoff.next(key);
      this.lastFailure.set(key, Date.now());
      throw new ImagePullError('ErrImagePull', `failed to pull and unpack image "${image}": ${(err as Error).message}`);
    }
  }

}
