/**
 * Resource quantities (`resource.Quantity` strings such as `500m`, `1.5Gi`, `2e3`) parsed to plain numbers,
 * as the scheduler needs them: CPU in millicores (rounded up, as `MilliValue()`), everything else in whole
 * units (rounded up, as `Value()`). Numbers, not bigints: every realistic capacity fits in 2^53.
 */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const QUANTITY_RE = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/;

const cache = new Map<string, number>();

/** The quantity's value as a float (`1.5Gi` → 1610612736); NaN when the text is not a quantity. */
export function parseQuantity(q: string | number | undefined | null): number {
  if (q === undefined || q === null) return 0;
  if (typeof q === 'number') return q;
  const hit = cache.get(q);
  if (hit !== undefined) return hit;
  const m = QUANTITY_RE.exec(q.trim());
  let v = NaN;
  if (m) {
    const base = Number(m[1]);
    if (m[2]) v = base * 10 ** Number(m[2].slice(1));
    else {
      const suffix = m[3] ?? '';
      v = base * (BINARY[suffix] ?? DECIMAL[suffix]!);
    }
  }
  if (cache.size < 10_000) cache.set(q, v);
  return v;
}

/** `Quantity.MilliValue()`: thousandths, rounded up. */
export function milliValue(q: string | number | undefined | null): number {
  const v = parseQuantity(q);
  if (!Number.isFinite(v)) return 0;
  return Math.ceil(Math.round(v * 1e9) / 1e6);
}

/** `Quantity.Value()`: whole units, rounded up. */
export function value(q: string | number | undefined | null): number {
  const v = parseQuantity(q);
  if (!Number.isFinite(v)) return 0;
  return Math.ceil(Math.round(v * 1e6) / 1e6);
}
