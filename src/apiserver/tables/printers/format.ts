/** Cell formatting shared by the printers, as upstream's printers format them. */
import { formatLabels, selectorFromLabelSelector } from '../../../api/labels/selector.js';
import type { LabelSelector } from '../../../api/types.js';

/** `labels.FormatLabels`: `a=b,c=d` sorted by key, `<none>` when empty. */
export function labelsCell(m: Record<string, string> | undefined): string {
  const s = formatLabels(m);
  return s === '' ? '<none>' : s;
}

/** A structured selector as its string form (`metav1.LabelSelectorAsSelector(...).String()`). */
export function selectorCell(ls: LabelSelector | undefined): string {
  if (!ls) return '<none>';
  const s = selectorFromLabelSelector(ls).toString();
  return s === '' ? '<none>' : s;
}

export function joinOrNone(values: (string | undefined)[]): string {
  const v = values.filter((x): x is string => Boolean(x));
  return v.length ? v.join(',') : '<none>';
}

/** Container names and images of a pod template: the CONTAINERS and IMAGES wide columns. */
export function containerCells(spec: { containers?: { name: string; image?: string }[] } | undefined): [string, string] {
  const cs = spec?.containers ?? [];
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image ?? '').join(',')];
}
