/** Checks shared by the workload controllers' strategies: a selector that selects the template's labels. */
import { selectorFromLabelSelector } from '../../../api/labels/selector.js';
import type { LabelSelector, PodTemplateSpec } from '../../../api/types.js';
import { type FieldError, fieldErrors } from '../../../api/validation/field-error.js';
import { defaultPodSpec, validatePodSpec } from './pods.js';

/** Go's `%#v` of a label map, as upstream's message prints it. */
function goMap(m: Record<string, string> | undefined): string {
  const entries = Object.keys(m ?? {}).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(m![k])}`);
  return `map[string]string{${entries.join(', ')}}`;
}

export function validateSelectorAndTemplate(selector: LabelSelector | undefined, template: PodTemplateSpec | undefined, path = 'spec'): FieldError[] {
  const errs: FieldError[] = [];
  if (!selector) errs.push(fieldErrors.required(`${path}.selector`));
  else if (!selector.matchLabels && !selector.matchExpressions?.length) {
    errs.push(fieldErrors.invalid(`${path}.selector`, 'null', 'empty selector is invalid for deployment'));
  }
  if (!template) {
    errs.push(fieldErrors.required(`${path}.template`));
    return errs;
  }
  if (selector && (selector.matchLabels || selector.matchExpressions?.length) && !selectorFromLabelSelector(selector).matches(template.metadata?.labels ?? {})) {
    errs.push(fieldErrors.invalid(`${path}.template.metadata.labels`, goMap(template.metadata?.labels), '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodSpec(template.spec, `${path}.template.spec`));
  return errs;
}

export function defaultTemplate(t: PodTemplateSpec | undefined): void {
  if (t) defaultPodSpec(t.spec);
}

export function validateReplicas(replicas: unknown, path = 'spec.replicas'): FieldError[] {
  if (replicas === undefined) return [];
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    return [fieldErrors.invalid(path, replicas, 'must be greater than or equal to 0')];
  }
  return [];
}
