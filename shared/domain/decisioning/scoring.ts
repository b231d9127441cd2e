import type { FeatureName } from './features.js';
import type { Features, Reason, ScoreResult } from './types.js';

/**
 * A points-based application scorecard held as data. Version 0.1 is expert-set, not fitted:
 * the bins and points are a first judgement of how each feature relates to default, to be
 * replaced by weights estimated on the bank's own outcomes (weight-of-evidence binning and
 * a logistic regression) once enough loans have matured.
 *
 * Scaling follows the usual scorecard convention (Siddiqi, "Credit Risk Scorecards", 2006):
 * the score is linear in the log of the good:bad odds, `baseScore` points mean odds of
 * `baseOdds`:1, and every `pointsToDoubleOdds` points double the odds:
 *   odds = baseOdds · 2^((score − baseScore) / pointsToDoubleOdds),   PD = 1 / (1 + odds).
 * At 600 points the odds are 50:1, PD = 1/51 = 0.0196.
 */
export interface ScoreBin {
  /** Upper bound, exclusive; the last bin has none. Each bin starts where the previous one ends. */
  below?: number;
  points: number;
}

export interface Characteristic {
  feature: FeatureName;
  bins: ScoreBin[];
  /** Points when the source did not answer: low, but above the worst bin, so a silent source is not proof of the worst. */
  missingPoints: number;
  reasonCode: string;
  customerMessage: string;
}

export interface Scorecard {
  version: string;
  basePoints: number;
  baseScore: number;
  baseOdds: number;
  pointsToDoubleOdds: number;
  characteristics: Characteristic[];
}

export const SCORECARD: Scorecard = {
  version: 'scorecard-0.1',
  basePoints: 450,
  baseScore: 600,
  baseOdds: 50,
  pointsToDoubleOdds: 20,
  characteristics: [
    {
      feature: 'monthsSinceEstablishment',
      // Survival of Chinese SMEs climbs steeply over the first five years and flattens after ten.
      bins: [
        { below: 24, points: 0 },
        { below: 36, points: 15 },
        { below: 60, points: 30 },
        { below: 120, points: 40 },
        { points: 45 },
      ],
      missingPoints: 0,
      reasonCode: 'SCORE_BUSINESS_AGE',
      customerMessage: 'Your business has a limited operating history.',
    },
    {
      feature: 'verifiedRevenue12m',
      // Whole yuan of tax-declared sales: 1, 3, 10 and 50 million bracket micro to small enterprises.
      bins: [
        { below: 1_000_000, points: 0 },
        { below: 3_000_000, points: 15 },
        { below: 10_000_000, points: 30 },
        { below: 50_000_000, points: 40 },
        { points: 45 },
      ],
      missingPoints: 0,
      reasonCode: 'SCORE_REVENUE_SIZE',
      customerMessage: 'Your verified annual sales are limited.',
    },
    {
      feature: 'revenueVolatility',
      // Coefficient of variation of monthly sales; ordinary seasonality stays under 0.3.
      bins: [
        { below: 0.15, points: 35 },
        { below: 0.3, points: 25 },
        { below: 0.5, points: 10 },
        { points: 0 },
      ],
      missingPoints: 5,
      reasonCode: 'SCORE_REVENUE_VOLATILITY',
      customerMessage: 'Your monthly sales vary considerably.',
    },
    {
      feature: 'debtToRevenue',
      bins: [
        { below: 0.1, points: 40 },
        { below: 0.3, points: 30 },
        { below: 0.5, points: 15 },
        { points: 0 },
      ],
      missingPoints: 10,
      reasonCode: 'SCORE_DEBT_BURDEN',
      customerMessage: 'Your existing borrowing is high compared with your sales.',
    },
    {
      feature: 'inquiriesLast3Months',
      // Many recent credit applications usually mean a cash need other lenders turned down.
      bins: [{ below: 2, points: 25 }, { below: 4, points: 18 }, { below: 7, points: 5 }, { points: 0 }],
      missingPoints: 5,
      reasonCode: 'SCORE_CREDIT_INQUIRIES',
      customerMessage: 'You have applied for credit several times recently.',
    },
    {
      feature: 'revenueGrowth',
      // Very fast growth scores below steady growth: it strains working capital, and a sudden
      // jump in declared sales just before applying is a known inflation pattern.
      bins: [
        { below: -0.2, points: 0 },
        { below: 0, points: 12 },
        { below: 0.3, points: 25 },
        { points: 20 },
      ],
      missingPoints: 8,
      reasonCode: 'SCORE_REVENUE_TREND',
      customerMessage: 'Your sales trend affected our assessment.',
    },
  ],
};

const MISSING_MESSAGE = 'Some information about your business was not available to us.';
const MAX_REASONS = 3;

export function scoreEnterprise(features: Features, scorecard: Scorecard = SCORECARD): ScoreResult {
  const scored = scorecard.characteristics.map((characteristic) => {
    const value = features.values[characteristic.feature] ?? null;
    const best = Math.max(characteristic.missingPoints, ...characteristic.bins.map((bin) => bin.points));
    const points = value === null ? characteristic.missingPoints : binFor(characteristic.bins, value).points;
    return { characteristic, value, points, lost: best - points, best };
  });
  const score = scorecard.basePoints + scored.reduce((sum, { points }) => sum + points, 0);
  const odds = scorecard.baseOdds * 2 ** ((score - scorecard.baseScore) / scorecard.pointsToDoubleOdds);

  // Adverse reasons rank characteristics by points lost against their best bin (the "maximum
  // possible points" method, one of the two in US Regulation B commentary 9(b)(2)-5); ties keep scorecard order.
  const reasons: Reason[] = scored
    .filter(({ lost }) => lost > 0)
    .sort((a, b) => b.lost - a.lost)
    .slice(0, MAX_REASONS)
    .map(({ characteristic, value, points, best }) => ({
      code: characteristic.reasonCode,
      customerMessage: value === null ? MISSING_MESSAGE : characteristic.customerMessage,
      detail: `${characteristic.feature} = ${value ?? 'missing'}: ${points} of ${best} points`,
    }));

  return {
    modelVersion: scorecard.version,
    score,
    probabilityOfDefault: (1 / (1 + odds)).toFixed(4),
    reasons,
  };
}

function binFor(bins: readonly ScoreBin[], value: number): ScoreBin {
  const bin = bins.find(({ below }) => below === undefined || value < below);
  if (!bin) throw new RangeError('scorecard bins must end with an open-ended bin');
  return bin;
}
