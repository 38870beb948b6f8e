/** DefaultBinder: binds the pod to the chosen node through the API (`pods/binding`), via the handle. */
import type { AnyPlugin, BindPlugin, CycleState, Handle, PluginFactory } from '../../framework/interface.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status, type Result } from '../../framework/status.js';

export const NAME = 'DefaultBinder';

export const factory: PluginFactory = (_args, handle: Handle) => ({
  name: NAME,
  bind: async (_s: CycleState, pod: PodInfo, nodeName: string): Promise<Result> => {
    try {
      await handle.bind(pod.pod, nodeName);
      return null;
    } catch (err) {
      return Status.error(err);
    }
  },
}) satisfies BindPlugin & AnyPlugin;
