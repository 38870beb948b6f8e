/**
 * Events: stored as core/v1 Events; events.k8s.io/v1 renames the fields (regarding, note,
 * reportingController, deprecated* for the core-only ones).
 */
import type { KubeObject } from '../../../api/types.js';
import { registerConverter } from '../conversion.js';

const RENAMES: [core: string, events: string][] = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['reportingComponent', 'reportingController'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
];

function rename(obj: KubeObject, from: 0 | 1): KubeObject {
  const out: KubeObject = { ...obj };
  for (const pair of RENAMES) {
    const a = pair[from];
    const b = pair[1 - from]!;
    if (a in out) {
      out[b] = out[a];
      delete out[a];
    }
  }
  return out;
}

/** An events.k8s.io/v1 Event in the core/v1 shape (a copy). */
export const eventToCore = (obj: KubeObject): KubeObject => rename(obj, 1);

registerConverter('events', {
  out: (obj) => rename(obj, 0),
  in: (obj) => rename(obj, 1),
});
