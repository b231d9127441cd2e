import { describe, expect, it } from 'vitest';
import type { FeatureName } from '../../../shared/domain/decisioning/features.js';
import { SCORECARD, scoreEnterprise } from '../../../shared/domain/decisioning/scoring.js';
import type { Features } from '../../../shared/domain/decisioning/types.js';

function features(values: Partial<Record<FeatureName, number | null>>): Features {
  return { version: 'features-1', values };
}

const HEALTHY = {
  monthsSinceEstablishment: 86,
  verifiedRevenue12m: 6_000_000,
  revenueVolatility: 0,
  debtToRevenue: 0.1,
  inquiriesLast3Months: 1,
  revenueGrowth: 0,
};

describe('scoreEnterprise', () => {
  it('adds the base points and one bin per characteristic', () => {
    // 450 base + 40 (86 months) + 30 (6.0m) + 35 (volatility 0) + 30 (debt 0.10) + 25 (1 inquiry) + 25 (growth 0) = 635.
    // odds = 50 × 2^((635 − 600) / 20) = 50 × 3.3636 = 168.18; PD = 1 / 169.18 = 0.0059.
    const result = scoreEnterprise(features(HEALTHY));
    expect(result).toMatchObject({
      modelVersion: 'scorecard-0.1',
      score: 635,
      probabilityOfDefault: '0.0059',
    });
  });

  it('puts 600 points at odds of 50:1, PD 1/51 = 0.0196', () => {
    // 450 + 30 (45 months) + 15 (2.0m) + 25 (volatility 0.2) + 30 (debt 0.2) + 25 (no inquiry) + 25 (growth 0.1) = 600.
    const result = scoreEnterprise(
      features({
        monthsSinceEstablishment: 45,
        verifiedRevenue12m: 2_000_000,
        revenueVolatility: 0.2,
        debtToRevenue: 0.2,
        inquiriesLast3Months: 0,
        revenueGrowth: 0.1,
      }),
    );
    expect(result.score).toBe(600);
    expect(result.probabilityOfDefault).toBe('0.0196');
  });

  it('doubles the odds every 20 points: the best file (665) has odds 50 × 2^3.25 = 475.7, PD 0.0021', () => {
    const result = scoreEnterprise(
      features({
        ...HEALTHY,
        monthsSinceEstablishment: 120,
        verifiedRevenue12m: 50_000_000,
        debtToRevenue: 0,
        revenueGrowth: 0.1,
      }),
    );
    expect(result).toMatchObject({ score: 665, probabilityOfDefault: '0.0021', reasons: [] });
  });

  it('gives the three characteristics that lost most points against their best bin as reasons', () => {
    // Lost: revenue 45 − 30 = 15, debt 40 − 30 = 10, age 45 − 40 = 5; volatility, inquiries, growth lost nothing.
    const { reasons } = scoreEnterprise(features(HEALTHY));
    expect(reasons).toEqual([
      {
        code: 'SCORE_REVENUE_SIZE',
        customerMessage: 'Your verified annual sales are limited.',
        detail: 'verifiedRevenue12m = 6000000: 30 of 45 points',
      },
      {
        code: 'SCORE_DEBT_BURDEN',
        customerMessage: 'Your existing borrowing is high compared with your sales.',
        detail: 'debtToRevenue = 0.1: 30 of 40 points',
      },
      {
        code: 'SCORE_BUSINESS_AGE',
        customerMessage: 'Your business has a limited operating history.',
        detail: 'monthsSinceEstablishment = 86: 40 of 45 points',
      },
    ]);
  });

  it('scores missing features at their missing points and says so to the customer', () => {
    // 450 + 0 + 0 + 5 + 10 + 5 + 8 = 478; lost: age 45, revenue 45, volatility 30, debt 30 (scorecard order breaks the tie).
    const result = scoreEnterprise(features({}));
    expect(result.score).toBe(478);
    expect(result.reasons.map((reason) => reason.code)).toEqual([
      'SCORE_BUSINESS_AGE',
      'SCORE_REVENUE_SIZE',
      'SCORE_REVENUE_VOLATILITY',
    ]);
    expect(result.reasons[0]).toMatchObject({
      customerMessage: 'Some information about your business was not available to us.',
      detail: 'monthsSinceEstablishment = missing: 0 of 45 points',
    });
  });

  // Each row sets one feature on an otherwise empty file (478 points with every feature missing).
  describe.each<{ feature: FeatureName; value: number; points: number }>([
    { feature: 'monthsSinceEstablishment', value: 23, points: 0 },
    { feature: 'monthsSinceEstablishment', value: 24, points: 15 },
    { feature: 'monthsSinceEstablishment', value: 59, points: 30 },
    { feature: 'monthsSinceEstablishment', value: 60, points: 40 },
    { feature: 'monthsSinceEstablishment', value: 120, points: 45 },
    { feature: 'verifiedRevenue12m', value: 999_999, points: 0 },
    { feature: 'verifiedRevenue12m', value: 1_000_000, points: 15 },
    { feature: 'verifiedRevenue12m', value: 10_000_000, points: 40 },
    { feature: 'verifiedRevenue12m', value: 50_000_000, points: 45 },
    { feature: 'revenueVolatility', value: 0.1499, points: 35 },
    { feature: 'revenueVolatility', value: 0.15, points: 25 },
    { feature: 'revenueVolatility', value: 0.5, points: 0 },
    { feature: 'debtToRevenue', value: 0, points: 40 },
    { feature: 'debtToRevenue', value: 0.3, points: 15 },
    { feature: 'debtToRevenue', value: 0.5, points: 0 },
    { feature: 'inquiriesLast3Months', value: 1, points: 25 },
    { feature: 'inquiriesLast3Months', value: 2, points: 18 },
    { feature: 'inquiriesLast3Months', value: 4, points: 5 },
    { feature: 'inquiriesLast3Months', value: 7, points: 0 },
    { feature: 'revenueGrowth', value: -0.2, points: 12 },
    { feature: 'revenueGrowth', value: -0.2001, points: 0 },
    { feature: 'revenueGrowth', value: 0, points: 25 },
    { feature: 'revenueGrowth', value: 0.3, points: 20 },
  ])('$feature = $value', ({ feature, value, points }) => {
    it(`earns ${points} points`, () => {
      const missing = SCORECARD.characteristics.find((c) => c.feature === feature)?.missingPoints ?? 0;
      expect(scoreEnterprise(features({ [feature]: value })).score).toBe(478 - missing + points);
    });
  });
});
