import * as z from 'zod';
import { type BinBounds, type FeatureValue, findBin } from './binning.js';
import { at } from './indexing.js';

/**
 * A trained scorecard held as data: the bins of each characteristic with their weight of
 * evidence and points, the scaling, and the holdout metrics it was accepted on. The file is
 * what gets versioned, reviewed and stamped on decisions; `score` is a pure function of it.
 *
 * Scaling (Siddiqi, "Credit Risk Scorecards", Wiley 2006, "Scaling"; the same formulas in Refaat,
 * "Credit Risk Scorecards: Development and Implementation Using SAS", 2011):
 * the score is linear in the log of the good:bad odds,
 *   score = offset + factor·ln(odds),   factor = pdo / ln 2,   offset = baseScore − factor·ln(baseOdds),
 * so `baseScore` points mean odds of `baseOdds`:1 and every `pointsToDoubleOdds` (pdo) points
 * double them. The logistic regression models the log odds of default on the WoE of the
 * n characteristics, ln(bad/good) = intercept + Σ_j β_j·WoE_j, so ln(odds) = −(intercept + Σ β_j·WoE_j)
 * and the score splits into one term per characteristic. Bin i of characteristic j is worth
 *   points_ij = round( −(WoE_ij·β_j + intercept/n)·factor + offset/n ),
 * and the score is the sum of one bin's points per characteristic. Points are whole numbers,
 * as on a printed scorecard; the probability of default is read back from that whole score,
 *   PD = 1 / (1 + exp((score − offset) / factor)),
 * so score and PD always agree. Rounding moves the score by at most n/2 points.
 */
const binSchema = z.object({
  /** Inclusive lower bound of a numeric bin; absent on the first bin. */
  lower: z.number().optional(),
  /** Exclusive upper bound of a numeric bin; absent on the last bin. */
  upper: z.number().optional(),
  /** The categories of a categorical bin. */
  categories: z.array(z.string()).min(1).optional(),
  woe: z.number(),
  points: z.number().int(),
  /** Training rows in the bin. */
  count: z.number().int().nonnegative(),
  /** Default rate of the training rows in the bin; null when it had none. */
  badRate: z.number().min(0).max(1).nullable(),
});

const characteristicSchema = z
  .object({
    feature: z.string().min(1),
    type: z.enum(['numeric', 'categorical']),
    /** β of the characteristic's WoE in the logistic regression (negative: a higher WoE means lower risk). */
    coefficient: z.number(),
    informationValue: z.number().nonnegative(),
    bins: z.array(binSchema).min(1),
    /** Points for a missing value, or a category not seen in training. */
    missingBin: binSchema,
  })
  .superRefine((characteristic, context) => {
    const problem = binsProblem(characteristic);
    if (problem) context.addIssue({ code: 'custom', message: `${characteristic.feature}: ${problem}` });
  });

export const scorecardModelSchema = z.object({
  version: z.string().min(1),
  trainedAt: z.iso.datetime(),
  /** The CSV column that was the outcome: 1 = default ("bad"), 0 = not. */
  target: z.string().min(1),
  baseScore: z.number(),
  baseOdds: z.number().positive(),
  pointsToDoubleOdds: z.number().positive(),
  intercept: z.number(),
  characteristics: z.array(characteristicSchema).min(1),
  metrics: z.object({
    auc: z.number().min(0).max(1),
    ks: z.number().min(0).max(1),
    gini: z.number().min(-1).max(1),
    holdoutSize: z.number().int().positive(),
    trainSize: z.number().int().positive(),
    /** Default rate of the training split. */
    badRate: z.number().min(0).max(1),
  }),
  /**
   * Score deciles and shares of the development sample (training and holdout rows together,
   * as train.ts computes them): the expected distribution for the population stability index.
   */
  scoreBaseline: z.object({ cuts: z.array(z.number()), shares: z.array(z.number().min(0).max(1)) }),
  /** What the model was fitted with, so that it can be fitted again. */
  training: z.object({
    seed: z.number().int(),
    holdoutShare: z.number(),
    l2: z.number(),
    initialBins: z.number().int(),
    minBinShare: z.number(),
    smoothing: z.number(),
    minInformationValue: z.number(),
    rows: z.number().int(),
    /** Features offered to training and left out, with the reason. */
    excluded: z.array(z.object({ feature: z.string(), reason: z.string() })),
  }),
});

export type ScorecardModel = z.infer<typeof scorecardModelSchema>;
export type ScorecardCharacteristic = ScorecardModel['characteristics'][number];
export type ScorecardBin = ScorecardCharacteristic['bins'][number];

/** Validates a model read from a file; throws a ZodError naming the faulty field. */
export function parseScorecardModel(json: unknown): ScorecardModel {
  return scorecardModelSchema.parse(json);
}

export interface Scaling {
  baseScore: number;
  baseOdds: number;
  pointsToDoubleOdds: number;
}

/** factor = pdo / ln 2 and offset = baseScore − factor·ln(baseOdds) (Siddiqi 2006, "Scaling"). */
export function scalingConstants({ baseScore, baseOdds, pointsToDoubleOdds }: Scaling): {
  factor: number;
  offset: number;
} {
  const factor = pointsToDoubleOdds / Math.LN2;
  return { factor, offset: baseScore - factor * Math.log(baseOdds) };
}

