import {
  BINNING_DEFAULTS,
  type BinningOptions,
  binFeature,
  type FeatureBinning,
  type FeatureType,
  type FeatureValue,
  findBin,
  isMissing,
} from './binning.js';
import { TrainingDataError } from './errors.js';
import { at } from './indexing.js';
import { fitLogistic, LOGISTIC_DEFAULTS } from './logistic.js';
import { auc, gini, ks, scoreBaseline } from './metrics.js';
import { binPoints, parseScorecardModel, type ScorecardModel, score } from './model.js';
import { mulberry32, shuffled } from './random.js';

/** One historical loan: the outcome column and the feature values, null where unknown. */
export type TrainingRow = Readonly<Record<string, FeatureValue | undefined>>;

export interface TrainingProgress {
  stage: 'binning' | 'fitting' | 'evaluating';
  done: number;
  total: number;
  detail: string;
}

export interface TrainingOptions extends BinningOptions {
  /** The outcome column: 1 = default ("bad"), 0 = repaid ("good"). */
  target: string;
  /** Columns to offer as features; every column but the target by default. */
  features?: readonly string[];
  /** Columns to treat as categories even when every value is a number (industry codes, say). */
  categorical?: readonly string[];
  version: string;
  /** ISO 8601 UTC; passed in rather than read from the clock so a retrain reproduces the file. */
  trainedAt: string;
  holdoutShare?: number;
  seed?: number;
  /** λ of the ridge penalty in the logistic regression. */
  l2?: number;
  /** Features below this information value are left out (Siddiqi's "unpredictive" line is 0.02). */
  minInformationValue?: number;
  baseScore?: number;
  baseOdds?: number;
  pointsToDoubleOdds?: number;
  onProgress?: (progress: TrainingProgress) => void;
}

export const TRAINING_DEFAULTS = {
  holdoutShare: 0.3,
  seed: 42,
  l2: LOGISTIC_DEFAULTS.l2,
  minInformationValue: 0.02,
  // The scale of the expert scorecard (scoring.ts), so that thresholds keep their meaning: 600 points = 50:1.
  baseScore: 600,
  baseOdds: 50,
  pointsToDoubleOdds: 20,
} as const;

export interface TrainingResult {
  model: ScorecardModel;
  /** Every offered feature with its information value on the training split, strongest first. */
  informationValues: { feature: string; informationValue: number; kept: boolean }[];
  fit: { iterations: number; converged: boolean };
  /** Row indices of the two splits, ascending. */
  split: { train: number[]; holdout: number[] };
  /** The model's score of each holdout row, in `split.holdout` order. */
  holdoutScores: number[];
}

/**
 * Fits a scorecard: a stratified random split into training and holdout rows, WoE binning of
 * each feature on the training rows (binning.ts), features under the IV floor dropped, a
 * ridge logistic regression of default on the WoE values (logistic.ts), then the points
 * (model.ts) and the holdout AUC, KS and Gini (metrics.ts).
 *
 * A characteristic whose coefficient comes out ≥ 0 would give more points to the riskier
 * bins, against its own WoE; that happens when it mostly repeats what correlated features
 * already say. Such a feature is dropped and the regression refitted, one at a time: the
 * usual remedy in scorecard practice, and it keeps every points table readable.
 *
 * Deterministic: the only randomness is the split, drawn from mulberry32(seed).
 */
