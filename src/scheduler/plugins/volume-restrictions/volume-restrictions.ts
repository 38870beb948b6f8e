/**
 * VolumeRestrictions: a ReadWriteOncePod claim may be used by one pod only, and the same GCE PD / AWS EBS /
 * RBD / iSCSI disk may not be mounted read-write by two pods on one node.
 */
import type { AnyPlugin, CycleState, EnqueueExtensions, FilterPlugin, Handle, PluginFactory, PreFilterPlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status, type Result } from '../../framework/status.js';
import { ActionType } from '../../framework/events.js';
import type { Pod } from '../../framework/types.js';

export const NAME = 'VolumeRestrictions';
export const ERR_REASON_DISK_CONFLICT = 'node(s) had no available disk';
export const ERR_REASON_RWOP_CONFLICT = 'node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode';

type Volume = NonNullable<NonNullable<Pod['spec']>['volumes']>[number];

/** Whether two volumes are the same exclusive disk (upstream's `isVolumeConflict`). */
export function isVolumeConflict(v: Volume, existing: Pod): boolean {
  for (const e of existing.spec?.volumes ?? []) {
    if (v.gcePersistentDisk && e.gcePersistentDisk && v.gcePersistentDisk.pdName === e.gcePersistentDisk.pdName && !(v.gcePersistentDisk.readOnly && e.gcePersistentDisk.readOnly)) return true;
    if (v.awsElasticBlockStore && e.awsElasticBlockStore && v.awsElasticBlockStore.volumeID === e.awsElasticBlockStore.volumeID) return true;
    if (v.iscsi && e.iscsi && v.iscsi.iqn === e.iscsi.iqn && !(v.iscsi.readOnly && e.iscsi.readOnly)) return true;
    if (v.rbd && e.rbd && v.rbd.image === e.rbd.image && (v.rbd.pool ?? 'rbd') === (e.rbd.pool ?? 'rbd') && v.rbd.monitors.some((m) => e.rbd!.monitors.includes(m)) && !(v.rbd.readOnly && e.rbd.readOnly)) return true;
  }
  return false;
}

function exclusiveVolumes(pod: Pod): Volume[] {
  return (pod.spec?.volumes ?? []).filter((v) => v.gcePersistentDisk || v.awsElasticBlockStore || v.iscsi || v.rbd);
}

const KEY = 'PreFilter' + NAME;

export const factory: PluginFactory = (_args, handle: Handle) => {
  const diskConflict = Status.unschedulable(ERR_REASON_DISK_CONFLICT).withPlugin(NAME);
  return {
    name: NAME,
    preFilter: (state: CycleState, pod: PodInfo): Result => {
      const disks = exclusiveVolumes(pod.pod);
      if (disks.length === 0 && pod.pvcNames.length === 0) return Status.skip();
      for (const claim of pod.pvcNames) {
        const pvc = handle.listers.getPersistentVolumeClaim(pod.namespace, claim);
        if (!pvc || !(pvc.spec?.accessModes ?? []).includes('ReadWriteOncePod')) continue;
        const k = `${pod.namespace}/${claim}`;
        for (const n of handle.snapshot().list()) {
          if ((n.pvcRefCounts.get(k) ?? 0) > 0 && !n.pods.some((p) => p.key === pod.key)) return Status.unresolvable(ERR_REASON_RWOP_CONFLICT);
        }
      }
      if (disks.length === 0) return Status.skip();
      state.write(KEY, disks);
      return null;
    },
    filter: (state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): Result => {
      const disks = state.read<Volume[]>(KEY);
      if (!disks) return null;
      for (const v of disks) for (const p of nodeInfo.pods) if (isVolumeConflict(v, p.pod)) return diskConflict;
      return null;
    },
    eventsToRegister: () => [
      { event: { resource: 'AssignedPod', action: ActionType.Delete } },
      { event: { resource: 'PersistentVolumeClaim', action: ActionType.Add | ActionType.UpdateOther } },
    ],
  } satisfies PreFilterPlugin & FilterPlugin & EnqueueExtensions & AnyPlugin;
};
