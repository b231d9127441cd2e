import { ValidationError } from '../errors.js';
import { Money } from '../money.js';
import { AnnualRate } from '../rate.js';
import type { Applicant, Features, Pricing, ScoreResult } from './types.js';

/**
 * The one-year Loan Prime Rate, published by the National Interbank Funding Center on the
 * 20th of each month; loans are priced as a spread over it (PBOC announcement [2019] No. 15).
 * Versioned so a decision records the fixing it used.
 */
export const LPR = { version: 'lpr-2026-10', oneYearBasisPoints: 300 } as const;

export interface PricingPolicy {
  version: string;
  lpr: { version: string; oneYearBasisPoints: number };
  /** Loss given default for unsecured SME credit, in basis points: 4500 = 45%, the Basel II foundation-IRB value for senior unsecured corporate claims (para. 287). */
  lossGivenDefaultBasisPoints: number;
  /** Funding, operating cost and target margin on top of the LPR and the expected loss. */
  costAndMarginBasisPoints: number;
  floorBasisPoints: number;
  capBasisPoints: number;
  /**
   * Ten million yuan: the per-enterprise credit ceiling in the regulator's definition of
   * inclusive small and micro enterprise loans (普惠型小微企业贷款, 单户授信总额1000万元及以下).
   */
  productCap: string;
  /** A limit above about a third of a year's sales is more than the business can turn over. */
  revenueShareBasisPoints: number;
  /** Total borrowing the enterprise can carry, as a share of annual sales, before this loan. */
  debtCapacityShareBasisPoints: number;
  /** Limits are offered in round thousands, rounded down. */
  limitStep: string;
  termLoanMonths: { min: number; max: number };
  revolvingLineMonths: number;
}

export const PRICING_POLICY: PricingPolicy = {
  version: 'pricing-2026.11',
  lpr: LPR,
  lossGivenDefaultBasisPoints: 4_500,
  costAndMarginBasisPoints: 150,
  floorBasisPoints: 350,
  capBasisPoints: 1_800,
  productCap: '10000000.00',
  revenueShareBasisPoints: 3_000,
  debtCapacityShareBasisPoints: 5_000,
  limitStep: '1000.00',
  termLoanMonths: { min: 3, max: 36 },
  revolvingLineMonths: 12,
};

export interface PricingInput {
  applicant: Applicant;
  features: Features;
  score: ScoreResult;
  policy?: PricingPolicy;
}

const BASIS_POINTS = 10_000n;

/**
 * Rate = LPR + ceil(PD × LGD) + cost and margin, clamped to [floor, cap]; the expected loss
 * is rounded up so the spread never undercharges the risk by a fraction of a basis point.
 *
 * Limit = the smallest of the product cap, a share of verified 12-month revenue, the amount
 * requested and the debt capacity left (a share of revenue minus debt at other lenders,
 * never below zero), rounded down to the limit step. The revenue and debt come from the
 * exact amounts in `features.amounts`; with no verified revenue there is no limit. Debt the
 * bureau did not report counts as zero here: screening has already referred such a case.
 */
export function priceAndLimit({
  applicant,
  features,
  score,
  policy = PRICING_POLICY,
}: PricingInput): Pricing {
  const expectedLossBasisPoints = ceilDivide(
    probabilityInTenThousandths(score.probabilityOfDefault) * BigInt(policy.lossGivenDefaultBasisPoints),
    BASIS_POINTS,
  );
  const rateBasisPoints = Math.min(
    policy.capBasisPoints,
    Math.max(
      policy.floorBasisPoints,
      policy.lpr.oneYearBasisPoints + Number(expectedLossBasisPoints) + policy.costAndMarginBasisPoints,
    ),
  );

  const revenueAmount = features.amounts?.verifiedRevenue12m;
  const debtAmount = features.amounts?.outstandingDebt;
  const revenue = revenueAmount
    ? Money.parse(revenueAmount, 'CNY', 'features.amounts.verifiedRevenue12m')
    : Money.zero();
  const debt = debtAmount ? Money.parse(debtAmount, 'CNY', 'features.amounts.outstandingDebt') : Money.zero();
  const debtCapacity = Money.max(
    Money.zero(),
    revenue.multiplyRatio(BigInt(policy.debtCapacityShareBasisPoints), BASIS_POINTS).subtract(debt),
  );
  const requested = Money.parse(applicant.requestedAmount, 'CNY', 'requestedAmount');
  if (requested.isNegative() || requested.isZero()) {
    throw new ValidationError('requestedAmount must be more than zero', 'requestedAmount');
  }
  const limit = Money.min(
    Money.parse(policy.productCap),
    revenue.multiplyRatio(BigInt(policy.revenueShareBasisPoints), BASIS_POINTS),
    requested,
    debtCapacity,
  ).floorTo(Money.parse(policy.limitStep));

  const termMonths =
    applicant.product === 'REVOLVING_LINE'
      ? policy.revolvingLineMonths
      : Math.min(policy.termLoanMonths.max, Math.max(policy.termLoanMonths.min, applicant.termMonths));

  return {
    policyVersion: policy.version,
    lprVersion: policy.lpr.version,
    annualRate: AnnualRate.ofBasisPoints(rateBasisPoints).toString(),
    // Net sales after red-letter reversals can in principle be negative; the limit cannot.
    limit: Money.max(Money.zero(), limit).toString(),
    termMonths,
  };
}

/** "0.0312" -> 312n: the probability of default exactly, in units of 0.0001. */
function probabilityInTenThousandths(probability: string): bigint {
  const match = /^([01])\.(\d{4})$/.exec(probability);
  if (!match)
    throw new ValidationError(
      `probabilityOfDefault must have 4 decimals, got ${probability}`,
      'probabilityOfDefault',
    );
  return BigInt(match[1] ?? '0') * BASIS_POINTS + BigInt(match[2] ?? '0');
}

function ceilDivide(numerator: bigint, denominator: bigint): bigint {
  return (numerator + denominator - 1n) / denominator;
}
