import { ScorecardInputError } from './errors.js';
import { at } from './indexing.js';
import { binIndex, quantileCuts } from './metrics.js';

/**
 * Coarse classing of one characteristic into bins with their weight of evidence (WoE), as in
 * Siddiqi, "Credit Risk Scorecards" (Wiley, 2006), "Initial Characteristic Analysis", and Thomas,
 * Edelman and Crook, "Credit Scoring and Its Applications" (SIAM, 2002).
 *
 * Labels are 1 for a default ("bad") and 0 otherwise ("good").
 *
 * WoE of bin i = ln(%good_i / %bad_i), with Laplace (add-α) smoothing so that a bin with no
 * bads or no goods has a finite WoE:
 *   %good_i = (g_i + α) / (G + k·α),   %bad_i = (b_i + α) / (B + k·α),
 * where g_i and b_i are the bin's goods and bads, G and B the totals, and k the number of bins
 * (the missing bin counts when it holds rows). α = 0.5 by default (the Jeffreys-style half
 * count). A positive WoE means lower risk than the average.
 *
 * Information value IV = Σ_i (%good_i − %bad_i)·WoE_i over the same smoothed shares. Siddiqi's
 * reading: under 0.02 unpredictive, 0.02–0.1 weak, 0.1–0.3 medium, above 0.3 strong.
 */
export type FeatureType = 'numeric' | 'categorical';
export type FeatureValue = number | string | null;

/** A bin's definition: [lower, upper) for numbers (open where absent), a set of categories otherwise. */
export interface BinBounds {
  lower?: number;
  upper?: number;
  categories?: string[];
}

export interface BinStatistics extends BinBounds {
  count: number;
  bads: number;
  woe: number;
  /** bads / count; null for a bin with no training rows. */
  badRate: number | null;
}

export interface FeatureBinning {
  feature: string;
  type: FeatureType;
  bins: BinStatistics[];
  /**
   * Rows with no value (or, for a categorical feature, a category not seen in training). Its
   * count and default rate are its own; its WoE may be borrowed (see `missingWoe`).
   */
  missingBin: BinStatistics;
  informationValue: number;
}

export interface BinningOptions {
  /** Quantile bins to start from before merging. */
  initialBins?: number;
  /** Smallest share of all rows a bin may hold; smaller bins are merged (categories go to an "other" bin). */
  minBinShare?: number;
  /** Merge adjacent numeric bins until WoE is monotonic. */
  monotonic?: boolean;
  /** α of the Laplace smoothing. */
  smoothing?: number;
}

/**
 * 15 initial bins of 6.7% each sit clearly above the 5% floor, so the floor merges only the
 * bins that ties or missing values made small; with 20 bins of exactly 5% the floor would
 * merge them pairwise at random. Both are Siddiqi's usual ranges (10–20 bins, 5% per bin).
 */
export const BINNING_DEFAULTS = {
  initialBins: 15,
  minBinShare: 0.05,
  monotonic: true,
  smoothing: 0.5,
} as const satisfies Required<BinningOptions>;

interface Tally {
  bounds: BinBounds;
  count: number;
  bads: number;
}

export function binFeature(
  feature: string,
  type: FeatureType,
  values: readonly FeatureValue[],
  labels: readonly number[],
  options: BinningOptions = {},
): FeatureBinning {
  const settings = { ...BINNING_DEFAULTS, ...options };
  const minCount = settings.minBinShare * values.length;
  const present: number[] = [];
  const missing: Tally = { bounds: {}, count: 0, bads: 0 };
  values.forEach((value, row) => {
    if (isMissing(value)) {
      missing.count += 1;
      missing.bads += at(labels, row);
    } else present.push(row);
  });
  const tallies =
    type === 'numeric'
      ? numericTallies(present, values, labels, settings.initialBins, minCount, settings)
      : categoricalTallies(present, values, labels, minCount);
  return withWoe(feature, type, tallies, missing, settings.smoothing, minCount);
}

/**
 * Quantile bins, then the smallest bin merged into the neighbour with the closer bad rate
 * until every bin holds `minCount` rows, then pool-adjacent-violators merging (Ayer et al.,
 * "An empirical distribution function for sampling with incomplete information", 1955) until
 * the smoothed bad odds rise or fall strictly from bin to bin. Both directions are tried and
 * the one keeping the higher IV wins, so the data, not a guess, sets the trend. Monotonic WoE
 * is the usual requirement for a scorecard a credit officer can defend (Siddiqi 2006):
 * a zig-zag of points over a ratio is usually noise.
 */
