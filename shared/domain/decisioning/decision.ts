import { Money } from '../money.js';
import type {
  Decision,
  IdentityResult,
  Pricing,
  Reason,
  ScoreResult,
  ScreeningResult,
  Signal,
} from './types.js';

export interface DecisionPolicy {
  version: string;
  /** At or above: approve on the score. On scorecard-1.0's scale 600 points is a PD of about 2%. */
  approveThreshold: number;
  /** At or above (and below approve): an officer decides. 560 points is a PD of about 7%. */
  referThreshold: number;
  /** Below this a loan costs more to book and service than it earns. */
  minimumLimit: string;
}

export const DECISION_POLICY: DecisionPolicy = {
  // Recalibrated for scorecard-1.0: approve up to a 2% probability of default, refer up to 7%.
  version: 'decision-2026.11.2',
  approveThreshold: 600,
  referThreshold: 560,
  minimumLimit: '10000.00',
};

export interface DecisionInput {
  identity: IdentityResult;
  /** The version of the feature vector the score was computed from. */
  featuresVersion: string;
  screening: ScreeningResult;
  score: ScoreResult;
  pricing: Pricing;
  policy?: DecisionPolicy;
}

/**
 * Hard rules first, then the score: any DECLINE signal declines, any REFER signal refers,
 * and only a clean file is decided on its score and limit. Every outcome carries the
 * reasons that produced it; an APPROVE carries none.
 */
export function decide({
  identity,
  featuresVersion,
  screening,
  score,
  pricing,
  policy = DECISION_POLICY,
}: DecisionInput): Decision {
  const versions = {
    versions: {
      identityPolicy: identity.policyVersion,
      accessPolicy: screening.policyVersion,
      features: featuresVersion,
      model: score.modelVersion,
      lpr: pricing.lprVersion,
      pricingPolicy: pricing.policyVersion,
      decisionPolicy: policy.version,
    },
  };
  const offer = { limit: pricing.limit, annualRate: pricing.annualRate, termMonths: pricing.termMonths };
  const signals = [...identity.signals, ...screening.failedRules];

  const declines = signals.filter((signal) => signal.severity === 'DECLINE');
  if (declines.length > 0) return { outcome: 'DECLINE', reasons: declines.map(toReason), ...versions };

  const refers = signals.filter((signal) => signal.severity === 'REFER');
  if (refers.length > 0) return { outcome: 'REFER', reasons: refers.map(toReason), ...offer, ...versions };

  if (score.score >= policy.approveThreshold) {
    if (Money.parse(pricing.limit).compare(Money.parse(policy.minimumLimit)) >= 0) {
      return { outcome: 'APPROVE', reasons: [], ...offer, ...versions };
    }
    const belowMinimum: Reason = {
      code: 'LIMIT_BELOW_MINIMUM',
      customerMessage: 'Based on your current sales and borrowing we cannot offer the minimum amount.',
      detail: `limit ${pricing.limit} below the minimum ${policy.minimumLimit}`,
    };
    return { outcome: 'DECLINE', reasons: [belowMinimum], ...versions };
  }

  if (score.score >= policy.referThreshold) {
    const review: Reason = {
      code: 'SCORE_REVIEW',
      customerMessage: 'Your application needs a review by our staff; we will be in touch shortly.',
      detail: `score ${score.score} in the review band [${policy.referThreshold}, ${policy.approveThreshold})`,
    };
    return { outcome: 'REFER', reasons: [review, ...score.reasons], ...offer, ...versions };
  }

  const tooLow: Reason = {
    code: 'SCORE_TOO_LOW',
    customerMessage: 'We are unable to offer credit at this time.',
    detail: `score ${score.score} below ${policy.referThreshold}`,
  };
  return { outcome: 'DECLINE', reasons: [tooLow, ...score.reasons], ...versions };
}

function toReason({ code, customerMessage, detail }: Signal): Reason {
  return { code, customerMessage, detail };
}
