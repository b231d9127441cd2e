import * as z from 'zod';
import { ValidationError } from '../errors.js';
import { Money } from '../money.js';
import { AnnualRate } from '../rate.js';
import { LPR_TABLE, type LprFixing, lprOn } from './lpr.js';
import type { Applicant, Features, LimitBreakdown, LimitCap, Pricing, ScoreResult } from './types.js';

const amount = z.string().regex(/^\d{1,13}\.\d{2}$/, 'a decimal amount with two decimals');
const basisPoints = z.int().min(0).max(100_000);

/**
 * The bank's pricing and limit policy as versioned data, validated when the module loads.
 * The LPR is not in it: the fixing in force on the decision date comes from the LPR table
 * (lpr.ts), and its own version is stamped on the decision.
 */
export const pricingPolicySchema = z
  .object({
    version: z.string().regex(/^pricing-\d{4}\.\d{2}$/),
    /** Loss given default for unsecured SME credit, in basis points: 4500 = 45%, the Basel II foundation-IRB value for senior unsecured corporate claims (para. 287). */
    lossGivenDefaultBasisPoints: basisPoints.max(10_000),
    /** Funding, operating cost and target margin on top of the LPR and the expected loss. */
    costAndMarginBasisPoints: basisPoints,
    floorBasisPoints: basisPoints,
    capBasisPoints: basisPoints,
    /**
     * Ten million yuan: the per-enterprise credit ceiling in the regulator's definition of
     * inclusive small and micro enterprise loans (普惠型小微企业贷款, 单户授信总额1000万元及以下).
     */
    productCap: amount,
    /** A limit above about a third of a year's sales is more than the business can turn over. */
    revenueShareBasisPoints: basisPoints,
    /**
     * Lend at most this many times the tax paid in the last 12 months, as bank-tax (银税互动)
     * loans are sized: tax actually paid is the hardest revenue evidence to fake, since faking it
     * costs the tax. 10 with a 30% revenue share makes the two caps meet at a 3% tax burden: an
     * enterprise that pays less tax than that on its declared sales is lent against the tax it pays.
     */
    taxPaidMultiple: z.int().positive(),
    /** Total borrowing the enterprise can carry, as a share of annual sales, before this loan. */
    debtCapacityShareBasisPoints: basisPoints,
    /**
     * Undrawn credit lines at other institutions can be drawn tomorrow, so part of them counts
     * as debt against the capacity: 5000 = half, the credit conversion factor the Basel II
     * standardised approach gives commitments with an original maturity of over a year.
     */
    undrawnCreditLineShareBasisPoints: basisPoints.max(10_000),
    /** Limits are offered in round thousands, rounded down. */
    limitStep: amount,
    termLoanMonths: z.object({ min: z.int().positive(), max: z.int().positive() }),
    revolvingLineMonths: z.int().positive(),
  })
  .refine((policy) => policy.floorBasisPoints <= policy.capBasisPoints, {
    message: 'floorBasisPoints must not exceed capBasisPoints',
  })
  .refine((policy) => policy.termLoanMonths.min <= policy.termLoanMonths.max, {
    message: 'termLoanMonths.min must not exceed termLoanMonths.max',
  });

export type PricingPolicy = z.infer<typeof pricingPolicySchema>;

export const PRICING_POLICY: PricingPolicy = pricingPolicySchema.parse({
  version: 'pricing-2026.12',
  lossGivenDefaultBasisPoints: 4_500,
  costAndMarginBasisPoints: 150,
  floorBasisPoints: 350,
  capBasisPoints: 1_800,
  productCap: '10000000.00',
  revenueShareBasisPoints: 3_000,
  taxPaidMultiple: 10,
  debtCapacityShareBasisPoints: 5_000,
  undrawnCreditLineShareBasisPoints: 5_000,
  limitStep: '1000.00',
  termLoanMonths: { min: 3, max: 36 },
  revolvingLineMonths: 12,
});

export interface PricingInput {
  applicant: Applicant;
  features: Features;
  score: ScoreResult;
  /** The decision's business date, which picks the LPR fixing; by default the date the features describe. */
  asOf?: string;
  policy?: PricingPolicy;
  lprTable?: readonly LprFixing[];
}

const BASIS_POINTS = 10_000n;

/**
 * Rate = LPR + ceil(PD × LGD) + cost and margin, clamped to [floor, cap]; the expected loss
 * is rounded up so the spread never undercharges the risk by a fraction of a basis point.
 * The LPR is the fixing in force on the decision date.
 *
 * Limit = the smallest of the product cap, a share of verified 12-month revenue, a multiple
 * of the tax paid over the same months, the amount requested and the debt capacity left (a
 * share of revenue minus debt at other lenders and part of their undrawn lines, never below
 * zero), rounded down to the limit step. Every cap is kept, with the one that bound, so staff
 * can see why the limit is what it is. The amounts come from `features.amounts`; with no
 * verified revenue there is no limit. Debt the bureau did not report counts as zero here:
 * screening has already referred such a case. A record without tax paid (a snapshot from
 * before features-3, a vendor that does not report it) leaves the tax cap out.
 */
