import scorecardFile from '../../../models/scorecard-1.0.json' with { type: 'json' };
import { parseScorecardModel, type ScorecardModel, score } from '../scorecard/index.js';
import type { Features, Reason, ScoreResult } from './types.js';

/**
 * The live application scorecard: the model trained by `npm run train` on the documented
 * ground-truth book (docs/scorecard.md), shipped as data in models/ and validated on load.
 * Points scale per Siddiqi: every `pointsToDoubleOdds` points double the good:bad odds.
 */
export const SCORECARD_MODEL: ScorecardModel = parseScorecardModel(scorecardFile);

/** How each characteristic is explained when it costs points: a stable code and words a customer can read. */
const REASONS: Record<string, { code: string; customerMessage: string }> = {
  monthsSinceEstablishment: {
    code: 'SCORE_BUSINESS_AGE',
    customerMessage: 'Your business has a limited operating history.',
  },
  verifiedRevenue12m: {
    code: 'SCORE_REVENUE_SIZE',
    customerMessage: 'Your verified sales are modest.',
  },
  revenueGrowth: {
    code: 'SCORE_REVENUE_TREND',
    customerMessage: 'Your sales trend affected our assessment.',
  },
  revenueVolatility: {
    code: 'SCORE_REVENUE_VOLATILITY',
    customerMessage: 'Your monthly sales vary considerably.',
  },
  debtToRevenue: {
    code: 'SCORE_DEBT_BURDEN',
    customerMessage: 'Your existing borrowing is high relative to your sales.',
  },
  inquiriesLast3Months: {
    code: 'SCORE_CREDIT_INQUIRIES',
    customerMessage: 'There have been several recent credit applications.',
  },
  overdueAccounts: {
    code: 'SCORE_REPAYMENT_HISTORY',
    customerMessage: 'Your repayment history with other lenders affected our assessment.',
  },
  casesAsDefendant: { code: 'SCORE_LITIGATION', customerMessage: 'Court records affected our assessment.' },
  taxGrade: { code: 'SCORE_TAX_GRADE', customerMessage: 'Your tax credit grade affected our assessment.' },
  industry: {
    code: 'SCORE_INDUSTRY',
    customerMessage: 'The risk profile of your industry affected our assessment.',
  },
};
const MISSING_MESSAGE = 'Some information about your business was not available to us.';

/**
 * Score, probability of default and the top adverse reasons: the characteristics that lost
 * the most points against their best bin (the "maximum possible points" method of US
 * Regulation B commentary 9(b)(2)-5).
 */
export function scoreEnterprise(features: Features, model: ScorecardModel = SCORECARD_MODEL): ScoreResult {
  const result = score(model, { ...features.values, ...features.categories });
  const reasons: Reason[] = result.reasons.map(({ feature, value, bin, points, bestPoints }) => {
    const reason = REASONS[feature] ?? {
      code: `SCORE_${feature.toUpperCase()}`,
      customerMessage: MISSING_MESSAGE,
    };
    return {
      code: reason.code,
      customerMessage: value === null ? MISSING_MESSAGE : reason.customerMessage,
      detail: `${feature} = ${value ?? 'missing'} (bin ${bin}): ${points} of ${bestPoints} points`,
    };
  });
  return {
    modelVersion: model.version,
    score: result.score,
    probabilityOfDefault: result.probabilityOfDefault.toFixed(4),
    reasons,
  };
}
