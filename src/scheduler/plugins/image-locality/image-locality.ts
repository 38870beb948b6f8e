/**
 * ImageLocality: prefers nodes that already hold the pod's images, weighted by image size and by how
 * widely the image is spread (an image on every node does not make one node special).
 */
import type { AnyPlugin, CycleState, Handle, PluginFactory, ScorePlugin } from '../../framework/interface.js';
import { MAX_NODE_SCORE } from '../../framework/interface.js';
import type { ImageStateSummary, NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status } from '../../framework/status.js';

export const NAME = 'ImageLocality';

const MB = 1024 * 1024;
/** Below this sum the score is 0 (upstream's `minThreshold`, 23 MB). */
export const MIN_THRESHOLD = 23 * MB;
/** Per container, above this the score is 100 (upstream's `maxContainerThreshold`, 1000 MB). */
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** Adds `:latest` to an image reference without a tag or digest. */
export function normalizedImageName(name: string): string {
  if (name.lastIndexOf(':') <= name.lastIndexOf('/')) return name + ':latest';
  return name;
}

export function scaledImageScore(state: ImageStateSummary, totalNumNodes: number): number {
  return Math.trunc(state.size * (state.numNodes / totalNumNodes));
}

/** `calculatePriority`: the summed image score mapped linearly from [23 MB, 1000 MB × containers] to [0, 100]. */
export function calculatePriority(sumScores: number, numContainers: number): number {
  const max = MAX_CONTAINER_THRESHOLD * numContainers;
  const s = Math.min(Math.max(sumScores, MIN_THRESHOLD), max);
  return Math.trunc((MAX_NODE_SCORE * (s - MIN_THRESHOLD)) / (max - MIN_THRESHOLD));
}

/** The node's score for the pod's images, with `totalNumNodes` in the cluster. */
export function imageLocalityScore(images: readonly string[], nodeInfo: NodeInfo, totalNumNodes: number): number {
  let sum = 0;
  if (nodeInfo.imageStates.size > 0) {
    for (const img of images) {
      const st = nodeInfo.imageStates.get(img);
      if (st) sum += scaledImageScore(st, totalNumNodes);
    }
  }
  return calculatePriority(sum, images.length);
}

const IMAGES_KEY = 'PreScore' + NAME;

export const factory: PluginFactory = (_args, handle: Handle) => ({
  name: NAME,
  preScore: (state: CycleState, pod: PodInfo) => {
    const spec = pod.pod.spec;
    const images = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c) => normalizedImageName(c.image ?? ''));
    const snap = handle.snapshot();
    // A node's image score never exceeds the images' full sizes; below the threshold every node scores 0.
    let maxSum = 0;
    for (const img of images) maxSum += snap.imageState(img)?.size ?? 0;
    if (maxSum < MIN_THRESHOLD) return Status.skip();
    state.write(IMAGES_KEY, { images, total: snap.list().length });
    return null;
  },
  score: (state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): number => {
    const s = state.read<{ images: string[]; total: number }>(IMAGES_KEY);
    if (!s || s.images.length === 0) return 0;
    return imageLocalityScore(s.images, nodeInfo, s.total);
  },
}) satisfies ScorePlugin & AnyPlugin;
