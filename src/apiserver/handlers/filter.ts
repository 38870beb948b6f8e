/**
 * The object filter of list and watch requests: namespace, label selector and field selector. Field
 * selectors accept only the fields the kind supports (`metadata.name`, `metadata.namespace`, plus the
 * strategy's `getAttrs`), as upstream's field label conversion does.
 */
import { parseFieldSelector } from '../../api/fields/selector.js';
import { parseLabelSelector } from '../../api/labels/selector.js';
import type { KubeObject } from '../../api/types.js';
import type { Strategy } from '../registry/strategy.js';

export type ObjectFilter = (obj: KubeObject) => boolean;

export function objectAttrs(obj: KubeObject, strategy: Strategy): Record<string, string> {
  return {
    'metadata.name': obj.metadata?.name ?? '',
    'metadata.namespace': obj.metadata?.namespace ?? '',
    ...strategy.getAttrs?.(obj),
  };
}

/** Builds the filter; throws BadRequest for a malformed selector or an unsupported field. */
export function buildFilter(query: URLSearchParams, strategy: Strategy): { filter?: ObjectFilter; namesOnly?: string } {
  const ls = query.get('labelSelector');
  const fs = query.get('fieldSelector');
  const labels = ls ? parseLabelSelector(ls) : undefined;
  const fields = fs ? parseFieldSelector(fs) : undefined;
  if (fields) fields.supportOnly(Object.keys(objectAttrs({}, strategy)));
  const useLabels = labels && !labels.empty();
  const useFields = fields && !fields.empty();
  if (!useLabels && !useFields) return {};
  return {
    filter: (obj) => {
      if (useLabels && !labels!.matches(obj.metadata?.labels)) return false;
      if (useFields) {
        const attrs = objectAttrs(obj, strategy);
        if (!fields!.matches((f) => attrs[f])) return false;
      }
      return true;
    },
    namesOnly: fields?.requiresExactMatch('metadata.name'),
  };
}