function numericTallies(
  present: readonly number[],
  values: readonly FeatureValue[],
  labels: readonly number[],
  initialBins: number,
  minCount: number,
  settings: Required<BinningOptions>,
): Tally[] {
  const sorted = present.map((row) => numberAt(values, row)).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const cuts = quantileCuts(sorted, initialBins);
  let tallies: Tally[] = [];
  for (let k = 0; k <= cuts.length; k += 1) {
    tallies.push({ bounds: interval(cuts[k - 1], cuts[k]), count: 0, bads: 0 });
  }
  for (const row of present) {
    const tally = at(tallies, binIndex(cuts, numberAt(values, row)));
    tally.count += 1;
    tally.bads += at(labels, row);
  }
  tallies = mergeSmallBins(tallies, minCount);
  if (!settings.monotonic) return tallies;
  const rising = poolAdjacentViolators(tallies, 'rising', settings.smoothing);
  const falling = poolAdjacentViolators(tallies, 'falling', settings.smoothing);
  const total = totals([...tallies]);
  return informationValue(rising, total, settings.smoothing) >=
    informationValue(falling, total, settings.smoothing)
    ? rising
    : falling;
}

function mergeSmallBins(initial: readonly Tally[], minCount: number): Tally[] {
  const tallies = [...initial];
  while (tallies.length > 1) {
    let smallest = 0;
    tallies.forEach((tally, k) => {
      if (tally.count < at(tallies, smallest).count) smallest = k;
    });
    const small = at(tallies, smallest);
    if (small.count >= minCount) break;
    const left = tallies[smallest - 1];
    const right = tallies[smallest + 1];
    const rate = badRate(small);
    const mergeLeft =
      left !== undefined &&
      (right === undefined || Math.abs(badRate(left) - rate) <= Math.abs(badRate(right) - rate));
    const index = mergeLeft ? smallest - 1 : smallest;
    tallies.splice(index, 2, combine(at(tallies, index), at(tallies, index + 1)));
  }
  return tallies;
}

/** Merges adjacent bins until the smoothed log bad odds move strictly in `direction` as the value grows. */
export function poolAdjacentViolators(
  tallies: readonly Tally[],
  direction: 'rising' | 'falling',
  smoothing: number,
): Tally[] {
  const sign = direction === 'rising' ? 1 : -1;
  const key = (tally: Tally) =>
    sign * Math.log((tally.bads + smoothing) / (tally.count - tally.bads + smoothing));
  const pooled: Tally[] = [];
  for (const tally of tallies) {
    let current = tally;
    let previous = pooled.at(-1);
    while (previous !== undefined && key(previous) >= key(current)) {
      pooled.pop();
      current = combine(previous, current);
      previous = pooled.at(-1);
    }
    pooled.push(current);
  }
  return pooled;
}

/**
 * One bin per category, sorted by name; categories under `minCount` rows pooled into one
 * "other" bin, since a WoE estimated from a handful of loans is mostly noise (Siddiqi 2006).
 */
