/** Score normalization shared by several plugins (upstream's `helper.DefaultNormalizeScore`). */

/**
 * Scales `scores` so the largest becomes `maxPriority` (integer arithmetic, as upstream); with `reverse`,
 * flips them (`maxPriority - score`). When every score is 0, all become `maxPriority` if reversed.
 */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: number[]): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max === 0) {
    if (reverse) scores.fill(maxPriority);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    let s = Math.trunc((maxPriority * scores[i]!) / max);
    if (reverse) s = maxPriority - s;
    scores[i] = s;
  }
}