export function priceAndLimit({
  applicant,
  features,
  score,
  asOf = features.asOf,
  policy = PRICING_POLICY,
  lprTable = LPR_TABLE,
}: PricingInput): Pricing {
  if (asOf === undefined) {
    throw new ValidationError('pricing needs the decision date to choose the LPR fixing', 'asOf');
  }
  const lpr = lprOn(asOf, lprTable);
  const expectedLossBasisPoints = Number(
    ceilDivide(
      probabilityInTenThousandths(score.probabilityOfDefault) * BigInt(policy.lossGivenDefaultBasisPoints),
      BASIS_POINTS,
    ),
  );
  const rateBasisPoints = Math.min(
    policy.capBasisPoints,
    Math.max(
      policy.floorBasisPoints,
      lpr.oneYearBasisPoints + expectedLossBasisPoints + policy.costAndMarginBasisPoints,
    ),
  );

  const requested = Money.parse(applicant.requestedAmount, 'CNY', 'requestedAmount');
  if (requested.isNegative() || requested.isZero()) {
    throw new ValidationError('requestedAmount must be more than zero', 'requestedAmount');
  }
  const limitCaps = limitCapsOf(features, requested, policy);
  const binding = bindingCap(limitCaps);
  // Net sales after red-letter reversals can in principle be negative; the limit cannot.
  const limit = Money.max(Money.zero(), binding.amount.floorTo(Money.parse(policy.limitStep)));

  const termMonths =
    applicant.product === 'REVOLVING_LINE'
      ? policy.revolvingLineMonths
      : Math.min(policy.termLoanMonths.max, Math.max(policy.termLoanMonths.min, applicant.termMonths));

  return {
    policyVersion: policy.version,
    lprVersion: lpr.version,
    annualRate: AnnualRate.ofBasisPoints(rateBasisPoints).toString(),
    limit: limit.toString(),
    termMonths,
    rate: {
      lprBasisPoints: lpr.oneYearBasisPoints,
      expectedLossBasisPoints,
      costAndMarginBasisPoints: policy.costAndMarginBasisPoints,
      rateBasisPoints,
    },
    limitCaps: {
      productCap: limitCaps.productCap.toString(),
      revenueShare: limitCaps.revenueShare.toString(),
      taxMultiple: limitCaps.taxMultiple?.toString() ?? null,
      requested: limitCaps.requested.toString(),
      debtCapacity: limitCaps.debtCapacity.toString(),
      binding: binding.cap,
    } satisfies LimitBreakdown,
  };
}

interface Caps {
  productCap: Money;
  revenueShare: Money;
  taxMultiple: Money | null;
  requested: Money;
  debtCapacity: Money;
}

function limitCapsOf(features: Features, requested: Money, policy: PricingPolicy): Caps {
  const money = (value: string | null | undefined, field: keyof NonNullable<Features['amounts']>) =>
    value ? Money.parse(value, 'CNY', `features.amounts.${field}`) : null;
  const revenue = money(features.amounts?.verifiedRevenue12m, 'verifiedRevenue12m') ?? Money.zero();
  const debt = money(features.amounts?.outstandingDebt, 'outstandingDebt') ?? Money.zero();
  const taxPaid = money(features.amounts?.taxPaid12m, 'taxPaid12m');
  const undrawn = money(features.amounts?.undrawnCreditLines, 'undrawnCreditLines') ?? Money.zero();
  const share = (of: Money, basisPoints: number) => of.multiplyRatio(BigInt(basisPoints), BASIS_POINTS);
  return {
    productCap: Money.parse(policy.productCap),
    revenueShare: share(revenue, policy.revenueShareBasisPoints),
    taxMultiple: taxPaid ? taxPaid.multiplyRatio(BigInt(policy.taxPaidMultiple), 1n) : null,
    requested,
    debtCapacity: Money.max(
      Money.zero(),
      share(revenue, policy.debtCapacityShareBasisPoints)
        .subtract(debt)
        .subtract(share(undrawn, policy.undrawnCreditLineShareBasisPoints)),
    ),
  };
}

/** The smallest cap; on a tie the first in the order of the breakdown. */
function bindingCap(caps: Caps): { cap: LimitCap; amount: Money } {
  const candidates: [LimitCap, Money | null][] = [
    ['PRODUCT_CAP', caps.productCap],
    ['REVENUE_SHARE', caps.revenueShare],
    ['TAX_MULTIPLE', caps.taxMultiple],
    ['REQUESTED', caps.requested],
    ['DEBT_CAPACITY', caps.debtCapacity],
  ];
  let smallest = { cap: 'PRODUCT_CAP' as LimitCap, amount: caps.productCap };
  for (const [cap, amount] of candidates) {
    if (amount && amount.compare(smallest.amount) < 0) smallest = { cap, amount };
  }
  return smallest;
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