function categoricalTallies(
  present: readonly number[],
  values: readonly FeatureValue[],
  labels: readonly number[],
  minCount: number,
): Tally[] {
  const byCategory = new Map<string, Tally>();
  for (const row of present) {
    const category = String(values[row]);
    const tally = byCategory.get(category) ?? { bounds: { categories: [category] }, count: 0, bads: 0 };
    tally.count += 1;
    tally.bads += at(labels, row);
    byCategory.set(category, tally);
  }
  const sorted = [...byCategory.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const large = sorted.filter(([, tally]) => tally.count >= minCount).map(([, tally]) => tally);
  const small = sorted.filter(([, tally]) => tally.count < minCount).map(([, tally]) => tally);
  if (small.length === 0) return large;
  return [...large, small.reduce(combine)];
}

function withWoe(
  feature: string,
  type: FeatureType,
  tallies: readonly Tally[],
  missing: Tally,
  smoothing: number,
  minCount: number,
): FeatureBinning {
  const all = missing.count > 0 ? [...tallies, missing] : [...tallies];
  const total = totals(all);
  const woes = all.map((tally) => woe(tally, total, all.length, smoothing));
  const bins = tallies.map((tally, k) => statistics(tally, at(woes, k)));
  return {
    feature,
    type,
    bins,
    missingBin: statistics(missing, missingWoe(bins, missing, at(woes, woes.length - 1), minCount)),
    informationValue: informationValue(all, total, smoothing),
  };
}

/**
 * The missing bin keeps its own WoE when it holds at least the minimum bin share. With no
 * missing rows in training there is no evidence, so it takes the worst bin's WoE: an applicant
 * never gains by withholding data. With a few missing rows (under the minimum share) its own
 * WoE would be noise, so it borrows the WoE of the bin whose default rate is closest, the same
 * pooling the small value bins get.
 */
function missingWoe(
  bins: readonly BinStatistics[],
  missing: Tally,
  ownWoe: number,
  minCount: number,
): number {
  if (bins.length === 0) return missing.count > 0 ? ownWoe : 0;
  if (missing.count === 0) return Math.min(...bins.map((bin) => bin.woe));
  if (missing.count >= minCount) return ownWoe;
  const rate = badRate(missing);
  const closest = bins.reduce((best, bin) =>
    Math.abs((bin.badRate ?? 0) - rate) < Math.abs((best.badRate ?? 0) - rate) ? bin : best,
  );
  return closest.woe;
}

function statistics(tally: Tally, binWoe: number): BinStatistics {
  return {
    ...tally.bounds,
    count: tally.count,
    bads: tally.bads,
    woe: binWoe,
    badRate: tally.count > 0 ? tally.bads / tally.count : null,
  };
}

interface Totals {
  goods: number;
  bads: number;
}

function totals(tallies: readonly Tally[]): Totals {
  const bads = tallies.reduce((sum, tally) => sum + tally.bads, 0);
  const count = tallies.reduce((sum, tally) => sum + tally.count, 0);
  return { goods: count - bads, bads };
}

/** WoE of one bin among `binCount`, Laplace-smoothed as described at the top of the module. */
export function woe(
  tally: { count: number; bads: number },
  total: Totals,
  binCount: number,
  smoothing: number = BINNING_DEFAULTS.smoothing,
): number {
  const goodShare = (tally.count - tally.bads + smoothing) / (total.goods + binCount * smoothing);
  const badShare = (tally.bads + smoothing) / (total.bads + binCount * smoothing);
  return Math.log(goodShare / badShare);
}

function informationValue(tallies: readonly Tally[], total: Totals, smoothing: number): number {
  return tallies.reduce((sum, tally) => {
    const goodShare = (tally.count - tally.bads + smoothing) / (total.goods + tallies.length * smoothing);
    const badShare = (tally.bads + smoothing) / (total.bads + tallies.length * smoothing);
    return sum + (goodShare - badShare) * Math.log(goodShare / badShare);
  }, 0);
}

/**
 * The bin a value falls in, or −1 for the missing bin: a null or NaN value, or a category not
 * seen in training (no evidence about it, so it is treated like a value withheld). Numeric
 * bins are ascending and contiguous, [lower, upper).
 */
export function findBin(type: FeatureType, bins: readonly BinBounds[], value: FeatureValue): number {
  if (isMissing(value)) return -1;
  if (type === 'categorical') {
    const category = String(value);
    return bins.findIndex((bin) => bin.categories?.includes(category) ?? false);
  }
  if (typeof value !== 'number') {
    throw new ScorecardInputError(`expected a number, got the text "${value}"`);
  }
  return bins.findIndex((bin) => bin.upper === undefined || value < bin.upper);
}

export function isMissing(value: FeatureValue | undefined): value is null | undefined {
  return value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value));
}

function combine(a: Tally, b: Tally): Tally {
  const bounds: BinBounds =
    a.bounds.categories !== undefined || b.bounds.categories !== undefined
      ? { categories: [...(a.bounds.categories ?? []), ...(b.bounds.categories ?? [])] }
      : interval(a.bounds.lower, b.bounds.upper);
  return { bounds, count: a.count + b.count, bads: a.bads + b.bads };
}

function interval(lower: number | undefined, upper: number | undefined): BinBounds {
  return { ...(lower === undefined ? {} : { lower }), ...(upper === undefined ? {} : { upper }) };
}

function badRate(tally: Tally): number {
  return tally.count > 0 ? tally.bads / tally.count : 0;
}

function numberAt(values: readonly FeatureValue[], row: number): number {
  const value = values[row];
  if (typeof value !== 'number') throw new TypeError(`row ${row}: expected a number, got ${String(value)}`);
  return value;
}