/** The points of one bin: round(−(WoE·β + intercept/n)·factor + offset/n). */
export function binPoints(
  woe: number,
  coefficient: number,
  intercept: number,
  characteristicCount: number,
  scaling: Scaling,
): number {
  const { factor, offset } = scalingConstants(scaling);
  const points =
    -(woe * coefficient + intercept / characteristicCount) * factor + offset / characteristicCount;
  // + 0 turns a −0 into 0, so the JSON never carries "-0".
  return Math.round(points) + 0;
}

/** PD = 1 / (1 + good:bad odds), the odds read from the score: exp((score − offset) / factor). */
export function probabilityOfDefaultAt(score: number, scaling: Scaling): number {
  const { factor, offset } = scalingConstants(scaling);
  return 1 / (1 + Math.exp((score - offset) / factor));
}

export interface AdverseReason {
  feature: string;
  value: FeatureValue;
  /** The bin the value fell in, e.g. "12 ≤ x < 36", "C, D" or "missing". */
  bin: string;
  points: number;
  /** The most any bin of the characteristic (the missing bin included) is worth. */
  bestPoints: number;
  pointsLost: number;
}

export interface ScorecardResult {
  modelVersion: string;
  score: number;
  probabilityOfDefault: number;
  /** The characteristics that cost the most points, largest loss first. */
  reasons: AdverseReason[];
  /** Points of every characteristic, in model order, for the staff explanation. */
  contributions: { feature: string; bin: string; points: number }[];
}

/**
 * Scores one applicant. `values` maps feature names to a number, a category, or null when
 * unknown; a feature absent from `values` is missing. Adverse reasons rank characteristics by
 * points lost against the characteristic's best bin (the "maximum possible points" method of
 * US Regulation B, 12 CFR 1002, Official Interpretation 9(b)(2)-5, which the current
 * `scoring.ts` uses too); ties keep model order.
 */
export function score(
  model: ScorecardModel,
  values: Readonly<Record<string, FeatureValue | undefined>>,
  { maxReasons = 3 }: { maxReasons?: number } = {},
): ScorecardResult {
  const scored = model.characteristics.map((characteristic) => {
    const value = values[characteristic.feature] ?? null;
    const index = findBin(characteristic.type, characteristic.bins, value);
    const bin = index < 0 ? characteristic.missingBin : at(characteristic.bins, index);
    const bestPoints = Math.max(
      characteristic.missingBin.points,
      ...characteristic.bins.map((candidate) => candidate.points),
    );
    return {
      feature: characteristic.feature,
      value,
      bin: index < 0 ? 'missing' : binLabel(bin),
      points: bin.points,
      bestPoints,
      pointsLost: bestPoints - bin.points,
    };
  });
  const total = scored.reduce((sum, { points }) => sum + points, 0);
  return {
    modelVersion: model.version,
    score: total,
    probabilityOfDefault: probabilityOfDefaultAt(total, model),
    reasons: scored
      .filter(({ pointsLost }) => pointsLost > 0)
      .sort((a, b) => b.pointsLost - a.pointsLost)
      .slice(0, maxReasons),
    contributions: scored.map(({ feature, bin, points }) => ({ feature, bin, points })),
  };
}

/** "lower ≤ x < upper" for a numeric bin, the categories for a categorical one. */
export function binLabel(bin: BinBounds): string {
  if (bin.categories) return bin.categories.join(', ');
  if (bin.lower === undefined && bin.upper === undefined) return 'any value';
  if (bin.lower === undefined) return `x < ${bin.upper}`;
  if (bin.upper === undefined) return `x ≥ ${bin.lower}`;
  return `${bin.lower} ≤ x < ${bin.upper}`;
}

/** Numeric bins must tile the line in order; categorical bins must list each category once. */
function binsProblem(characteristic: {
  type: 'numeric' | 'categorical';
  bins: readonly BinBounds[];
}): string | null {
  const { bins } = characteristic;
  if (characteristic.type === 'categorical') {
    if (bins.some((bin) => bin.categories === undefined)) return 'a categorical bin without categories';
    const all = bins.flatMap((bin) => bin.categories ?? []);
    return new Set(all).size === all.length ? null : 'a category appears in two bins';
  }
  for (let k = 0; k < bins.length; k += 1) {
    const bin = at(bins, k);
    if (bin.categories !== undefined) return 'a numeric bin with categories';
    if ((k === 0) !== (bin.lower === undefined)) return 'only the first numeric bin may have no lower bound';
    if ((k === bins.length - 1) !== (bin.upper === undefined)) {
      return 'only the last numeric bin may have no upper bound';
    }
    const next = bins[k + 1];
    if (next !== undefined && next.lower !== bin.upper)
      return `bin ${k + 1} does not start where bin ${k} ends`;
    if (bin.lower !== undefined && bin.upper !== undefined && !(bin.lower < bin.upper)) {
      return `bin ${k} is empty`;
    }
  }
  return null;
}
