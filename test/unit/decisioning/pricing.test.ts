import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRICING_POLICY, priceAndLimit } from '../../../shared/domain/decisioning/pricing.js';
import type { Features, ScoreResult } from '../../../shared/domain/decisioning/types.js';
import { ValidationError } from '../../../shared/domain/errors.js';
import { Money } from '../../../shared/domain/money.js';
import { applicant } from './builders.js';

function features(verifiedRevenue12m: string | null, outstandingDebt: string | null): Features {
  return { version: 'features-1', values: {}, amounts: { verifiedRevenue12m, outstandingDebt } };
}

function score(probabilityOfDefault: string): ScoreResult {
  return { modelVersion: 'scorecard-0.1', score: 635, probabilityOfDefault, reasons: [] };
}

describe('priceAndLimit: rate', () => {
  it.each([
    // LPR 300 + ceil(PD × 4500) + 150.
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

  it('never goes under the floor: with an LPR of 1.00%, 100 + 0 + 150 = 250 bp is raised to 350', () => {
    const policy = { ...PRICING_POLICY, lpr: { version: 'lpr-test', oneYearBasisPoints: 100 } };
    const pricing = priceAndLimit({
      applicant: applicant(),
      features: features('6000000.00', '0.00'),
      score: score('0.0000'),
      policy,
    });
    expect(pricing).toMatchObject({ annualRate: '0.0350', lprVersion: 'lpr-test' });
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

  it('is never above any cap and always a whole thousand', () => {
    const cents = (max: number) => fc.integer({ min: 0, max }).map((n) => Money.ofMinor(BigInt(n)));
    fc.assert(
      fc.property(
        cents(10_000_000_000),
        cents(10_000_000_000),
        cents(2_000_000_000),
        (revenue, debt, extra) => {
          const requested = Money.parse('10000.00').add(extra);
          const pricing = priceAndLimit({
            applicant: applicant({ requestedAmount: requested.toString() }),
            features: features(revenue.toString(), debt.toString()),
            score: score('0.0100'),
          });
          const limit = Money.parse(pricing.limit);
          expect(limit.isNegative()).toBe(false);
          expect(limit.minor % 100_000n).toBe(0n);
          expect(limit.compare(requested)).toBeLessThanOrEqual(0);
          expect(limit.compare(revenue.multiplyRatio(3n, 10n))).toBeLessThanOrEqual(0);
          expect(limit.compare(Money.parse('10000000.00'))).toBeLessThanOrEqual(0);
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
