import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ALLOCATION_ORDER,
  SERVICING_TERMS,
  ServicingTermsSchema,
} from '../../../shared/domain/servicing/index.js';

const valid = {
  version: 'test',
  dayCount: 'ACT_360',
  penaltyMultiple: '1.5',
  compoundOverdueInterest: false,
  allocationOrder: [...DEFAULT_ALLOCATION_ORDER],
};

describe('servicing terms', () => {
  it('ships a penalty of 1.5 times the rate, no compounding, and the default order for every product', () => {
    for (const terms of Object.values(SERVICING_TERMS)) {
      expect(terms).toMatchObject({
        penaltyMultiple: '1.5',
        compoundOverdueInterest: false,
        dayCount: 'ACT_360',
      });
      expect(terms.allocationOrder).toEqual(DEFAULT_ALLOCATION_ORDER);
    }
  });

  it.each([
    ['an order missing a bucket', { allocationOrder: DEFAULT_ALLOCATION_ORDER.slice(1) }, 'allocationOrder'],
    [
      'an order naming a bucket twice',
      { allocationOrder: ['penaltyInterest', ...DEFAULT_ALLOCATION_ORDER.slice(0, 4)] },
      'allocationOrder',
    ],
    ['a penalty below the contract rate', { penaltyMultiple: '0.9' }, 'penaltyMultiple'],
    ['a penalty that is not a number', { penaltyMultiple: 'one and a half' }, 'penaltyMultiple'],
    ['an unknown day count', { dayCount: 'ACT_ACT' }, 'dayCount'],
  ])('refuses %s, naming the field', (_, change, field) => {
    const result = ServicingTermsSchema.safeParse({ ...valid, ...change });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(field);
  });
});
