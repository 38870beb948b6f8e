/** The recorder's fake, for unit tests of controllers. */
import type { KubeObject } from '../../api/types.js';
import { referenceTo, type EventRecorder, type EventType, type ObjectReference } from './event-recorder.js';

/**
 * A recorder for unit tests (client-go `FakeRecorder`): keeps each event as the string
 * `"<type> <reason> <message>"`, in order.
 */
export class FakeRecorder implements EventRecorder {
  readonly events: string[] = [];
  readonly objects: ObjectReference[] = [];

  event(obj: KubeObject | ObjectReference, type: EventType, reason: string, message: string): void {
    this.events.push(`${type} ${reason} ${message}`);
    this.objects.push(referenceTo(obj));
  }
}
