/** Indexes on the shared pod informer that several controllers use; each added once per informer. */
import type { KubeObject, Pod } from '../../api/types.js';
import type { SharedIndexInformer } from '../../client/cache/shared-informer.js';

export const POD_NODE_INDEX = 'spec.nodeName';

/** Pods by `spec.nodeName` (unbound pods are not indexed). Safe to call from several controllers. */
export function ensurePodNodeIndex(pods: SharedIndexInformer<Pod & KubeObject>): void {
  try {
    pods.addIndexers({ [POD_NODE_INDEX]: (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []) });
  } catch (err) {
    if (!/indexer conflict/.test((err as Error).message)) throw err;
  }
}

export function podsOnNode(pods: SharedIndexInformer<Pod & KubeObject>, node: string): (Pod & KubeObject)[] {
  return pods.getIndexer().byIndex(POD_NODE_INDEX, node);
}
