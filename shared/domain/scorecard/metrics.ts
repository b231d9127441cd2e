import { at } from './indexing.js';

/**
 * Measures of how well a score ranks defaults, and of how far a score distribution has
 * drifted. Scores are ranked so that a higher score means a default is more likely (pass a
 * probability of default, or the negated scorecard points, whose scale runs the other way);
 * labels are 1 for a default ("bad") and 0 otherwise.
 */

/**
 * Area under the ROC curve as the Mann–Whitney U statistic (Hanley and McNeil, "The meaning
 * and use of the area under a ROC curve", Radiology 1982): the probability that a random
 * default scores higher than a random non-default, a tie counting one half. Computed from
 * mid-ranks, so ties are exact and the cost is one sort.
 */
export function auc(scores: readonly number[], labels: readonly number[]): number {
  const { positives, negatives } = countLabels(scores, labels);
  const order = sortedIndices(scores);
  let rankSumOfPositives = 0;
  let start = 0;
  while (start < order.length) {
    let end = start;
    const value = at(scores, at(order, start));
    while (end + 1 < order.length && at(scores, at(order, end + 1)) === value) end += 1;
    // Ranks start + 1 ... end + 1 share their mean.
    const midRank = (start + end + 2) / 2;
    for (let i = start; i <= end; i += 1) {
      if (at(labels, at(order, i)) === 1) rankSumOfPositives += midRank;
    }
    start = end + 1;
  }
  const u = rankSumOfPositives - (positives * (positives + 1)) / 2;
  return u / (positives * negatives);
}

/** Gini coefficient (accuracy ratio) of a ranking: 2·AUC − 1, from −1 (reversed) through 0 (random) to 1. */
export function gini(areaUnderCurve: number): number {
  return 2 * areaUnderCurve - 1;
}

/**
 * Kolmogorov–Smirnov statistic: the largest gap between the cumulative score distributions
 * of defaults and non-defaults, max over t of |F_bad(t) − F_good(t)|, read only between
 * distinct scores so that tied scores are never split.
 */
export function ks(scores: readonly number[], labels: readonly number[]): number {
  const { positives, negatives } = countLabels(scores, labels);
  const order = sortedIndices(scores);
  let cumulativePositives = 0;
  let cumulativeNegatives = 0;
  let largest = 0;
  for (let i = 0; i < order.length; i += 1) {
    if (at(labels, at(order, i)) === 1) cumulativePositives += 1;
    else cumulativeNegatives += 1;
    const next = order[i + 1];
    if (next !== undefined && at(scores, next) === at(scores, at(order, i))) continue;
    largest = Math.max(largest, Math.abs(cumulativePositives / positives - cumulativeNegatives / negatives));
  }
  return largest;
}

/** The reference distribution of a score, kept with the model so live scores can be compared with it later. */
export interface ScoreBaseline {
  /** Ascending cut points; bin k holds cuts[k−1] ≤ score < cuts[k], the first and last bins are open. */
  cuts: number[];
  /** Share of the reference scores in each bin (cuts.length + 1 of them). */
  shares: number[];
}

/** An empty bin would make ln(a/e) infinite, so a share is never taken below this floor (a common practical choice). */
export const PSI_EMPTY_BIN_SHARE = 1e-4;

/** Ten bins cut at the deciles of the expected distribution (fewer when ties make deciles coincide). */
export function scoreBaseline(expected: readonly number[], binCount = 10): ScoreBaseline {
  const sorted = [...expected].sort((a, b) => a - b);
  const cuts = quantileCuts(sorted, binCount);
  return { cuts, shares: binShares(sorted, cuts) };
}

/**
 * Population stability index, Σ (a_k − e_k)·ln(a_k / e_k) over the baseline's bins, where
 * e_k and a_k are the expected and actual shares. The usual reading (Siddiqi 2006, "System Stability Report"):
 * under 0.1 no significant change, 0.1 to 0.25 some change worth a look, above 0.25 a shift.
 */
export function psiAgainstBaseline(baseline: ScoreBaseline, actual: readonly number[]): number {
  const actualShares = binShares(actual, baseline.cuts);
  return baseline.shares.reduce((sum, expectedShare, k) => {
    const e = Math.max(expectedShare, PSI_EMPTY_BIN_SHARE);
    const a = Math.max(at(actualShares, k), PSI_EMPTY_BIN_SHARE);
    return sum + (a - e) * Math.log(a / e);
  }, 0);
}

/** PSI of `actual` against `expected`, binned at the deciles of `expected`. */
export function psi(expected: readonly number[], actual: readonly number[], binCount = 10): number {
  return psiAgainstBaseline(scoreBaseline(expected, binCount), actual);
}

/**
 * Cut points at the `binCount`-quantiles of ascending `sorted` values: the value at index
 * ⌊k·n / binCount⌋ for k = 1 … binCount − 1, values below a cut falling in the lower bin.
 * When a quantile lands on a value already cut at (or on the minimum), the cut moves to the
 * next distinct value instead, so a heavy tie (the third of firms with no debt at all, the
 * most common count of inquiries) gets a bin of its own rather than swallowing its neighbours.
 */
export function quantileCuts(sorted: readonly number[], binCount: number): number[] {
  const cuts: number[] = [];
  let floor = sorted[0];
  if (floor === undefined) return cuts;
  for (let k = 1; k < binCount; k += 1) {
    let index = Math.floor((k * sorted.length) / binCount);
    while (index < sorted.length && at(sorted, index) <= floor) index += 1;
    if (index >= sorted.length) break;
    floor = at(sorted, index);
    cuts.push(floor);
  }
  return cuts;
}

/** The index of the bin a value falls in: the number of cuts at or below it (a binary search). */
export function binIndex(cuts: readonly number[], value: number): number {
  let low = 0;
  let high = cuts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (at(cuts, middle) <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function binShares(values: readonly number[], cuts: readonly number[]): number[] {
  const counts = new Array<number>(cuts.length + 1).fill(0);
  for (const value of values) {
    const k = binIndex(cuts, value);
    counts[k] = at(counts, k) + 1;
  }
  return counts.map((count) => count / values.length);
}

function countLabels(scores: readonly number[], labels: readonly number[]) {
  if (scores.length !== labels.length) {
    throw new RangeError(`${scores.length} scores but ${labels.length} labels`);
  }
  const positives = labels.filter((label) => label === 1).length;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new RangeError('ranking measures need at least one default and one non-default');
  }
  return { positives, negatives };
}

function sortedIndices(scores: readonly number[]): number[] {
  return scores.map((_, index) => index).sort((a, b) => at(scores, a) - at(scores, b) || a - b);
}
