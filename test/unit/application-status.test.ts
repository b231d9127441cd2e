import { describe, expect, it } from 'vitest';
import {
  APPLICATION_STATUSES,
  type ApplicationStatus,
  assertTransition,
} from '../../shared/domain/application.js';
import { addMonths, businessDate } from '../../shared/domain/business-date.js';
import { ConflictError } from '../../shared/domain/errors.js';

describe('application status transitions', () => {
  const happyPath: ApplicationStatus[] = [
    'SUBMITTED',
    'ASSESSING',
    'OFFERED',
    'OFFER_ACCEPTED',
    'AWAITING_SIGNATURE',
    'CONTRACT_SIGNED',
    'DISBURSING',
    'DISBURSED',
  ];

  it('allows the path from submission to disbursement', () => {
    for (let i = 1; i < happyPath.length; i++) {
      expect(() =>
        assertTransition(happyPath[i - 1] as ApplicationStatus, happyPath[i] as ApplicationStatus),
      ).not.toThrow();
    }
  });

  it.each([
    ['DECLINED', 'OFFERED'],
    ['DISBURSED', 'FAILED'],
    ['EXPIRED', 'OFFERED'],
    ['SUBMITTED', 'DISBURSED'],
    ['OFFERED', 'CONTRACT_SIGNED'],
    ['DISBURSING', 'EXPIRED'],
  ] as const)('refuses %s -> %s', (from, to) => {
    expect(() => assertTransition(from, to)).toThrow(ConflictError);
  });

  it('lets every status before the end fail, and a final status fail no more', () => {
    const final = ['DISBURSED', 'DECLINED', 'EXPIRED'];
    for (const status of APPLICATION_STATUSES.filter((s) => s !== 'FAILED')) {
      if (final.includes(status)) expect(() => assertTransition(status, 'FAILED')).toThrow(ConflictError);
      else expect(() => assertTransition(status, 'FAILED')).not.toThrow();
    }
  });

  it('treats staying in a status as no move, so a retried stage may write again', () => {
    expect(() => assertTransition('IN_REVIEW', 'IN_REVIEW')).not.toThrow();
  });
});

describe('business dates', () => {
  it('are calendar days in Asia/Shanghai', () => {
    // 16:00 UTC is midnight in Shanghai (UTC+8, no daylight saving).
    expect(businessDate(new Date('2026-11-22T15:59:59Z'))).toBe('2026-11-22');
    expect(businessDate(new Date('2026-11-22T16:00:00Z'))).toBe('2026-11-23');
  });

  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-11-23', 12, '2027-11-23'],
    ['2026-03-31', -1, '2026-02-28'],
  ])('%s plus %d months is %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });
});
