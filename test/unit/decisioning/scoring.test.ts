import { describe, expect, it } from 'vitest';
import { SCORECARD_MODEL, scoreEnterprise } from '../../../shared/domain/decisioning/scoring.js';
import type { Features } from '../../../shared/domain/decisioning/types.js';
import { scalingConstants } from '../../../shared/domain/scorecard/index.js';

/** A sound file: seven years old, 6 million of steady, growing sales, little debt, clean records, grade A, wholesale. */
function features(
  overrides: Partial<Features['values']> = {},
  categories: Features['categories'] = {},
): Features {
  return {
    version: 'features-2',
    values: {
      monthsSinceEstablishment: 86,
      verifiedRevenue12m: 6_000_000,
      revenueGrowth: 0.08,
      revenueVolatility: 0.1,
      debtToRevenue: 0.1,
      inquiriesLast3Months: 1,
      overdueAccounts: 0,
      casesAsDefendant: 0,
      ...overrides,
    },
    categories: { taxGrade: 'A', industry: 'F', ...categories },
  };
}

describe('scoreEnterprise (the trained scorecard-1.0)', () => {
  it('scores with the shipped model and states its version', () => {
    const result = scoreEnterprise(features());
    expect(result.modelVersion).toBe('scorecard-1.0');
    expect(Number.isInteger(result.score)).toBe(true);
  });

  it('reads the probability of default off the scale: odds double every pointsToDoubleOdds points', () => {
    const { factor, offset } = scalingConstants(SCORECARD_MODEL);
    const result = scoreEnterprise(features());
    // score = offset + factor·ln(odds)  =>  PD = 1 / (1 + exp((score − offset) / factor))
    const expected = 1 / (1 + Math.exp((result.score - offset) / factor));
    expect(result.probabilityOfDefault).toBe(expected.toFixed(4));
  });

  it.each([
    ['a young business', { monthsSinceEstablishment: 14 }, {}, 'SCORE_BUSINESS_AGE'],
    ['overdue accounts elsewhere', { overdueAccounts: 2 }, {}, 'SCORE_REPAYMENT_HISTORY'],
    ['heavy debt', { debtToRevenue: 1.4 }, {}, 'SCORE_DEBT_BURDEN'],
    ['a weak tax grade', {}, { taxGrade: 'C' }, 'SCORE_TAX_GRADE'],
  ])('scores %s lower and names it among the reasons', (_, values, categories, code) => {
    const sound = scoreEnterprise(features());
    const weaker = scoreEnterprise(features(values, categories));
    expect(weaker.score).toBeLessThan(sound.score);
    expect(Number(weaker.probabilityOfDefault)).toBeGreaterThan(Number(sound.probabilityOfDefault));
    expect(weaker.reasons.map((r) => r.code)).toContain(code);
  });

  it('gives at most three reasons, each with a customer message and the bin for staff', () => {
    const result = scoreEnterprise(
      features({ monthsSinceEstablishment: 14, debtToRevenue: 1.4, overdueAccounts: 2 }, { taxGrade: 'C' }),
    );
    expect(result.reasons).toHaveLength(3);
    for (const reason of result.reasons) {
      expect(reason.customerMessage).not.toMatch(/bin|points/);
      expect(reason.detail).toMatch(/points/);
    }
  });

  it('tells the customer when a missing source cost points', () => {
    const result = scoreEnterprise(features({ monthsSinceEstablishment: null, verifiedRevenue12m: null }));
    const missing = result.reasons.filter((r) => r.detail.includes('missing'));
    expect(missing.length).toBeGreaterThan(0);
    expect(missing[0]?.customerMessage).toBe('Some information about your business was not available to us.');
  });

  it('is deterministic', () => {
    expect(scoreEnterprise(features())).toEqual(scoreEnterprise(features()));
  });
});