export function trainScorecard(rows: readonly TrainingRow[], options: TrainingOptions): TrainingResult {
  const settings = { ...TRAINING_DEFAULTS, ...BINNING_DEFAULTS, ...options };
  const labels = readLabels(rows, settings.target);
  const features = chooseFeatures(rows, settings.target, settings.features);
  const types = new Map(
    features.map((feature) => [feature, featureType(rows, feature, settings.categorical)]),
  );
  const split = stratifiedSplit(labels, settings.holdoutShare, settings.seed);
  const trainLabels = split.train.map((row) => at(labels, row));
  const progress = settings.onProgress ?? (() => {});

  const binnings: FeatureBinning[] = [];
  features.forEach((feature, k) => {
    progress({ stage: 'binning', done: k, total: features.length, detail: feature });
    const values = split.train.map((row) => featureValue(at(rows, row), feature));
    binnings.push(binFeature(feature, typeOf(types, feature), values, trainLabels, settings));
  });
  progress({ stage: 'binning', done: features.length, total: features.length, detail: 'done' });

  const excluded: { feature: string; reason: string }[] = [];
  let kept = binnings.filter((binning) => {
    if (binning.informationValue >= settings.minInformationValue) return true;
    excluded.push({
      feature: binning.feature,
      reason: `information value ${binning.informationValue.toFixed(4)} is under ${settings.minInformationValue}`,
    });
    return false;
  });

  const woeColumns = new Map(
    kept.map((binning) => [
      binning.feature,
      split.train.map((row) => woeOf(binning, featureValue(at(rows, row), binning.feature))),
    ]),
  );
  let fit = fitKept();
  for (;;) {
    const worst = fit.coefficients.reduce(
      (best, value, j) => (value > at(fit.coefficients, best) ? j : best),
      0,
    );
    const coefficient = fit.coefficients[worst];
    if (coefficient === undefined || coefficient < 0) break;
    const dropped = at(kept, worst);
    excluded.push({
      feature: dropped.feature,
      reason: `coefficient ${coefficient.toFixed(4)} ≥ 0 would rank its bins against their WoE (collinear with other features)`,
    });
    kept = kept.filter((binning) => binning !== dropped);
    fit = fitKept();
  }
  if (kept.length === 0) {
    throw new TrainingDataError('no feature is predictive enough to build a scorecard from');
  }

  const scaling = {
    baseScore: settings.baseScore,
    baseOdds: settings.baseOdds,
    pointsToDoubleOdds: settings.pointsToDoubleOdds,
  };
  const characteristics = kept.map((binning, j) => {
    const coefficient = at(fit.coefficients, j);
    const toBin = (bin: FeatureBinning['missingBin']) => ({
      ...(bin.lower === undefined ? {} : { lower: bin.lower }),
      ...(bin.upper === undefined ? {} : { upper: bin.upper }),
      ...(bin.categories === undefined ? {} : { categories: bin.categories }),
      woe: round6(bin.woe),
      points: binPoints(bin.woe, coefficient, fit.intercept, kept.length, scaling),
      count: bin.count,
      badRate: bin.badRate === null ? null : round6(bin.badRate),
    });
    return {
      feature: binning.feature,
      type: binning.type,
      coefficient: round6(coefficient),
      informationValue: round6(binning.informationValue),
      bins: binning.bins.map(toBin),
      missingBin: toBin(binning.missingBin),
    };
  });

  const draft: ScorecardModel = {
    version: settings.version,
    trainedAt: settings.trainedAt,
    target: settings.target,
    ...scaling,
    intercept: round6(fit.intercept),
    characteristics,
    metrics: {
      auc: 0,
      ks: 0,
      gini: 0,
      holdoutSize: split.holdout.length,
      trainSize: split.train.length,
      badRate: 0,
    },
    scoreBaseline: { cuts: [], shares: [] },
    training: {
      seed: settings.seed,
      holdoutShare: settings.holdoutShare,
      l2: settings.l2,
      initialBins: settings.initialBins,
      minBinShare: settings.minBinShare,
      smoothing: settings.smoothing,
      minInformationValue: settings.minInformationValue,
      rows: rows.length,
      excluded,
    },
  };

  const allScores = rows.map((row, index) => {
    if (index % 1000 === 0)
      progress({ stage: 'evaluating', done: index, total: rows.length, detail: 'scoring' });
    return score(draft, row).score;
  });
  progress({ stage: 'evaluating', done: rows.length, total: rows.length, detail: 'done' });
  const holdoutScores = split.holdout.map((row) => at(allScores, row));
  const holdoutLabels = split.holdout.map((row) => at(labels, row));
  // The score rises with creditworthiness; the ranking measures want a higher value for a default.
  const risk = holdoutScores.map((value) => -value);
  const areaUnderCurve = auc(risk, holdoutLabels);
  const model = parseScorecardModel({
    ...draft,
    metrics: {
      ...draft.metrics,
      auc: round6(areaUnderCurve),
      ks: round6(ks(risk, holdoutLabels)),
      gini: round6(gini(areaUnderCurve)),
      badRate: round6(trainLabels.filter((label) => label === 1).length / trainLabels.length),
    },
    // The development sample (both splits) is the population later scores are compared with.
    scoreBaseline: scoreBaseline(allScores),
  });

  const keptFeatures = new Set(kept.map((binning) => binning.feature));
  return {
    model,
    informationValues: binnings
      .map((binning) => ({
        feature: binning.feature,
        informationValue: binning.informationValue,
        kept: keptFeatures.has(binning.feature),
      }))
      .sort((a, b) => b.informationValue - a.informationValue),
    fit: { iterations: fit.iterations, converged: fit.converged },
    split,
    holdoutScores,
  };

  function fitKept() {
    return fitLogistic(
      kept.map((binning) => woeColumns.get(binning.feature) ?? []),
      trainLabels,
      {
        l2: settings.l2,
        onIteration: ({ iteration, objective }) =>
          progress({
            stage: 'fitting',
            done: iteration,
            total: LOGISTIC_DEFAULTS.maxIterations,
            detail: `${kept.length} features, iteration ${iteration}, penalised deviance ${(2 * objective).toFixed(2)}`,
          }),
      },
    );
  }
}

