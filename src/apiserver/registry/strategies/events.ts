/** Events: the field selectors `kubectl describe` and event tooling use (involvedObject.*, reason, type, source). */
import type { Event } from '../../../api/types.js';
import { registerStrategy } from '../strategy.js';

registerStrategy('events', {
  getAttrs(o) {
    const e = o as Event;
    const io = e.involvedObject ?? {};
    return {
      'involvedObject.kind': io.kind ?? '',
      'involvedObject.namespace': io.namespace ?? '',
      'involvedObject.name': io.name ?? '',
      'involvedObject.uid': io.uid ?? '',
      'involvedObject.apiVersion': io.apiVersion ?? '',
      'involvedObject.resourceVersion': io.resourceVersion ?? '',
      'involvedObject.fieldPath': io.fieldPath ?? '',
      reason: e.reason ?? '',
      reportingComponent: e.reportingComponent ?? '',
      source: e.source?.component || e.reportingComponent || '',
      type: e.type ?? '',
    };
  },
});
