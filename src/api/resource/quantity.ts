/**
 * Resource quantities (upstream `resource.Quantity`): `500m`, `1.5Gi`, `2e3`, `128Mi`, `1k`.
 *
 * A quantity is held exactly as a bigint count of thousandths (milli precision; finer values round up,
 * as `MilliValue()` does) plus the format its text was written in, which decides how it prints:
 * - `BinarySI` (Ki Mi Gi Ti Pi Ei): the largest power of 1024 that divides it (`1536Mi`), else decimal;
 * - `DecimalSI` (n u m k M G T P E, or none): the largest power of 1000 giving an integer (`1500m`, `3k`);
 * - `DecimalExponent` (`1e3`): as DecimalSI but written `e<exp>`.
 *
 * Hot paths (the scheduler, the kubelet) use `parseQuantity` / `milliValue` / `value`: plain numbers,
 * memoised per string. Quota arithmetic uses `Quantity` values (`parse`, `add`, `format`).
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value in thousandths, rounded up. */
  milli: bigint;
  format: QuantityFormat;
}

const DECIMAL_EXP: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_EXP: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const QUANTITY_RE = /^([+-]?)(\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/;

/** Upstream's error text for a malformed quantity. */
export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

export class QuantityError extends Error {}

const ceilDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? (a + b - 1n) / b : a / b);

/** The quantity written as `text`, or undefined when it is not one. */
export function tryParse(text: string): Quantity | undefined {
  const m = QUANTITY_RE.exec(text);
  if (!m) return undefined;
  const [, sign, num, exp, suffix = ''] = m;
  const dot = num!.indexOf('.');
  const digits = BigInt((dot < 0 ? num! : num!.slice(0, dot) + num!.slice(dot + 1)) || '0');
  const scale = dot < 0 ? 0 : num!.length - dot - 1;
  let numer = digits;
  let denom = 10n ** BigInt(scale);
  let format: QuantityFormat = 'DecimalSI';
  let e10 = 3; // thousandths
  if (exp !== undefined) {
    format = 'DecimalExponent';
    e10 += Number(exp);
  } else if (suffix in BINARY_EXP) {
    format = 'BinarySI';
    numer *= 1n << BigInt(BINARY_EXP[suffix]!);
  } else {
    e10 += DECIMAL_EXP[suffix]!;
  }
  if (e10 >= 0) numer *= 10n ** BigInt(e10);
  else denom *= 10n ** BigInt(-e10);
  const milli = ceilDiv(sign === '-' ? -numer : numer, denom);
  return { milli, format };
}

/** The quantity written as `text`; throws a `QuantityError` with upstream's message when malformed. */
export function parse(text: string): Quantity {
  const q = tryParse(text);
  if (!q) throw new QuantityError(QUANTITY_FORMAT_ERROR);
  return q;
}

/** A quantity from a field value that may be absent (zero) or a plain JSON number. */
export function fromField(v: string | number | undefined | null): Quantity {
  if (v === undefined || v === null || v === '') return { milli: 0n, format: 'DecimalSI' };
  if (typeof v === 'number') return { milli: BigInt(Math.ceil(v * 1000 - 1e-9)), format: 'DecimalSI' };
  return parse(v);
}

/** `a + b`; the sum keeps `a`'s format unless `a` is zero (upstream's `Quantity.Add`). */
export function add(a: Quantity, b: Quantity): Quantity {
  return { milli: a.milli + b.milli, format: a.milli === 0n ? b.format : a.format };
}

export function sub(a: Quantity, b: Quantity): Quantity {
  return { milli: a.milli - b.milli, format: a.milli === 0n ? b.format : a.format };
}

export function cmp(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return a.milli < b.milli ? -1 : a.milli > b.milli ? 1 : 0;
}

export const zero = (format: QuantityFormat = 'DecimalSI'): Quantity => ({ milli: 0n, format });

const DECIMAL_SUFFIX: [number, string][] = [[18, 'E'], [15, 'P'], [12, 'T'], [9, 'G'], [6, 'M'], [3, 'k'], [0, ''], [-3, 'm']];
const BINARY_SUFFIX: [bigint, string][] = [[60n, 'Ei'], [50n, 'Pi'], [40n, 'Ti'], [30n, 'Gi'], [20n, 'Mi'], [10n, 'Ki']];

/** The canonical text of a quantity, as upstream's `Quantity.String()` prints it. */
export function format(q: Quantity): string {
  const { milli } = q;
  if (milli === 0n) return '0';
  const abs = milli < 0n ? -milli : milli;
  const sign = milli < 0n ? '-' : '';
  if (q.format === 'BinarySI' && abs % 1000n === 0n && abs / 1000n >= 1024n) {
    const v = abs / 1000n;
    for (const [shift, s] of BINARY_SUFFIX) {
      if (v % (1n << shift) === 0n) return `${sign}${v >> shift}${s}`;
    }
    return `${sign}${v}`;
  }
  for (const [e, s] of DECIMAL_SUFFIX) {
    const unit = 10n ** BigInt(e + 3);
    if (abs % unit === 0n) {
      const mantissa = `${sign}${abs / unit}`;
      if (q.format === 'DecimalExponent') return e === 0 ? mantissa : `${mantissa}e${e}`;
      return mantissa + s;
    }
  }
  return `${sign}${abs}m`; // unreachable: every bigint is a multiple of 10^0
}

/** The canonical form of a quantity's text (`"1.5"` → `"1500m"`, `"1024Mi"` → `"1Gi"`); throws when malformed. */
export function canonical(text: string): string {
  return format(parse(text));
}

/** Thousandths as a number (`"250m"` → 250); absent → 0; throws when malformed. */
export function parseMilli(v: string | number | undefined | null): number {
  return Number(fromField(v).milli);
}

/** Formats thousandths (`formatMilli(1500, 'DecimalSI')` → `"1500m"`). */
export function formatMilli(milli: number | bigint, fmt: QuantityFormat = 'DecimalSI'): string {
  return format({ milli: BigInt(milli), format: fmt });
}

// ---- the fast path: plain numbers, memoised per string ----

const cache = new Map<string, number>();
const CACHE_MAX = 10_000;

/** The quantity's value as a float (`1.5Gi` → 1610612736); absent → 0; NaN when malformed. Memoised. */
export function parseQuantity(q: string | number | undefined | null): number {
  if (q === undefined || q === null) return 0;
  if (typeof q === 'number') return q;
  const hit = cache.get(q);
  if (hit !== undefined) return hit;
  const p = tryParse(q.trim());
  const v = p ? Number(p.milli) / 1000 : NaN;
  if (cache.size < CACHE_MAX) cache.set(q, v);
  return v;
}

/** `Quantity.MilliValue()`: thousandths, rounded up; 0 when absent or malformed. */
export function milliValue(q: string | number | undefined | null): number {
  const v = parseQuantity(q);
  if (!Number.isFinite(v)) return 0;
  return Math.ceil(Math.round(v * 1e9) / 1e6);
}

/** `Quantity.Value()`: whole units, rounded up; 0 when absent or malformed. */
export function value(q: string | number | undefined | null): number {
  const v = parseQuantity(q);
  if (!Number.isFinite(v)) return 0;
  return Math.ceil(Math.round(v * 1e6) / 1e6);
}
