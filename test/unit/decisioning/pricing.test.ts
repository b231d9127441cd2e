import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PRICING_POLICY,
  priceAndLimit,
  pricingPolicySchema,
} from '../../../shared/domain/decisioning/pricing.js';
import type { Features, MoneyFeatures, ScoreResult } from '../../../shared/domain/decisioning/types.js';
import { ValidationError } from '../../../shared/domain/errors.js';
import { Money } from '../../../shared/domain/money.js';
import { AS_OF, applicant } from './builders.js';

function features(
  verifiedRevenue12m: string | null,
  outstandingDebt: string | null,
  more: Partial<MoneyFeatures> = {},
): Features {
  return {
    version: 'features-3',
    asOf: AS_OF,
    values: {},
    amounts: { verifiedRevenue12m, outstandingDebt, ...more },
  };
}

function score(probabilityOfDefault: string): ScoreResult {
  return { modelVersion: 'scorecard-0.1', score: 635, probabilityOfDefault, reasons: [] };
}

describe('priceAndLimit: rate', () => {
  it.each([
    // LPR 300 (lpr-2026-10, in force on 2026-11-15) + ceil(PD × 4500) + 150.
    { pd: '0.0059', rate: '0.0477', why: '59 × 0.45 = 26.55 -> 27 bp; 300 + 27 + 150 = 477' },
    { pd: '0.0196', rate: '0.0539', why: '196 × 0.45 = 88.2 -> 89 bp; 300 + 89 + 150 = 539' },
    { pd: '0.0001', rate: '0.0451', why: '0.45 bp rounds up to 1; 300 + 1 + 150 = 451' },
    { pd: '0.0000', rate: '0.0450', why: 'no expected loss: 300 + 0 + 150 = 450' },
    { pd: '0.2000', rate: '0.1350', why: '2000 × 0.45 = 900 bp; 300 + 900 + 150 = 1350' },
    { pd: '0.6035', rate: '0.1800', why: '2716 bp of expected loss: capped at 1800' },
  ])('PD $pd prices at $rate ($why)', ({ pd, rate }) => {
    const pricing = priceAndLimit({
      applicant: applicant(),
      features: features('6000000.00', '0.00'),
      score: score(pd),
    });
    expect(pricing.annualRate).toBe(rate);
    expect(pricing.lprVersion).toBe('lpr-2026-10');
  });

  it('shows staff how the rate was built', () => {
    const pricing = priceAndLimit({
      applicant: applicant(),
      features: features('6000000.00', '0.00'),
      score: score('0.0081'),
    });
    expect(pricing.rate).toEqual({
      lprBasisPoints: 300,
      expectedLossBasisPoints: 37, // ceil(81 × 4500 / 10000) = ceil(36.45)
      costAndMarginBasisPoints: 150,
      rateBasisPoints: 487,
    });
  });

  it('never goes under the floor: with an LPR of 1.00%, 100 + 0 + 150 = 250 bp is raised to 350', () => {
    const pricing = priceAndLimit({
      applicant: applicant(),
      features: features('6000000.00', '0.00'),
      score: score('0.0000'),
      lprTable: [{ version: 'lpr-2026-01', effectiveOn: '2026-01-20', oneYearBasisPoints: 100 }],
    });
    expect(pricing).toMatchObject({ annualRate: '0.0350', lprVersion: 'lpr-2026-01' });
  });

  it('refuses a probability without four decimals', () => {
    expect(() =>
      priceAndLimit({
        applicant: applicant(),
        features: features('6000000.00', '0.00'),
        score: score('0.02'),
      }),
    ).toThrow(ValidationError);
  });
});

describe('priceAndLimit: the LPR fixing in force on the decision date', () => {
  const table = [
    { version: 'lpr-2025-05', effectiveOn: '2025-05-20', oneYearBasisPoints: 300 },
    { version: 'lpr-2026-12', effectiveOn: '2026-12-21', oneYearBasisPoints: 290 },
  ];

  it.each([
    { asOf: '2026-12-20', lpr: 'lpr-2025-05', rate: '0.0477', why: 'the day before the new fixing' },
    {
      asOf: '2026-12-21',
      lpr: 'lpr-2026-12',
      rate: '0.0467',
      why: 'the day it is published: 290 + 27 + 150',
    },
    { asOf: '2027-03-01', lpr: 'lpr-2026-12', rate: '0.0467', why: 'until the next one' },
  ])('$asOf prices with $lpr ($why)', ({ asOf, lpr, rate }) => {
    const pricing = priceAndLimit({
      applicant: applicant(),
      features: features('6000000.00', '0.00'),
      score: score('0.0059'),
      asOf,
      lprTable: table,
    });
    expect(pricing).toMatchObject({ lprVersion: lpr, annualRate: rate });
  });

  it('takes the date from the features when the stage does not pass one', () => {
    const pricing = priceAndLimit({
      applicant: applicant(),
      features: { ...features('6000000.00', '0.00'), asOf: '2027-01-04' },
      score: score('0.0059'),
      lprTable: table,
    });
    expect(pricing.lprVersion).toBe('lpr-2026-12');
  });

  it('refuses to price before the table starts, or without a date at all', () => {
    const args = { applicant: applicant(), score: score('0.0059'), lprTable: table };
    expect(() =>
      priceAndLimit({ ...args, features: features('6000000.00', '0.00'), asOf: '2025-05-19' }),
    ).toThrow('no LPR fixing in force on 2025-05-19');
    const { asOf: _, ...undated } = features('6000000.00', '0.00');
    expect(() => priceAndLimit({ ...args, features: undated })).toThrow(ValidationError);
  });
});

