/** A workload's label selector, or an `InvalidSpecError` (reported as an Event, not retried) when it does not parse. */
import { selectorFromLabelSelector, type Selector } from '../../api/labels/selector.js';
import type { KubeObject, LabelSelector } from '../../api/types.js';
import { InvalidSpecError } from '../../client/controller.js';

export function selectorOrInvalid(owner: KubeObject, ls: LabelSelector | undefined, parse: (ls: LabelSelector | undefined) => Selector = selectorFromLabelSelector): Selector {
  try {
    return parse(ls);
  } catch (err) {
    throw new InvalidSpecError(`invalid selector: ${(err as Error).message}`, owner);
  }
}
