/**
 * Resource quantities (`500m`, `1.5Gi`, `2e3`) as the quota controller needs them: parsed to
 * thousandths (so CPU millicores add up exactly) and written back in a canonical form — millicores as
 * `250m` or whole cores, byte counts with the largest binary suffix that divides them.
 */
const SUFFIX: Record<string, number> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** Thousandths of the quantity's value; throws on a malformed quantity. */
export function parseMilli(q: string | number | undefined): number {
  if (q === undefined || q === '') return 0;
  if (typeof q === 'number') return Math.round(q * 1000);
  const m = /^([+-]?[0-9.]+)(?:([eE][+-]?\d+)|([a-zA-Z]*))$/.exec(q.trim());
  if (!m || !(m[3] === undefined || m[3] in SUFFIX)) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': ${q}`);
  const base = Number(m[1]);
  const mult = m[2] ? 10 ** Number(m[2].slice(1)) : SUFFIX[m[3] ?? '']!;
  return Math.ceil(base * mult * 1000 - 1e-9);
}

export function formatMilli(milli: number, binary: boolean): string {
  if (milli % 1000 !== 0) return `${milli}m`;
  const v = milli / 1000;
  if (binary && v !== 0) {
    for (const s of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) if (v % SUFFIX[s]! === 0) return `${v / SUFFIX[s]!}${s}`;
  }
  return String(v);
}