describe('priceAndLimit: limit', () => {
  it.each([
    {
      name: '30% of revenue binds',
      revenue: '6000000.00',
      debt: '600000.00',
      requested: '2000000.00',
      limit: '1800000.00', // min(10m, 1.8m, 2.0m, 3.0m − 0.6m = 2.4m)
    },
    {
      name: 'rounded down to the thousand',
      revenue: '5964546.37',
      debt: '0.00',
      requested: '2000000.00',
      limit: '1789000.00', // 30% = 1,789,363.91
    },
    {
      name: 'the request binds',
      revenue: '6000000.00',
      debt: '600000.00',
      requested: '500000.00',
      limit: '500000.00',
    },
    {
      name: 'debt capacity binds',
      revenue: '6000000.00',
      debt: '2100000.00',
      requested: '2000000.00',
      limit: '900000.00', // 50% = 3.0m − 2.1m
    },
    {
      name: 'debt beyond capacity leaves nothing',
      revenue: '6000000.00',
      debt: '3500000.00',
      requested: '2000000.00',
      limit: '0.00',
    },
    {
      name: 'the 10 million inclusive-finance cap binds',
      revenue: '60000000.00',
      debt: '5000000.00',
      requested: '12000000.00',
      limit: '10000000.00', // min(10m, 18m, 12m, 25m)
    },
    {
      name: 'no verified revenue, no limit',
      revenue: null,
      debt: '0.00',
      requested: '500000.00',
      limit: '0.00',
    },
    {
      name: 'unreported debt counts as none',
      revenue: '6000000.00',
      debt: null,
      requested: '2000000.00',
      limit: '1800000.00',
    },
  ])('$name: $limit', ({ revenue, debt, requested, limit }) => {
    const pricing = priceAndLimit({
      applicant: applicant({ requestedAmount: requested }),
      features: features(revenue, debt),
      score: score('0.0059'),
    });
    expect(pricing.limit).toBe(limit);
  });

  it('keeps every cap and names the one that bound, for staff', () => {
    // 6m of sales, 150,000 of tax paid, 600,000 owed and 400,000 of lines undrawn elsewhere.
    const pricing = priceAndLimit({
      applicant: applicant({ requestedAmount: '2000000.00' }),
      features: features('6000000.00', '600000.00', {
        taxPaid12m: '150000.00',
        undrawnCreditLines: '400000.00',
      }),
      score: score('0.0059'),
    });
    expect(pricing.limitCaps).toEqual({
      productCap: '10000000.00',
      revenueShare: '1800000.00', // 30% of 6m
      taxMultiple: '1500000.00', // 10 × 150,000
      requested: '2000000.00',
      debtCapacity: '2200000.00', // 50% of 6m − 600,000 − 50% of 400,000
      binding: 'TAX_MULTIPLE',
    });
    expect(pricing.limit).toBe('1500000.00');
  });

  it.each([
    {
      taxPaid: '210000.00',
      limit: '1800000.00',
      binding: 'REVENUE_SHARE',
      why: '10 × 210,000 = 2.1m > 1.8m',
    },
    {
      taxPaid: '180000.00',
      limit: '1800000.00',
      binding: 'REVENUE_SHARE',
      why: 'a tie at 1.8m: the revenue share is named',
    },
    {
      taxPaid: '123456.78',
      limit: '1234000.00',
      binding: 'TAX_MULTIPLE',
      why: '10 × 123,456.78 = 1,234,567.80',
    },
    { taxPaid: '0.00', limit: '0.00', binding: 'TAX_MULTIPLE', why: 'no tax paid, nothing to lend against' },
    {
      taxPaid: null,
      limit: '1800000.00',
      binding: 'REVENUE_SHARE',
      why: 'not reported: the cap is left out',
    },
  ] as const)('tax paid $taxPaid: $limit ($why)', ({ taxPaid, limit, binding }) => {
    const pricing = priceAndLimit({
      applicant: applicant({ requestedAmount: '2000000.00' }),
      features: features('6000000.00', '0.00', { taxPaid12m: taxPaid }),
      score: score('0.0059'),
    });
    expect(pricing.limit).toBe(limit);
    expect(pricing.limitCaps?.binding).toBe(binding);
    expect(pricing.limitCaps?.taxMultiple).toBe(
      taxPaid === null ? null : Money.parse(taxPaid).multiplyRatio(10n, 1n).toString(),
    );
  });

  it('counts half of the undrawn lines elsewhere as debt: 3.0m − 2.1m − 50% × 500,000 = 650,000', () => {
    const pricing = priceAndLimit({
      applicant: applicant({ requestedAmount: '2000000.00' }),
      features: features('6000000.00', '2100000.00', { undrawnCreditLines: '500000.00' }),
      score: score('0.0059'),
    });
    expect(pricing).toMatchObject({ limit: '650000.00', limitCaps: { binding: 'DEBT_CAPACITY' } });
  });

  it('is never above any cap and always a whole thousand', () => {
    const cents = (max: number) => fc.integer({ min: 0, max }).map((n) => Money.ofMinor(BigInt(n)));
    fc.assert(
      fc.property(
        cents(10_000_000_000),
        cents(10_000_000_000),
        cents(2_000_000_000),
        cents(100_000_000),
        cents(1_000_000_000),
        (revenue, debt, extra, taxPaid, undrawn) => {
          const requested = Money.parse('10000.00').add(extra);
          const pricing = priceAndLimit({
            applicant: applicant({ requestedAmount: requested.toString() }),
            features: features(revenue.toString(), debt.toString(), {
              taxPaid12m: taxPaid.toString(),
              undrawnCreditLines: undrawn.toString(),
            }),
            score: score('0.0100'),
          });
          const limit = Money.parse(pricing.limit);
          expect(limit.isNegative()).toBe(false);
          expect(limit.minor % 100_000n).toBe(0n);
          expect(limit.compare(requested)).toBeLessThanOrEqual(0);
          expect(limit.compare(revenue.multiplyRatio(3n, 10n))).toBeLessThanOrEqual(0);
          expect(limit.compare(Money.parse('10000000.00'))).toBeLessThanOrEqual(0);
          expect(limit.compare(taxPaid.multiplyRatio(10n, 1n))).toBeLessThanOrEqual(0);
          // Half of revenue less the debt and half the undrawn lines, each half rounded to the fen.
          const capacity = revenue
            .multiplyRatio(1n, 2n)
            .subtract(debt)
            .subtract(undrawn.multiplyRatio(1n, 2n));
          expect(limit.compare(Money.max(Money.zero(), capacity))).toBeLessThanOrEqual(0);
          // The binding cap is the smallest, and the limit is it rounded down to the thousand.
          const caps = pricing.limitCaps;
          if (!caps) throw new Error('no breakdown');
          const named = {
            PRODUCT_CAP: caps.productCap,
            REVENUE_SHARE: caps.revenueShare,
            TAX_MULTIPLE: caps.taxMultiple,
            REQUESTED: caps.requested,
            DEBT_CAPACITY: caps.debtCapacity,
          }[caps.binding];
          expect(named).not.toBeNull();
          expect(
            Money.parse(named ?? '0.00')
              .floorTo(Money.parse('1000.00'))
              .toString(),
          ).toBe(pricing.limit);
        },
      ),
    );
  });

  it('refuses a request of zero', () => {
    expect(() =>
      priceAndLimit({
        applicant: applicant({ requestedAmount: '0.00' }),
        features: features('6000000.00', '0.00'),
        score: score('0.0059'),
      }),
    ).toThrow('requestedAmount must be more than zero');
  });
});

describe('priceAndLimit: term', () => {
  it.each([
    { product: 'TERM_LOAN', asked: 24, term: 24 },
    { product: 'TERM_LOAN', asked: 48, term: 36 },
    { product: 'TERM_LOAN', asked: 1, term: 3 },
    { product: 'REVOLVING_LINE', asked: 6, term: 12 },
  ] as const)('$product asked for $asked months gets $term', ({ product, asked, term }) => {
    const pricing = priceAndLimit({
      applicant: applicant({ product, termMonths: asked }),
      features: features('6000000.00', '0.00'),
      score: score('0.0059'),
    });
    expect(pricing.termMonths).toBe(term);
  });
});

describe('the pricing policy', () => {
  it('is validated data: a floor above the cap or a zero tax multiple is refused', () => {
    expect(() => pricingPolicySchema.parse({ ...PRICING_POLICY, floorBasisPoints: 2_000 })).toThrow(
      'floorBasisPoints must not exceed capBasisPoints',
    );
    expect(() => pricingPolicySchema.parse({ ...PRICING_POLICY, taxPaidMultiple: 0 })).toThrow();
    expect(PRICING_POLICY.version).toBe('pricing-2026.12');
  });
});