/**
 * Holdout rows drawn separately from the defaults and the non-defaults, so that both splits
 * keep the sample's default rate; with a few hundred defaults an unstratified split can move
 * the holdout AUC by itself.
 */
export function stratifiedSplit(
  labels: readonly number[],
  holdoutShare: number,
  seed: number,
): { train: number[]; holdout: number[] } {
  if (!(holdoutShare > 0 && holdoutShare < 1)) {
    throw new TrainingDataError(`the holdout share must be between 0 and 1, got ${holdoutShare}`);
  }
  const random = mulberry32(seed);
  const train: number[] = [];
  const holdout: number[] = [];
  for (const outcome of [0, 1]) {
    const indices = labels.flatMap((label, index) => (label === outcome ? [index] : []));
    const mixed = shuffled(random, indices);
    const holdoutCount = Math.round(holdoutShare * mixed.length);
    holdout.push(...mixed.slice(0, holdoutCount));
    train.push(...mixed.slice(holdoutCount));
  }
  const ascending = (a: number, b: number) => a - b;
  const result = { train: train.sort(ascending), holdout: holdout.sort(ascending) };
  for (const [name, indices] of Object.entries(result)) {
    const bads = indices.filter((index) => labels[index] === 1).length;
    if (bads === 0 || bads === indices.length) {
      throw new TrainingDataError(`the ${name} split needs both defaults and non-defaults; add rows`);
    }
  }
  return result;
}

function readLabels(rows: readonly TrainingRow[], target: string): number[] {
  if (rows.length === 0) throw new TrainingDataError('no rows to train on');
  if (!rows.some((row) => Object.hasOwn(row, target))) {
    throw new TrainingDataError(`no target column "${target}"`);
  }
  return rows.map((row, index) => {
    const value = row[target];
    if (value === 0 || value === 1 || value === '0' || value === '1') return Number(value);
    throw new TrainingDataError(
      `target "${target}" must be 0 or 1 in every row; row ${index + 1} has ${isMissing(value) ? 'no value' : JSON.stringify(value)}`,
    );
  });
}

function chooseFeatures(rows: readonly TrainingRow[], target: string, wanted?: readonly string[]): string[] {
  const columns = Object.keys(at(rows, 0));
  const features = wanted ? [...wanted] : columns.filter((column) => column !== target);
  const unknown = features.filter((feature) => !columns.includes(feature));
  if (unknown.length > 0)
    throw new TrainingDataError(`no column ${unknown.map((name) => `"${name}"`).join(', ')}`);
  if (features.includes(target))
    throw new TrainingDataError(`the target "${target}" cannot also be a feature`);
  if (features.length === 0) throw new TrainingDataError('no feature columns besides the target');
  return features;
}

function featureType(
  rows: readonly TrainingRow[],
  feature: string,
  categorical?: readonly string[],
): FeatureType {
  if (categorical?.includes(feature)) return 'categorical';
  return rows.every((row) => {
    const value = row[feature];
    return isMissing(value) || typeof value === 'number';
  })
    ? 'numeric'
    : 'categorical';
}

function featureValue(row: TrainingRow, feature: string): FeatureValue {
  return row[feature] ?? null;
}

function typeOf(types: ReadonlyMap<string, FeatureType>, feature: string): FeatureType {
  return types.get(feature) ?? 'categorical';
}

function woeOf(binning: FeatureBinning, value: FeatureValue): number {
  const index = findBin(binning.type, binning.bins, value);
  return index < 0 ? binning.missingBin.woe : at(binning.bins, index).woe;
}

/** Six decimals keep the model file readable; the points are computed before rounding. */
function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6 + 0;
}
