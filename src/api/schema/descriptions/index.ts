/**
 * Field and type descriptions, written by the k8ts authors, for `kubectl explain`.
 *
 * Tables keyed by short type name cover core/v1, apps/v1, batch/v1 and meta/v1 (their short names do not
 * clash within those groups); the smaller groups are keyed by full type name. Fields without an entry
 * get a description derived from their name and type (`fallbackDescription`).
 */
import { META_DESCRIPTIONS } from './meta.js';
import { POD_DESCRIPTIONS } from './core-pod.js';
import { CORE_DESCRIPTIONS } from './core-other.js';
import { WORKLOAD_DESCRIPTIONS } from './workloads.js';
import { OTHER_DESCRIPTIONS, OTHER_MORE_DESCRIPTIONS } from './other.js';
import { CORE_MORE_DESCRIPTIONS } from './core-scheduling.js';
import { COMMON_FIELDS, VOLUME_PLUGINS } from './common.js';

const SHORT_NAMED: Record<string, Record<string, Record<string, string>>> = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.': META_DESCRIPTIONS,
  'io.k8s.api.core.v1.': { ...POD_DESCRIPTIONS, ...CORE_DESCRIPTIONS, ...CORE_MORE_DESCRIPTIONS },
  'io.k8s.api.apps.v1.': WORKLOAD_DESCRIPTIONS,
  'io.k8s.api.batch.v1.': WORKLOAD_DESCRIPTIONS,
};

/** Types described by another type's table (same fields, same meaning). */
const ALIASES: Record<string, string> = {
  'io.k8s.api.core.v1.EphemeralContainerCommon': 'io.k8s.api.core.v1.Container',
  'io.k8s.api.core.v1.ProbeHandler': 'io.k8s.api.core.v1.LifecycleHandler',
  'io.k8s.api.events.v1.EventSeries': 'io.k8s.api.core.v1.EventSeries',
};

function ownTable(type: string): Record<string, string> | undefined {
  if (OTHER_DESCRIPTIONS[type] || OTHER_MORE_DESCRIPTIONS[type]) return { ...OTHER_MORE_DESCRIPTIONS[type], ...OTHER_DESCRIPTIONS[type] };
  const dot = type.lastIndexOf('.');
  return SHORT_NAMED[type.slice(0, dot + 1)]?.[type.slice(dot + 1)];
}

function table(type: string): Record<string, string> | undefined {
  return ownTable(type) ?? (ALIASES[type] ? ownTable(ALIASES[type]) : undefined)
    ?? (type.endsWith('PersistentVolumeSource') ? ownTable(type.replace(/PersistentVolumeSource$/, 'VolumeSource')) : undefined);
}

const isVolumeSource = (type: string) => /\.(Persistent)?VolumeSource$/.test(type);

/** Words of a camelCase name: "terminationGracePeriodSeconds" → "termination grace period seconds". */
function words(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').toLowerCase();
}

function typeWord(type: string): string {
  return type.slice(type.lastIndexOf('.') + 1);
}

/** A plain description of a type with no written one, from its name. */
function typeFallback(type: string): string {
  const name = typeWord(type);
  const volume = /^(.*?)(Persistent)?VolumeSource$/.exec(name);
  if (volume) return `Settings of a volume of the ${words(volume[1])} kind; see the volume's field for what it is.`;
  const condition = /^(.*)Condition$/.exec(name);
  if (condition) return `One condition of a ${condition[1]}: a kind, a status (True, False or Unknown) and why.`;
  const w = words(name);
  return `${w[0].toUpperCase()}${w.slice(1)}.`;
}

/** A plain description made from a field's name, for fields with no written one. */
export function fallbackDescription(owner: string, field: string): string {
  const w = words(field);
  return `${w[0].toUpperCase()}${w.slice(1)} of this ${words(typeWord(owner))}.`;
}

/** The description of a type, or of one of its fields. */
export function describe(type: string, field?: string): string | undefined {
  const t = table(type);
  if (field === undefined) return t?.[''] ?? typeFallback(type);
  return t?.[field]
    ?? (isVolumeSource(type) ? VOLUME_PLUGINS[field] : undefined)
    ?? (field === 'apiVersion' ? 'API version of this object.' : field === 'kind' ? 'Kind of this object.' : field === 'metadata' ? 'Standard object metadata.' : undefined)
    ?? (field === 'type' && type.endsWith('Condition') ? 'Kind of condition.' : undefined)
    ?? COMMON_FIELDS[field];
}
